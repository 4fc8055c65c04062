// `tipcx exporter`: TIPC metrics for Prometheus over HTTP (src/exporter/).
import { defineCommand, flag, option } from '../cli/command.js';
import type { Parser } from '../cli/registry.js';
import { UsageError } from '../errors.js';
import { DEFAULT_LISTEN, DEFAULT_PORT, parseListenAddress, requirePublicWord } from '../exporter/listen.js';

const DEFAULT_BUDGET_SECONDS = 5;

/** Seconds, 0.1..60, at most one decimal place. */
const budgetSeconds: Parser<number> = (text, label) => {
    const n = /^\d{1,2}(\.\d)?$/.test(text) ? Number(text) : Number.NaN;
    if (!(n >= 0.1 && n <= 60))
        throw new UsageError(`error, invalid value "${text}" for "${label}" (expected seconds, 0.1..60)`);
    return n;
};

export default [
    defineCommand({
        path: 'exporter',
        summary: 'Serve TIPC metrics to Prometheus',
        extension: true,
        help: `Usage: tipcx exporter [listen ADDR:PORT] [public] [timeout SECONDS]
       (with -n NS for one namespace, --all-netns for every one)

Serves the TIPC state of this host in the Prometheus text format at
http://ADDR:PORT/metrics, read from the kernel at each scrape: links (up,
packets, fragments, bundles, retransmissions, NAKs, duplicates, congestion,
send queue, MTU, priority, tolerance, window), peer nodes and their netns
crossover verdicts with the evidence, bearers, the name table size and the
socket count, per namespace; and the exporter's own scrape time and errors.
The metrics are listed in docs/metrics.md. / shows a page linking to them.

A scrape reads each namespace once, all at once, and answers within its time
budget with what it has: a namespace that is slow, deleted or without TIPC
(module unloaded) is counted in tipc_exporter_scrape_errors_total and the
exporter keeps running. Crossover proofs come from discovery frames captured
while it runs (root only; otherwise local peers stay local-unproven).

Safe by default: it listens on 127.0.0.1:${DEFAULT_PORT}; any address that is not
loopback needs the word "public". Only GET and HEAD, no endpoint changes
anything, request size and time are bounded and slow clients are cut off.
It runs as any user; -n and --all-netns need root to enter namespaces.

Options:
  listen ADDR:PORT   address to serve on, an IP literal
                     (default ${DEFAULT_LISTEN.host}:${DEFAULT_PORT}; [::1]:PORT for IPv6)
  public             allow an address that is not loopback (0.0.0.0, a NIC's)
  timeout SECONDS    time budget of a scrape, 0.1..60 (default ${DEFAULT_BUDGET_SECONDS}); a
                     shorter X-Prometheus-Scrape-Timeout-Seconds wins

Examples:
  tipcx exporter
  tipcx --all-netns exporter listen 127.0.0.1:${DEFAULT_PORT}
  tipcx -n ns1 exporter timeout 2
  tipcx exporter listen 0.0.0.0:${DEFAULT_PORT} public
`,
        options: {
            listen: option(parseListenAddress, {
                placeholder: 'ADDR:PORT',
                description: `address to serve on (default ${DEFAULT_LISTEN.host}:${DEFAULT_PORT})`,
                extension: true,
            }),
            public: flag('allow an address that is not loopback', { extension: true }),
            timeout: option(budgetSeconds, {
                placeholder: 'SECONDS',
                description: `time budget of a scrape, 0.1..60 (default ${DEFAULT_BUDGET_SECONDS})`,
                extension: true,
            }),
        },
        // It reads the namespaces it is given (or every one) at each scrape itself.
        namespaces: 'own',
        kernel: 'reads',
        async run(args, ctx) {
            const address = args.listen ?? DEFAULT_LISTEN;
            if (!args.public) requirePublicWord(address);
            const { hostNamespaces, selectedNamespaces } = await import('../cli/all-netns.js');
            if (ctx.netns !== undefined) {
                // as everywhere: a namespace that cannot be entered (not root, or no such name) is refused now, exit 3
                const { withNetns } = await import('../netlink/netns.js');
                withNetns({ name: ctx.netns }, () => undefined);
            }
            const { runExporter } = await import('../exporter/run.js');
            const asTarget = (t: { label: string; ref?: import('../netlink/netns.js').NetnsRef; inode?: number }) => ({
                label: t.label,
                ...(t.ref ? { ref: t.ref } : {}),
                ...(t.inode !== undefined ? { inode: t.inode } : {}),
            });
            await runExporter({
                address,
                budgetMs: (args.timeout ?? DEFAULT_BUDGET_SECONDS) * 1000,
                namespaces: () => {
                    const all = hostNamespaces();
                    return { targets: selectedNamespaces(ctx, all).map(asTarget), candidates: all.map(asTarget) };
                },
                log: (line) => ctx.stderr.write(`tipcx exporter: ${line}\n`),
                signal: ctx.signal,
            });
        },
    }),
];
