// bearer add media udp name NAME remoteip IP [remoteport PORT]
import { defineCommand, defineGroup, option } from '../../cli/command.js';
import { ipAddress } from '../../cli/parsers.js';
import { UsageError } from '../../errors.js';
import { inSession } from '../session.js';
import { PORT, UDP_MEDIA, UDP_NAME } from '../specs.js';

export default [
    defineGroup({
        path: 'bearer add',
        summary: 'Add a remote IP (replicast peer) to a udp bearer',
        help: `Usage: tipcx bearer add media udp name NAME remoteip IP [remoteport PORT]

Adds one peer address to an enabled udp bearer, for networks without
multicast. Adding a known address again is a silent success. The kernel
offers no way to remove an address short of disabling the bearer.

Options:
  media udp          only udp bearers have remote addresses
  name NAME          the udp bearer (as given to "bearer enable")
  remoteip IP        peer IPv4 or IPv6 address
  remoteport PORT    peer UDP port (default 6118)

Examples:
  tipcx bearer add media udp name u1 remoteip 10.0.0.9
  tipcx bearer add media udp name u1 remoteip fd00::9 remoteport 6200
`,
    }),
    defineCommand({
        path: 'bearer add media',
        summary: 'Add a remote IP to a udp bearer',
        help: `Usage: tipcx bearer add media udp name NAME remoteip IP [remoteport PORT]

Options:
  media udp          only udp bearers have remote addresses
  name NAME          the udp bearer
  remoteip IP        peer IPv4 or IPv6 address
  remoteport PORT    peer UDP port (default 6118)

Examples:
  tipcx bearer add media udp name u1 remoteip 10.0.0.9
`,
        wordIsOption: true,
        options: {
            media: UDP_MEDIA,
            name: { ...UDP_NAME, required: 'missing media name' },
            remoteip: option(ipAddress, {
                placeholder: 'IP',
                description: 'peer address',
                required: 'missing remoteip',
            }),
            remoteport: option(PORT, { placeholder: 'PORT', description: 'peer UDP port (default 6118)' }),
        },
        namespaces: 'each',
        kernel: 'changes',
        async run(args, ctx) {
            if (args.media !== 'udp') {
                throw new UsageError(
                    `no "${args.media}" media specific options available (only udp bearers have remote ips)`,
                );
            }
            const { addRemoteIp, bearerName, TIPC_UDP_PORT } = await import('../../tipc/bearer.js');
            const name = bearerName(args.media, undefined, args.name);
            await inSession(ctx, (s) =>
                addRemoteIp(s, name, { ...args.remoteip, port: args.remoteport ?? TIPC_UDP_PORT }),
            );
        },
    }),
];
