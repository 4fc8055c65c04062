// bearer get priority|tolerance|window|mtu media … ; bearer get media udp name NAME localip|localport|remoteip|remoteport
import { commandResult, defineCommand, type CommandContext } from '../../cli/registry.js';
import { UsageError } from '../../errors.js';
import { valueLinesText } from '../../render/bearer.js';
import { bearerName, getBearer, getBearerProperty, listRemoteIps, type BearerProperty } from '../../tipc/bearer.js';
import { inSession, sessionOptions } from '../session.js';

const str = (v: string | true | undefined) => (typeof v === 'string' ? v : undefined);

/** iproute2's order: the first of these flags given wins. */
const UDP_OPTIONS = ['localip', 'localport', 'remoteip', 'remoteport'] as const;
const UDP_KEYS = { localip: 'localIp', localport: 'localPort', remoteip: 'remoteIp', remoteport: 'remotePort' } as const;

async function udpOption(ctx: CommandContext) {
  const media = str(ctx.opts.media);
  if (media !== 'udp') throw new UsageError(`error, no "${media}" media specific options (only udp bearers have addresses)`);
  const option = UDP_OPTIONS.find((o) => ctx.opts[o] === true);
  if (!option) throw new UsageError('error, missing UDP option (one of: localip, localport, remoteip, remoteport)');
  const name = bearerName(media, undefined, str(ctx.opts.name));
  const key = UDP_KEYS[option];
  const bearer = await inSession(ctx, (s) => getBearer(s, name));
  const local = bearer.udp?.local;
  const remote = bearer.udp?.remote;
  let values: (string | number)[];
  if (option === 'remoteip' && bearer.udp?.multiRemoteip) {
    // a replicast bearer: every peer address, on a second session as iproute2 does
    values = (await listRemoteIps(sessionOptions(ctx).netns, name)).map((a) => a.address);
  } else {
    const addr = option.startsWith('local') ? local : remote;
    if (!addr) throw new UsageError(`"${name}" reported no udp ${option.startsWith('local') ? 'local' : 'remote'} address`);
    values = [option.endsWith('ip') ? addr.address : addr.port];
  }
  const records = values.map((v) => ({ [key]: v }) as Record<typeof key, string | number>);
  return commandResult(records, valueLinesText(key));
}

export default defineCommand<object>({
  async run(ctx) {
    const property = ctx.path.at(-1);
    if (property === 'media') return udpOption(ctx);
    const p = property as BearerProperty;
    const media = str(ctx.opts.media);
    if (p === 'mtu' && media !== 'udp') {
      throw new UsageError(`error, not supported for media ${media} (mtu exists for udp bearers only)`);
    }
    const name = bearerName(media, str(ctx.opts.device), str(ctx.opts.name));
    const value = await inSession(ctx, (s) => getBearerProperty(s, name, p));
    return commandResult([{ [p]: value } as Record<BearerProperty, number>], valueLinesText(p));
  },
});
