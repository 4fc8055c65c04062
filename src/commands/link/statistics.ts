// link statistics show [link LINK|SUBSTRING|all] ; link statistics reset link LINK
import { commandResult, defineCommand, defineGroup, joinTexts, option } from '../../cli/command.js';
import { inSession } from '../session.js';
import { LINK } from '../specs.js';

export default [
    defineGroup({
        path: 'link statistics',
        summary: 'Show or reset link statistics',
        help: `Usage: tipcx link statistics show [link {LINK|SUBSTRING|all}]
       tipcx link statistics reset link LINK

Commands:
  show     show counters of every link, or of the links whose name
           contains SUBSTRING (with "link", broadcast receiver links too)
  reset    zero the counters of one link

Examples:
  tipcx link statistics show
  tipcx -j -p link stat show link all
  tipcx link statistics reset link 1001001:eth0-1001002:eth0
`,
    }),
    defineCommand({
        path: 'link statistics show',
        summary: 'Show link counters',
        help: `Usage: tipcx link statistics show [link {LINK|SUBSTRING|all}]

Without "link": the broadcast link and every unicast link. With "link": also
the per-peer broadcast receiver links, filtered by name substring ("all" = no
filter).

Examples:
  tipcx link statistics show
  tipcx link statistics show link eth0
  tipcx -j link statistics show link all
`,
        options: {
            link: option(LINK.parse, {
                placeholder: 'LINK|SUBSTRING|all',
                description: 'filter by link name',
                complete: 'links',
            }),
        },
        namespaces: 'each',
        kernel: 'reads',
        async run(args, ctx) {
            const { dumpLinkStatistics, linkStatisticsTable } = await import('../../tipc/link.js');
            const { linkStatisticsFrom, linkStatisticsText } = await import('../../render/link.js');
            const filter = args.link;
            const all = filter === undefined || filter === 'all';
            // any "link" option also asks for the broadcast receiver links, as tipc does
            const receivers = filter !== undefined;
            if (!ctx.json) {
                // The text is written straight from the dump's rows (no object per link):
                // the table is this result's one record, which only text() reads.
                const table = await inSession(ctx, (s) => linkStatisticsTable(s, receivers));
                const shown = all ? table : table.filter((name) => name.includes(filter));
                return commandResult([shown], (tables) => joinTexts(tables.map(linkStatisticsText)));
            }
            const links = await inSession(ctx, (s) => dumpLinkStatistics(s, receivers));
            const shown = all ? links : links.filter((l) => l.name.includes(filter));
            const { linkStatisticsShape } = await import('../../render/iproute2-json.js');
            return commandResult(shown.map(linkStatisticsFrom), () => '', linkStatisticsShape);
        },
    }),
    defineCommand({
        path: 'link statistics reset',
        summary: "Zero one link's counters",
        help: `Usage: tipcx link statistics reset link LINK

LINK may also be broadcast-link, or broadcast-link:PEER for a receiver link.

Examples:
  tipcx link statistics reset link 1001001:eth0-1001002:eth0
  tipcx link statistics reset link broadcast-link
`,
        options: { link: LINK },
        namespaces: 'each',
        kernel: 'changes',
        async run(args, ctx) {
            const { resetLinkStatistics } = await import('../../tipc/link.js');
            await inSession(ctx, (s) => resetLinkStatistics(s, args.link));
        },
    }),
];
