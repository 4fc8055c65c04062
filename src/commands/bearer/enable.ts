// bearer enable [domain D] [priority P] media eth|ib device DEV | media udp name NAME {localip IP | device DEV} …
import { defineCommand, option } from '../../cli/command.js';
import { U32_MAX, integerIn, ipAddress } from '../../cli/parsers.js';
import { UsageError } from '../../errors.js';
import { assertSameFamily } from '../../tipc/udp-address.js';
import { inSession, sessionNetns } from '../session.js';
import { IF_NAME, MAX_LINK_PRIORITY, PORT, UDP_ONLY, bearerIdOptions } from '../specs.js';

export default [
    defineCommand({
        path: 'bearer enable',
        summary: 'Enable a bearer',
        help: `Usage: tipcx bearer enable [domain DOMAIN] [priority PRIORITY]
                           media {eth|ib} device DEVICE
       tipcx bearer enable [domain DOMAIN] [priority PRIORITY]
                           media udp name NAME
                           {localip IP | device DEVICE} [localport PORT]
                           [remoteip IP] [remoteport PORT]

Starts TIPC on a network interface (eth, ib) or a UDP socket (udp). At most
three bearers per namespace. The first bearer also fixes the node identity
if none was set. Options may come in any order.

Options:
  media MEDIA          eth, ib or udp
  device DEVICE        interface (eth, ib); for udp: use its first address
  name NAME            udp bearer name, 1..15 characters
  priority PRIORITY    link priority, 0..${MAX_LINK_PRIORITY}, or ${MAX_LINK_PRIORITY + 1} for the media's (default)
  domain DOMAIN        discovery domain (legacy, decimal)
  localip IP           udp: local address to bind
  localport PORT       udp: local port (default 6118)
  remoteip IP          udp: peer or multicast address (default: a multicast
                       group derived from the cluster id)
  remoteport PORT      udp: remote port (default 6118)

Examples:
  tipcx bearer enable media eth device eth0
  tipcx bearer enable priority 5 media eth device eth1
  tipcx bearer enable media udp name u1 localip 10.0.0.1
  tipcx bearer enable media udp name u1 localip 10.0.0.1 remoteip 10.0.0.2
`,
        options: {
            ...bearerIdOptions(),
            // udp takes a device too: its first address becomes localip
            device: option(IF_NAME, {
                placeholder: 'DEVICE',
                description: 'network interface (udp: use its first address)',
                complete: 'devices',
            }),
            domain: option(integerIn(0, U32_MAX), { placeholder: 'DOMAIN', description: 'discovery domain' }),
            // 32 is the kernel's "use the media default" sentinel; iproute2 passes it through.
            priority: option(integerIn(0, MAX_LINK_PRIORITY + 1), {
                placeholder: 'PRIORITY',
                description: 'link priority',
            }),
            localip: option(ipAddress, { placeholder: 'IP', description: 'udp local address', onlyWith: UDP_ONLY }),
            localport: option(PORT, { placeholder: 'PORT', description: 'udp local port', onlyWith: UDP_ONLY }),
            remoteip: option(ipAddress, { placeholder: 'IP', description: 'udp remote address', onlyWith: UDP_ONLY }),
            remoteport: option(PORT, { placeholder: 'PORT', description: 'udp remote port', onlyWith: UDP_ONLY }),
        },
        namespaces: 'each',
        kernel: 'changes',
        async run(args, ctx) {
            const { media, device, localip, remoteip } = args;
            if (media === 'udp') {
                if (localip === undefined && device === undefined)
                    throw new UsageError('udp bearer localip/device missing');
                if (localip !== undefined && remoteip !== undefined) assertSameFamily(localip, remoteip);
            }
            const { bearerName, enableBearer, firstAddressOf, udpEndpoints } = await import('../../tipc/bearer.js');
            const { getOwnNet } = await import('../../tipc/node.js');
            const name = bearerName(media, device, args.name);
            const local =
                media !== 'udp'
                    ? undefined
                    : (localip ?? (device === undefined ? undefined : firstAddressOf(device, sessionNetns(ctx))));
            await inSession(ctx, async (s) => {
                // the kernel needs a remote: without one it is the cluster's multicast group
                const netid = local !== undefined && remoteip === undefined ? (await getOwnNet(s)).netid : 0;
                const udp =
                    local === undefined
                        ? undefined
                        : udpEndpoints({
                              localip: local,
                              localport: args.localport,
                              remoteip,
                              remoteport: args.remoteport,
                              netid: () => netid,
                          });
                await enableBearer(s, { name, domain: args.domain, priority: args.priority, udp });
            });
        },
    }),
];
