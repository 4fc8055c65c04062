import { defineCommand } from '../../cli/registry.js';
import { UsageError } from '../../errors.js';
import { bearerName, enableBearer, firstAddressOf, udpEndpoints, type BearerEnable } from '../../tipc/bearer.js';
import { getOwnNet } from '../../tipc/node.js';
import { inSession, sessionOptions } from '../session.js';

const num = (v: string | true | undefined) => (typeof v === 'string' ? Number(v) : undefined);
const str = (v: string | true | undefined) => (typeof v === 'string' ? v : undefined);

export default defineCommand({
  async run(ctx) {
    const o = ctx.opts;
    const media = str(o.media);
    const name = bearerName(media, str(o.device), str(o.name));
    await inSession(ctx, async (s) => {
      const bearer: BearerEnable = { name, domain: num(o.domain), priority: num(o.priority) };
      if (media === 'udp') {
        const device = str(o.device);
        const localip = str(o.localip) ?? (device && firstAddressOf(device, sessionOptions(ctx).netns));
        if (!localip) throw new UsageError('error, udp bearer localip/device missing');
        // the kernel needs a remote: without one it is the cluster's multicast group
        const netid = o.remoteip === undefined ? (await getOwnNet(s)).netid : 0;
        bearer.udp = udpEndpoints({
          localip, localport: num(o.localport), remoteip: str(o.remoteip), remoteport: num(o.remoteport), netid: () => netid,
        });
      }
      await enableBearer(s, bearer);
    });
  },
});
