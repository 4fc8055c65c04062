// node flush key
import { defineCommand, defineGroup } from '../../cli/command.js';
import { inSession } from '../session.js';

export default [
    defineGroup({
        path: 'node flush',
        summary: 'Remove local node parameters',
        help: `Usage: tipcx node flush key

Properties:
  key    remove every symmetric key (TX and RX)

Examples:
  tipcx node flush key
`,
    }),
    defineCommand({
        path: 'node flush key',
        summary: 'Remove all symmetric keys',
        help: `Usage: tipcx node flush key

Examples:
  tipcx node flush key
`,
        namespaces: 'each',
        kernel: 'changes',
        async run(_args, ctx) {
            const { flushKeys } = await import('../../tipc/key.js');
            await inSession(ctx, flushKeys);
        },
    }),
];
