// node list
import { commandResult, defineCommand } from '../../cli/command.js';
import { inSession } from '../session.js';

export default [
    defineCommand({
        path: 'node list',
        summary: 'List cluster nodes',
        help: `Usage: tipcx node list

Columns: Node Identity, Hash, State.

Examples:
  tipcx node list
  tipcx --all-netns node list
`,
        namespaces: 'each',
        kernel: 'reads',
        async run(_args, ctx) {
            const { listPeerNodes } = await import('../../tipc/node.js');
            const { nodeListText } = await import('../../render/node.js');
            const nodes = await inSession(ctx, listPeerNodes);
            return commandResult(nodes, (records) => nodeListText(records, ctx.color));
        },
    }),
];
