// bearer add media udp name NAME remoteip IP [remoteport PORT]
import { defineCommand } from '../../cli/registry.js';
import { UsageError } from '../../errors.js';
import { addRemoteIp, bearerName, sockaddr, TIPC_UDP_PORT } from '../../tipc/bearer.js';
import { inSession } from '../session.js';

const str = (v: string | true | undefined) => (typeof v === 'string' ? v : undefined);

export default defineCommand({
  async run(ctx) {
    const media = str(ctx.opts.media);
    if (media !== 'udp') throw new UsageError(`error, no "${media}" media specific options available (only udp bearers have remote ips)`);
    const name = bearerName(media, undefined, str(ctx.opts.name));
    const remoteport = str(ctx.opts.remoteport);
    const remote = sockaddr(str(ctx.opts.remoteip)!, remoteport === undefined ? TIPC_UDP_PORT : Number(remoteport), 'remoteip');
    await inSession(ctx, (s) => addRemoteIp(s, name, remote));
  },
});
