/**
 * Runs `tipcx exporter`: the collector, the metrics and the HTTP server,
 * until the signal aborts. Loaded only when the command runs, and with it
 * prom-client (src/exporter/metrics.ts): nothing else in tipcx pays for it.
 */
import { crossoverSupported, CrossoverWatch } from '../tipc/crossover.js';
import { tipcModuleLoaded } from '../netlink/tipc-module.js';
import { Collector, type NamespaceListing, type Scrape } from './collect.js';
import { hostPort, type ListenAddress } from './listen.js';
import type { Exposition } from './exposition.js';
import { EXPORTED_LINK_COUNTERS, ExporterMetrics } from './metrics.js';
import { startServer, type ScrapeSource } from './server.js';

export interface ExporterOptions {
    readonly address: ListenAddress;
    readonly budgetMs: number;
    /** The namespaces exported and every namespace of the host (for crossover verdicts), listed at every scrape. */
    readonly namespaces: () => NamespaceListing;
    /** What the exporter tells its operator: start, namespaces failing and recovering. */
    readonly log: (line: string) => void;
    readonly signal: AbortSignal;
}

/** A scrape source over a collector: one collection at a time, shared by the scrapes that arrive meanwhile. */
export function scrapeSource(
    collector: Pick<Collector, 'collect'>,
    metrics: ExporterMetrics,
    onScrape: (s: Scrape) => void = () => undefined,
): ScrapeSource {
    let running: Promise<Exposition> | undefined;
    return {
        contentType: metrics.contentType,
        scrape(budgetMs) {
            running ??= (async () => {
                try {
                    const scrape = await collector.collect(budgetMs);
                    metrics.update(scrape);
                    onScrape(scrape);
                    return await metrics.exposition();
                } finally {
                    running = undefined;
                }
            })();
            return running;
        },
    };
}

/** Says when a namespace starts failing, and when it reads again; once per change, not per scrape. */
function stateReporter(log: (line: string) => void): (s: Scrape) => void {
    const failing = new Map<string, string>();
    let verdictProblem: string | undefined;
    return (s) => {
        for (const ns of s.namespaces) {
            const was = failing.get(ns.label);
            const now = ns.errors[0];
            if (now !== undefined && was === undefined)
                log(`netns ${ns.label}: ${now} (counted in tipc_exporter_scrape_errors_total)`);
            if (now === undefined && was !== undefined) log(`netns ${ns.label}: read again`);
            if (now === undefined) failing.delete(ns.label);
            else failing.set(ns.label, now);
        }
        const present = new Set(s.namespaces.map((n) => n.label));
        for (const label of failing.keys()) if (!present.has(label)) failing.delete(label);
        if (s.verdictProblem !== undefined && s.verdictProblem !== verdictProblem) log(s.verdictProblem);
        verdictProblem = s.verdictProblem;
    };
}

export async function runExporter(o: ExporterOptions): Promise<void> {
    // read once now: the first scrape must not pay for /proc/kallsyms
    crossoverSupported();
    const collector = new Collector({
        namespaces: o.namespaces,
        moduleLoaded: tipcModuleLoaded,
        linkCounters: EXPORTED_LINK_COUNTERS,
        verdicts: new CrossoverWatch(),
    });
    const metrics = new ExporterMetrics();
    const source = scrapeSource(collector, metrics, stateReporter(o.log));
    // one collection before the first scrape: sessions open, and the capture of discovery
    // frames starts now rather than when Prometheus first comes (proofs seen meanwhile count)
    await source.scrape(o.budgetMs);
    let server: Awaited<ReturnType<typeof startServer>>;
    try {
        server = await startServer({
            address: o.address,
            source,
            budgetMs: o.budgetMs,
            onError: (e) => o.log(`scrape failed: ${e.message}`),
        });
    } catch (e) {
        collector.close();
        throw e;
    }
    const names = o
        .namespaces()
        .targets.map((t) => t.label)
        .join(', ');
    o.log(
        `serving http://${hostPort(o.address)}/metrics for ${names || 'every namespace'} (time budget ${o.budgetMs / 1000} s per scrape); Ctrl-C stops`,
    );
    await new Promise<void>((resolve) => {
        if (o.signal.aborted) return resolve();
        o.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    server.close();
    server.closeAllConnections();
    collector.close();
}
