// bearer disable media {eth|ib} device DEVICE | media udp name NAME
import { defineCommand } from '../../cli/command.js';
import { inSession } from '../session.js';
import { bearerIdOptions } from '../specs.js';

export default [
    defineCommand({
        path: 'bearer disable',
        summary: 'Disable a bearer',
        help: `Usage: tipcx bearer disable media {eth|ib} device DEVICE
       tipcx bearer disable media udp name NAME

Stops the bearer; its links go down at once.

Examples:
  tipcx bearer disable media eth device eth0
  tipcx bearer disable media udp name u1
`,
        options: bearerIdOptions(),
        namespaces: 'each',
        kernel: 'changes',
        async run(args, ctx) {
            const { bearerName, disableBearer } = await import('../../tipc/bearer.js');
            const bearer = bearerName(args.media, args.device, args.name);
            await inSession(ctx, (s) => disableBearer(s, bearer));
        },
    }),
];
