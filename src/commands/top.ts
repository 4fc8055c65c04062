// tipcx top: live link statistics (src/top/), on a terminal or as NDJSON.
import { defineCommand, flag, option } from '../cli/command.js';
import { U32_MAX, integerIn } from '../cli/parsers.js';
import { SORT_COLUMNS, parseFilter, parseInterval, parseSortColumn, topOptions } from '../top/options.js';
import type { Scope } from '../top/sampler.js';

export default [
    defineCommand({
        path: 'top',
        summary: 'Live link statistics',
        extension: true,
        help: `Usage: tipcx top [interval SECONDS] [count N] [sort COLUMN] [reverse]
                 [filter REGEX] [read-only] [all-counters] [polled-events]
       (with -n NS or --all-netns for other namespaces, -j for NDJSON)

A live monitor of TIPC links: one row per link, grouped by peer, with packet
rates over the last 2, 10 and 40 samples, state, crossover verdict, a
sparkline and full statistics for the selected link, and a log of what
changed (links up/down/reset, namespaces appearing and vanishing). It keeps
running through all of these.

Links up and down are logged from the kernel's topology events, as
"tipcx events" reads them: every flap at its time, even between two
samples. Those connections hold the tipc module: "modprobe -r tipc" reports
it in use while top runs. With polled-events top compares samples instead,
and lives through the module being unloaded and loaded again.

On a terminal it is interactive: F1, h or ? lists the keys (htop's F3
search, F4 filter, F6 sort, F10 quit among them). When stdout is not a
terminal, or with -j, it prints one JSON object per interval (NDJSON).

Crossover peers: traffic between namespaces of this host may take the
kernel's netns shortcut and bypass the link, so that link's counters stay
flat however busy the peer is; such rows say so.

Options:
  interval SECONDS  time between samples, 0.1..3600 (default 1)
  count N           stop after N samples (NDJSON; the first comes after one
                    interval so that it has rates)
  sort COLUMN       one of: ${SORT_COLUMNS.slice(0, 6).join(', ')},
                    ${SORT_COLUMNS.slice(6).join(', ')} (rates sort largest first)
  reverse           invert the sort order
  filter REGEX      show links whose namespace, name or peer match; a leading
                    ! keeps those that do not (totals still count every link)
  read-only         disable the r key (reset link statistics)
  all-counters      NDJSON: every link's full statistics block ("stats", the
                    33 counters of "link statistics show") in every line;
                    without it "stats" is null and only the counters top
                    shows are read (the detail pane reads its link's own)
  polled-events     log links up and down by comparing samples instead of
                    from topology events (a flap between two samples goes
                    unseen); no socket holds the tipc module, so it can be
                    unloaded while top runs

Examples:
  tipcx top
  tipcx --all-netns top sort tx
  tipcx -n ns1 top filter '!broadcast' interval 0.5
  tipcx --all-netns -j top count 5
  tipcx -n ns1 -j top all-counters count 1
  tipcx --all-netns top polled-events
`,
        options: {
            interval: option(parseInterval, { placeholder: 'SECONDS', description: 'time between samples, 0.1..3600' }),
            count: option(integerIn(1, U32_MAX), { placeholder: 'N', description: 'stop after N samples' }),
            sort: option(parseSortColumn, {
                placeholder: 'COLUMN',
                description: 'sort column',
                complete: SORT_COLUMNS,
            }),
            reverse: flag('invert the sort order'),
            filter: option(parseFilter, { placeholder: 'REGEX', description: 'show matching links; !REGEX inverts' }),
            'read-only': flag('no statistics reset from the UI'),
            'all-counters': flag("NDJSON: every link's full statistics block"),
            'polled-events': flag('links up/down from samples; the tipc module stays unloadable', {
                extension: true,
            }),
        },
        // The sampler reads every namespace it is given; the r key resets a link's counters.
        namespaces: 'own',
        kernel: 'reads',
        async run(args, ctx) {
            const { runTop } = await import('../top/run.js');
            const scope: Scope = ctx.allNetns
                ? { kind: 'all' }
                : ctx.netns !== undefined
                  ? { kind: 'named', name: ctx.netns }
                  : { kind: 'current' };
            const options = topOptions(
                {
                    ...args,
                    readOnly: args['read-only'],
                    statistics: args['all-counters'],
                    polledEvents: args['polled-events'],
                },
                scope,
            );
            await runTop(options, ctx);
        },
    }),
];
