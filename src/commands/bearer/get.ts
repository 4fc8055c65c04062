// bearer get priority|tolerance|window|mtu media … ; bearer get media udp name NAME localip|localport|remoteip|remoteport
import { commandResult, defineCommand, defineGroup, flag } from '../../cli/command.js';
import { UsageError } from '../../errors.js';
import { inSession, sessionNetns } from '../session.js';
import { PROPERTIES, UDP_MEDIA, UDP_NAME, bearerIdOptions, bearerUsage, type Property } from '../specs.js';

function getProperty(property: Property) {
    return defineCommand({
        path: `bearer get ${property}`,
        summary: `Show the bearer ${property}`,
        help: `${bearerUsage(`bearer get ${property}`, property)}

Prints the bearer's ${property} as a number${property === 'mtu' ? ' (udp bearers only)' : ''}.

Examples:
  tipcx bearer get ${property} media ${property === 'mtu' ? 'udp name u1' : 'eth device eth0'}
`,
        options: bearerIdOptions(property),
        namespaces: 'each',
        kernel: 'reads',
        async run(args, ctx) {
            const { bearerName, getBearerProperty } = await import('../../tipc/bearer.js');
            const { valueLinesText, valueRecord } = await import('../../render/bearer.js');
            const name = bearerName(args.media, args.device, args.name);
            const value = await inSession(ctx, (s) => getBearerProperty(s, name, property));
            return commandResult([valueRecord(property, value)], valueLinesText(property));
        },
    });
}

/** iproute2's order: the first of these flags given wins. */
const UDP_OPTIONS = ['localip', 'localport', 'remoteip', 'remoteport'] as const;
const UDP_KEYS = {
    localip: 'localIp',
    localport: 'localPort',
    remoteip: 'remoteIp',
    remoteport: 'remotePort',
} as const;

const getUdpOption = defineCommand({
    path: 'bearer get media',
    summary: "Show a udp bearer's local or remote addresses",
    help: `Usage: tipcx bearer get media udp name NAME
                        {localip|localport|remoteip|remoteport}

Prints one UDP setting of a udp bearer. "remoteip" on a replicast bearer
lists every peer address added with "bearer add", one per line.

Examples:
  tipcx bearer get media udp name u1 localip
  tipcx bearer get media udp name u1 remoteip
`,
    wordIsOption: true,
    options: {
        media: UDP_MEDIA,
        name: { ...UDP_NAME, required: 'missing media name' },
        localip: flag('local address'),
        localport: flag('local port'),
        remoteip: flag('remote address(es)'),
        remoteport: flag('remote port'),
    },
    namespaces: 'each',
    kernel: 'reads',
    async run(args, ctx) {
        if (args.media !== 'udp')
            throw new UsageError(`no "${args.media}" media specific options (only udp bearers have addresses)`);
        const option = UDP_OPTIONS.find((o) => args[o]);
        if (!option) throw new UsageError('missing UDP option (one of: localip, localport, remoteip, remoteport)');
        const { bearerName, getBearer, listRemoteIps } = await import('../../tipc/bearer.js');
        const { valueLinesText, valueRecord } = await import('../../render/bearer.js');
        const name = bearerName(args.media, undefined, args.name);
        const key = UDP_KEYS[option];
        const bearer = await inSession(ctx, (s) => getBearer(s, name));
        let values: (string | number)[];
        if (option === 'remoteip' && bearer.udp?.multiRemoteip) {
            // a replicast bearer: every peer address, on a second session as iproute2 does
            values = (await listRemoteIps(sessionNetns(ctx), name)).map((a) => a.address);
        } else {
            const end = option.startsWith('local') ? 'local' : 'remote';
            const addr = bearer.udp?.[end];
            if (!addr) throw new UsageError(`"${name}" reported no udp ${end} address`);
            values = [option.endsWith('ip') ? addr.address : addr.port];
        }
        return commandResult(
            values.map((v) => valueRecord(key, v)),
            valueLinesText(key),
        );
    },
});

export default [
    defineGroup({
        path: 'bearer get',
        summary: "Show a bearer property or a udp bearer's addresses",
        help: `Usage: tipcx bearer get PROPERTY media {eth|ib} device DEVICE
       tipcx bearer get PROPERTY media udp name NAME
       tipcx bearer get media udp name NAME
                        {localip|localport|remoteip|remoteport}

Properties:
  priority     link priority
  tolerance    link tolerance in ms
  window       link window in packets
  mtu          MTU in bytes (udp bearers only)

"m" is ambiguous here (mtu, media), as in iproute2.

Examples:
  tipcx bearer get priority media eth device eth0
  tipcx bearer get media udp name u1 remoteip
`,
    }),
    ...PROPERTIES.map(getProperty),
    getUdpOption,
];
