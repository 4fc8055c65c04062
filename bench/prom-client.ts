// What prom-client costs for the exporter's series, in-process and natively
// (issue 17: the exposition format is written by prom-client). At 64
// namespaces x 64 links (the broadcast link and 63 unicast links each),
// 4,096 label sets x 23 link metrics, about 94,000 series, CPU time per scrape:
//   documented  prom-client as its README uses it: reset, gauge.set(labels, v)
//               for every series, registry.metrics();
//   write-only  registry.metrics() alone, the series set once before: what
//               writing the text costs, whatever feeds it;
//   write-cached the same writer fed as the exporter feeds it: each series'
//               labels one object kept between scrapes (sharedLabels), so
//               prom-client escapes and joins each label set once;
//   exporter    tipcx's ExporterMetrics (src/exporter/metrics.ts): update()
//               from a scrape of real decoded link records (bench/replay.ts)
//               with 4,032 peers and crossover verdicts, then exposition();
//   decode      the collector's link reads of the same 64 namespaces from the
//               replayed dump bytes, only the exported counters decoded.
//   node build/bench/prom-client.js [--namespaces 64] [--links 63] [--runs 15] [--exporter-only] [--json | --numbers]
//   node build/bench/prom-client.js --lab   the same inside a lab kernel, each case timed by
//                                           the kernel's CPU time on the host (bench/exporter.ts)
import { fileURLToPath } from 'node:url';
import { Gauge, Registry } from 'prom-client';
import type { NamespaceSnapshot, Scrape } from '../src/exporter/collect.js';
import { EXPORTED_LINK_COUNTERS, ExporterMetrics } from '../src/exporter/metrics.js';
import type { CrossoverRow } from '../src/tipc/crossover.js';
import { listLinks, parseLinkName, type Link } from '../src/tipc/link.js';
import { median } from './measure.js';
import { meshLinkDump, replaySession, replayTransport } from './replay.js';

export interface Figure {
    medianMs: number;
    minMs: number;
    maxMs: number;
}

export interface PromClientResult {
    namespaces: number;
    linksPerNamespace: number;
    series: number;
    bytes: number;
    documented: Figure;
    writeOnly: Figure;
    writeCached: Figure;
    exporter: Figure;
    decode: Figure;
}

/** Printed around each case when run inside the lab, for the host to read the kernel's CPU time. */
export const CASE_MARK = '@@bench-prom-client';

const LINK_METRICS = 23;

/** CPU time (user + system) of each of `runs` calls, after two warm-up calls; the calls marked when `mark`. */
async function cpuMs(runs: number, fn: (i: number) => Promise<unknown>, mark?: string): Promise<Figure> {
    await fn(-2);
    await fn(-1);
    if (mark) process.stdout.write(`${CASE_MARK} ${mark} start\n`);
    try {
        return await timed(runs, fn);
    } finally {
        if (mark) process.stdout.write(`${CASE_MARK} ${mark} end\n`);
    }
}

async function timed(runs: number, fn: (i: number) => Promise<unknown>): Promise<Figure> {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
        const t0 = process.cpuUsage();
        await fn(i);
        const d = process.cpuUsage(t0);
        samples.push((d.user + d.system) / 1000);
    }
    return { medianMs: median(samples), minMs: Math.min(...samples), maxMs: Math.max(...samples) };
}

const nsName = (i: number) => `bx${i + 1}`;

/** Each namespace's LINK_GET dump: the real broadcast link, then the real unicast links named after the other namespaces. */
function dumps(namespaces: number, links: number): Buffer[][] {
    return Array.from({ length: namespaces }, (_, n) =>
        meshLinkDump(
            nsName(n),
            Array.from({ length: links }, (_, i) => nsName(i >= n ? i + 1 : i)),
        ),
    );
}

function scrapeOf(linksByNs: Link[][]): Scrape {
    const namespaces: NamespaceSnapshot[] = linksByNs.map((links, n) => {
        const peers = links
            .filter((l) => !l.broadcast)
            .map((l, i) => ({
                identity: parseLinkName(l.name).peer,
                address: 0x1000000 + i,
                hash: (0x1000000 + i).toString(16).padStart(8, '0'),
                up: true,
                nodeId: Buffer.from(parseLinkName(l.name).peer.padEnd(16, '\0')).toString('hex'),
            }));
        return {
            label: nsName(n),
            complete: true,
            errors: [],
            durationMs: 3,
            links,
            peers,
            bearers: [{ name: 'eth:eth0', prop: { prio: 10 } }],
            publications: 70,
            sockets: 3,
        };
    });
    const verdicts: CrossoverRow[] = namespaces.flatMap((ns) =>
        (ns.peers ?? []).map((p) => ({
            netns: ns.label,
            peer: p.identity,
            peerNodeId: p.nodeId,
            peerAddress: p.hash,
            up: true,
            verdict: 'crossover' as const,
            reason: 'proven',
            localNetns: p.identity,
            netId: 4711,
            peerHashes: ['f4a581df'],
            localHash: 'f4a581df',
            lastProven: '2026-12-02T07:08:32.000Z',
        })),
    );
    return { namespaces, verdicts, moduleLoaded: true, durationMs: 100 };
}

export async function runPromClient(o: {
    namespaces: number;
    links: number;
    runs: number;
    /** Only the exporter's figure (for a profile of it alone): the others are 0. */
    exporterOnly?: boolean;
    /** Print CASE_MARK lines around each case's timed calls. */
    marks?: boolean;
}): Promise<PromClientResult> {
    const mark = (name: string) => (o.marks ? name : undefined);
    const raw = dumps(o.namespaces, o.links);
    const sessions = raw.map((d) => replaySession(replayTransport({ LINK_GET: d })));
    const readAll = () => Promise.all(sessions.map((s) => listLinks(s, { statistics: EXPORTED_LINK_COUNTERS })));
    const decode = await cpuMs(o.runs, readAll, mark('decode'));
    const linksByNs = await readAll();
    const scrape = scrapeOf(linksByNs);

    const labelSets = linksByNs.flatMap((links, n) =>
        links.map((l) => {
            const ends = l.broadcast ? { peer: '', bearer: '' } : parseLinkName(l.name);
            return { netns: nsName(n), link: l.name, peer: ends.peer, bearer: ends.bearer };
        }),
    );
    const none = { medianMs: 0, minMs: 0, maxMs: 0 };
    const metrics = new ExporterMetrics();
    const exporter = await cpuMs(
        o.runs,
        async () => {
            metrics.update(scrape);
            return metrics.exposition();
        },
        mark('exporter'),
    );
    const { bytes } = await metrics.exposition();
    const result = {
        namespaces: o.namespaces,
        linksPerNamespace: o.links + 1,
        series: labelSets.length * LINK_METRICS,
        bytes,
        exporter,
        decode,
    };
    if (o.exporterOnly) return { ...result, documented: none, writeOnly: none, writeCached: none };
    const registry = new Registry();
    const gauges = Array.from(
        { length: LINK_METRICS },
        (_, i) =>
            new Gauge({
                name: `bench_link_metric_${i}`,
                help: 'a link metric',
                labelNames: ['netns', 'link', 'peer', 'bearer'],
                registers: [registry],
            }),
    );
    const setAll = (round: number) => {
        for (const g of gauges) {
            g.reset();
            for (let i = 0; i < labelSets.length; i++) g.set(labelSets[i], round * 1000 + i);
        }
    };
    const documented = await cpuMs(
        o.runs,
        async (round) => {
            setAll(round);
            return registry.metrics();
        },
        mark('documented'),
    );
    setAll(0);
    const writeOnly = await cpuMs(o.runs, () => registry.metrics(), mark('write-only'));
    // the same series, each label set one object kept between scrapes, as src/exporter/metrics.ts gives them
    const cached = new Registry();
    for (let m = 0; m < LINK_METRICS; m++) {
        const values = labelSets.map((sharedLabels, i) => ({ value: i, labels: {}, sharedLabels }));
        const gauge = new Gauge({
            name: `bench_link_metric_${m}`,
            help: 'a link metric',
            labelNames: ['netns', 'link', 'peer', 'bearer'],
            registers: [cached],
        });
        gauge.get = async () => ({ ...(await Gauge.prototype.get.call(gauge)), values });
    }
    const writeCached = await cpuMs(o.runs, () => cached.metrics(), mark('write-cached'));
    return { ...result, documented, writeOnly, writeCached };
}

const CASES = ['documented', 'write-only', 'write-cached', 'exporter', 'decode'] as const;

/** Boots a lab kernel, runs the cases inside, and times each by the kernel's CPU time on the host. */
async function inLab(o: { runs: number }): Promise<Record<(typeof CASES)[number], number>> {
    const { startVm } = await import('../src/uml/vm.js');
    const { sessionCpuMs } = await import('./exporter.js');
    const at = new Map<string, number>();
    let session = 0;
    const vm = startVm({
        command: [process.execPath, fileURLToPath(import.meta.url), '--inside-lab', '--runs', String(o.runs)],
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        memoryMiB: 2048,
        log: (l) => process.stderr.write(`lab: ${l}\n`),
        onLine: (l) => {
            if (l.startsWith(`${CASE_MARK} `))
                at.set(
                    l.slice(CASE_MARK.length + 1),
                    [...sessionCpuMs(session).values()].reduce((a, b) => a + b, 0),
                );
            else process.stderr.write(`[lab] ${l}\n`);
        },
        timeoutMs: 30 * 60 * 1000,
    });
    session = vm.process.pid!;
    const r = await vm.result;
    if (r.exitCode !== 0) throw new Error(`bench/prom-client.ts in the lab failed (exit ${r.exitCode})`);
    return Object.fromEntries(
        CASES.map((c) => [c, ((at.get(`${c} end`) ?? NaN) - (at.get(`${c} start`) ?? NaN)) / o.runs]),
    ) as Record<(typeof CASES)[number], number>;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    const arg = (name: string, fallback: number) => {
        const at = process.argv.indexOf(name);
        return at > 0 ? Number(process.argv[at + 1]) : fallback;
    };
    if (process.argv.includes('--lab')) {
        const runs = arg('--runs', 10);
        const lab = await inLab({ runs });
        if (process.argv.includes('--numbers')) {
            const key = (c: string) => `${c.replace(/-(\w)/g, (_, x: string) => x.toUpperCase())}Ms`;
            process.stdout.write(`${JSON.stringify(Object.fromEntries(CASES.map((c) => [key(c), lab[c]])))}\n`);
        } else
            process.stdout.write(
                `in the lab kernel, its CPU time on the host per call (${runs} calls each):\n` +
                    CASES.map((c) => `  ${c.padEnd(13)} ${lab[c].toFixed(0)} ms\n`).join(''),
            );
        process.exit(0);
    }
    const r = await runPromClient({
        namespaces: arg('--namespaces', 64),
        links: arg('--links', 63),
        runs: arg('--runs', 15),
        exporterOnly: process.argv.includes('--exporter-only'),
        marks: process.argv.includes('--inside-lab'),
    });
    const f = (x: Figure) => `${x.medianMs.toFixed(0)} ms (${x.minMs.toFixed(0)}-${x.maxMs.toFixed(0)})`;
    if (process.argv.includes('--numbers'))
        process.stdout.write(
            `${JSON.stringify({
                series: r.series,
                documentedMs: r.documented.medianMs,
                writeOnlyMs: r.writeOnly.medianMs,
                writeCachedMs: r.writeCached.medianMs,
                exporterMs: r.exporter.medianMs,
                decodeMs: r.decode.medianMs,
            })}\n`,
        );
    else if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(r, null, 4)}\n`);
    else
        process.stdout.write(
            `${r.namespaces} namespaces x ${r.linksPerNamespace} links, ${r.series} link series (${(r.bytes / 1e6).toFixed(1)} MB of text in all), CPU per scrape, median (min-max):\n` +
                `  prom-client as documented (set every series, write): ${f(r.documented)}\n` +
                `  prom-client writing alone (series already set):      ${f(r.writeOnly)}\n` +
                `  the same, label sets kept between scrapes:           ${f(r.writeCached)}\n` +
                `  tipcx ExporterMetrics update + exposition (all):     ${f(r.exporter)}\n` +
                `  decoding the link dumps (exported counters only):    ${f(r.decode)}\n`,
        );
}
