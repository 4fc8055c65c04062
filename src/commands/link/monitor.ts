// link monitor set threshold SIZE | get threshold | list [bearer] | summary
import { commandResult, defineCommand, defineGroup, value } from '../../cli/command.js';
import { integerIn } from '../../cli/parsers.js';
import { inSession } from '../session.js';
import { OPTIONAL_BEARER_ID } from '../specs.js';

export default [
    defineGroup({
        path: 'link monitor',
        summary: 'Show or set the kernel neighbour monitoring',
        help: `Usage: tipcx link monitor COMMAND [ARGS]...

The kernel's neighbour-monitoring algorithm (link supervision), not a live
view; for live statistics see "tipcx top".

Commands:
  set       set a monitor property (threshold)
  get       show a monitor property (threshold)
  list      list the monitored cluster members per bearer
  summary   show the local node's monitor state per bearer

"s" is ambiguous here (set, summary), as in iproute2.

Examples:
  tipcx link monitor summary
  tipcx link monitor set threshold 64
`,
    }),
    defineGroup({
        path: 'link monitor set',
        summary: 'Set a monitor property',
        help: `Usage: tipcx link monitor set threshold SIZE

Properties:
  threshold SIZE   cluster size from which overlapping-ring monitoring
                   replaces full mesh, 0..4095 (default 32)

Examples:
  tipcx link monitor set threshold 64
`,
    }),
    defineCommand({
        path: 'link monitor set threshold',
        summary: 'Set the monitor activation threshold',
        help: `Usage: tipcx link monitor set threshold SIZE

SIZE: cluster size from which overlapping-ring monitoring is used, 0..4095.

Examples:
  tipcx link monitor set threshold 64
`,
        value: value(integerIn(0, 4095), { placeholder: 'SIZE', description: 'activation threshold, 0..4095' }),
        namespaces: 'each',
        kernel: 'changes',
        async run(args, ctx) {
            const { setThreshold } = await import('../../tipc/monitor.js');
            await inSession(ctx, (s) => setThreshold(s, args.value));
        },
    }),
    defineGroup({
        path: 'link monitor get',
        summary: 'Show a monitor property',
        help: `Usage: tipcx link monitor get threshold

Properties:
  threshold   cluster size from which overlapping-ring monitoring is used

Examples:
  tipcx link monitor get threshold
`,
    }),
    defineCommand({
        path: 'link monitor get threshold',
        summary: 'Show the monitor activation threshold',
        help: `Usage: tipcx link monitor get threshold

Examples:
  tipcx link monitor get threshold
  tipcx -j link monitor get threshold
`,
        namespaces: 'each',
        kernel: 'reads',
        async run(_args, ctx) {
            const { getThreshold } = await import('../../tipc/monitor.js');
            const { thresholdRecords, thresholdText } = await import('../../render/monitor.js');
            const shapes = await import('../../render/iproute2-json.js');
            return commandResult(
                thresholdRecords(await inSession(ctx, getThreshold)),
                thresholdText,
                shapes.thresholdShape,
            );
        },
    }),
    defineCommand({
        path: 'link monitor list',
        summary: 'List monitored cluster members',
        help: `Usage: tipcx link monitor list
                [media {eth|ib} device DEVICE | media udp name NAME]

Shows, per bearer (or for the one bearer given), each peer's state as the
monitoring algorithm sees it.

Examples:
  tipcx link monitor list
  tipcx link monitor list media eth device eth0
`,
        options: OPTIONAL_BEARER_ID,
        namespaces: 'each',
        kernel: 'reads',
        async run(args, ctx) {
            const { bearerName } = await import('../../tipc/bearer.js');
            const { monitorList } = await import('../../tipc/monitor.js');
            const { monitorListRecords, monitorListText } = await import('../../render/monitor.js');
            const bearer = args.media === undefined ? undefined : bearerName(args.media, args.device, args.name);
            const bearers = await inSession(ctx, (s) => monitorList(s, bearer));
            const shapes = await import('../../render/iproute2-json.js');
            return commandResult(monitorListRecords(bearers), monitorListText, shapes.monitorListShape);
        },
    }),
    defineCommand({
        path: 'link monitor summary',
        summary: "Show the local node's monitor state",
        help: `Usage: tipcx link monitor summary

Per bearer: table generation, cluster size and algorithm in use.

Examples:
  tipcx link monitor summary
  tipcx -j link monitor summary
`,
        namespaces: 'each',
        kernel: 'reads',
        async run(_args, ctx) {
            const { monitorSummary } = await import('../../tipc/monitor.js');
            const { monitorSummaryRecords, monitorSummaryText } = await import('../../render/monitor.js');
            const summaries = await inSession(ctx, monitorSummary);
            const shapes = await import('../../render/iproute2-json.js');
            return commandResult(monitorSummaryRecords(summaries), monitorSummaryText, shapes.monitorSummaryShape);
        },
    }),
];
