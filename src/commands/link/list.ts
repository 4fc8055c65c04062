// link list
import { commandResult, defineCommand } from '../../cli/command.js';
import { inSession } from '../session.js';

export default [
    defineCommand({
        path: 'link list',
        summary: 'List links and their state',
        help: `Usage: tipcx link list

Prints "NAME: up|down" per link, the broadcast link first.

Examples:
  tipcx link list
  tipcx -j link list
  tipcx --json=iproute2 link list
`,
        namespaces: 'each',
        kernel: 'reads',
        async run(_args, ctx) {
            const { listLinks } = await import('../../tipc/link.js');
            const { linkListText } = await import('../../render/link.js');
            const { linkListShape } = await import('../../render/iproute2-json.js');
            const links = await inSession(ctx, (s) => listLinks(s, { statistics: false }));
            return commandResult(
                links.map((l) => ({ name: l.name, up: l.up })),
                (records) => linkListText(records, ctx.color),
                linkListShape,
            );
        },
    }),
];
