// `tipcx exporter` natively, in-process, with only the kernel's sockets
// replayed: 64 namespaces in a full mesh (63 unicast links and the broadcast
// link each, 63 peers each, 4,032 crossover verdicts), every namespace's
// dumps made from the real kernel's bytes (bench/replay.ts). The collector,
// the crossover verdicts (no frames captured: every local peer is
// local-unproven), the metrics, prom-client's writer and the HTTP server are
// tipcx's own; scrapes are HTTP GETs over loopback from this process, made as
// Prometheus makes them (Accept-Encoding: gzip) unless --plain.
// Reports CPU time per scrape (process.cpuUsage: on a shared machine wall time
// counts the neighbours too), wall time, and memory over `--scrapes`
// back-to-back scrapes: RSS every 100 scrapes and, with node --expose-gc, the
// heap after a full GC (heapUsed, external, arrayBuffers), which tells a heap
// that grows to its working size from one that leaks.
//   node --expose-gc build/bench/exporter-replay.js [--namespaces 64] [--timed 30] [--scrapes 3600] [--plain] [--json | --numbers]
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Collector, type NamespaceTarget } from '../src/exporter/collect.js';
import { EXPORTED_LINK_COUNTERS, ExporterMetrics } from '../src/exporter/metrics.js';
import { scrapeSource } from '../src/exporter/run.js';
import { startServer } from '../src/exporter/server.js';
import type { TipcSocket } from '../src/netlink/tipc-socket.js';
import { CrossoverWatch, type CrossoverHost } from '../src/tipc/crossover.js';
import { median } from './measure.js';
import {
    addressOfIdentity,
    identityBytes,
    meshLinkDump,
    netDump,
    nodeDump,
    recordedDump,
    replaySession,
    replayTransport,
} from './replay.js';

export interface ExporterReplayResult {
    namespaces: number;
    links: number;
    series: number;
    bytes: number;
    scrape: {
        cpuMedianMs: number;
        cpuMinMs: number;
        cpuMaxMs: number;
        wallMedianMs: number;
        /** Minor page faults per scrape: in the lab each one traps to the host, as a system call does. */
        pageFaultsMedian: number;
        timed: number;
    };
    memory: {
        scrapes: number;
        seconds: number;
        rssMiB: { scrapes: number; mib: number }[];
        /** After a full GC, when node runs with --expose-gc. */
        heapAfterGc?: { scrapes: number; heapUsedMiB: number; externalMiB: number; arrayBuffersMiB: number }[];
        flat: boolean;
    };
}

const MiB = 2 ** 20;
const nsName = (i: number) => `bx${i + 1}`;

/** The crossover module's view of this host, without capture: the verdicts are decided from what was read. */
const noCaptureHost: CrossoverHost = {
    supported: () => true,
    exists: () => true,
    read: () => Promise.reject(new Error('the exporter reads namespaces itself')),
    capture: () => ({ refresh() {}, drain() {}, close() {} }),
    captureRefusal: () => undefined,
    now: () => Date.now(),
    sleep: () => Promise.resolve(),
};

/**
 * GET /metrics; the text only when asked for (decoding 10 MB would be the
 * client's cost, counted as the exporter's). `gzip`: as Prometheus asks, the
 * body left compressed.
 */
function get(port: number, keep = false, gzip = false): Promise<{ bytes: number; text?: string }> {
    return new Promise((resolve, reject) => {
        const headers = gzip ? { 'Accept-Encoding': 'gzip' } : {};
        const req = request({ host: '127.0.0.1', port, path: '/metrics', headers, agent: false }, (res) => {
            let bytes = 0;
            const chunks: Buffer[] = [];
            res.on('data', (d: Buffer) => {
                bytes += d.length;
                if (keep) chunks.push(d);
            });
            res.on('end', () => {
                if (res.statusCode !== 200) return reject(new Error(`GET /metrics: ${res.statusCode}`));
                resolve({ bytes, ...(keep ? { text: Buffer.concat(chunks).toString() } : {}) });
            });
        });
        req.on('error', reject);
        req.end();
    });
}

/** Flat: the largest RSS of the last quarter of the run no more than 10 % above that of the second quarter. */
export function rssFlat(rss: readonly { mib: number }[]): boolean {
    const quarter = (from: number, to: number) =>
        Math.max(
            ...rss.slice(Math.floor(rss.length * from), Math.max(Math.floor(rss.length * to), 1)).map((r) => r.mib),
        );
    return quarter(0.75, 1) <= quarter(0.25, 0.5) * 1.1;
}

export async function runExporterReplay(o: {
    namespaces: number;
    timed: number;
    scrapes: number;
    /** Scrapes as Prometheus makes them (Accept-Encoding: gzip), or of the plain text. */
    gzip: boolean;
    log?: (line: string) => void;
}): Promise<ExporterReplayResult> {
    const names = Array.from({ length: o.namespaces }, (_, i) => nsName(i));
    const identityOf = new Map(names.map((n) => [addressOfIdentity(n), identityBytes(n)]));
    const targets: NamespaceTarget[] = names.map((label) => ({ label }));
    const collector = new Collector({
        namespaces: () => ({ targets, candidates: targets }),
        moduleLoaded: () => true,
        linkCounters: EXPORTED_LINK_COUNTERS,
        verdicts: new CrossoverWatch(noCaptureHost),
        open: (target) => {
            const peers = names.filter((n) => n !== target.label);
            const session = replaySession(
                replayTransport({
                    NET_GET: netDump(target.label),
                    LINK_GET: meshLinkDump(target.label, peers),
                    NODE_GET: nodeDump(peers.map(addressOfIdentity)),
                    BEARER_GET: recordedDump('BEARER_GET'),
                    NAME_TABLE_GET: recordedDump('NAME_TABLE_GET'),
                    SOCK_GET: recordedDump('SOCK_GET'),
                }),
            );
            const socket = { nodeId: (a: number) => identityOf.get(a) ?? null, close() {} } as unknown as TipcSocket;
            session.tipcSocket = () => socket;
            return Promise.resolve(session);
        },
    });
    const metrics = new ExporterMetrics();
    const server = await startServer({
        address: { host: '127.0.0.1', port: 0, loopback: true },
        source: scrapeSource(collector, metrics),
        budgetMs: 60_000,
        onError: (e) => {
            throw e;
        },
    });
    const { port } = server.address() as AddressInfo;
    const gc = (globalThis as { gc?: () => void }).gc;
    try {
        for (let i = 0; i < 3; i++) await get(port);
        const first = await get(port, true);
        const lines = first.text!.split('\n');
        const links = lines.filter((l) => l.startsWith('tipc_link_up{')).length;
        const series = lines.filter((l) => l !== '' && !l.startsWith('#')).length;
        const verdicts = lines.filter((l) => l.startsWith('tipc_crossover_verdict_info{')).length;
        o.log?.(`${o.namespaces} namespaces: ${links} links, ${verdicts} verdicts, ${series} series`);
        const cpu: number[] = [];
        const wall: number[] = [];
        const faults: number[] = [];
        for (let i = 0; i < o.timed; i++) {
            const c0 = process.cpuUsage();
            const f0 = process.resourceUsage().minorPageFault;
            const t0 = process.hrtime.bigint();
            await get(port, false, o.gzip);
            const d = process.cpuUsage(c0);
            cpu.push((d.user + d.system) / 1000);
            wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
            faults.push(process.resourceUsage().minorPageFault - f0);
        }
        const heapAfterGc: NonNullable<ExporterReplayResult['memory']['heapAfterGc']> = [];
        const sampleHeap = (scrapes: number) => {
            if (!gc) return;
            gc();
            const m = process.memoryUsage();
            heapAfterGc.push({
                scrapes,
                heapUsedMiB: m.heapUsed / MiB,
                externalMiB: m.external / MiB,
                arrayBuffersMiB: m.arrayBuffers / MiB,
            });
        };
        const rss = [{ scrapes: 0, mib: process.memoryUsage.rss() / MiB }];
        sampleHeap(0);
        const started = Date.now();
        for (let i = 1; i <= o.scrapes; i++) {
            await get(port, false, o.gzip);
            if (i % 100 === 0 || i === o.scrapes) {
                rss.push({ scrapes: i, mib: process.memoryUsage.rss() / MiB });
                if (i % 600 === 0 || i === o.scrapes) sampleHeap(i);
                o.log?.(`${i} scrapes, RSS ${rss.at(-1)!.mib.toFixed(1)} MiB`);
            }
        }
        return {
            namespaces: o.namespaces,
            links,
            series,
            bytes: first.bytes,
            scrape: {
                cpuMedianMs: median(cpu),
                cpuMinMs: Math.min(...cpu),
                cpuMaxMs: Math.max(...cpu),
                wallMedianMs: median(wall),
                pageFaultsMedian: median(faults),
                timed: o.timed,
            },
            memory: {
                scrapes: o.scrapes,
                seconds: (Date.now() - started) / 1000,
                rssMiB: rss,
                ...(gc ? { heapAfterGc } : {}),
                flat: rssFlat(rss),
            },
        };
    } finally {
        server.close();
        server.closeAllConnections();
        collector.close();
    }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    const arg = (name: string, fallback: number) => {
        const at = process.argv.indexOf(name);
        return at > 0 ? Number(process.argv[at + 1]) : fallback;
    };
    const quiet = process.argv.includes('--numbers') || process.argv.includes('--json');
    const r = await runExporterReplay({
        namespaces: arg('--namespaces', 64),
        timed: arg('--timed', 30),
        scrapes: arg('--scrapes', 3600),
        gzip: !process.argv.includes('--plain'),
        log: quiet ? undefined : (l) => process.stderr.write(`${l}\n`),
    });
    const rss = r.memory.rssMiB;
    const heap = r.memory.heapAfterGc;
    if (process.argv.includes('--numbers'))
        process.stdout.write(
            `${JSON.stringify({
                cpuMs: r.scrape.cpuMedianMs,
                cpuMinMs: r.scrape.cpuMinMs,
                cpuMaxMs: r.scrape.cpuMaxMs,
                wallMs: r.scrape.wallMedianMs,
                series: r.series,
                scrapes: r.memory.scrapes,
                rssStartMiB: rss[0].mib,
                rssEndMiB: rss.at(-1)!.mib,
                rssMaxMiB: Math.max(...rss.map((x) => x.mib)),
                ...(heap?.length ? { heapStartMiB: heap[0].heapUsedMiB, heapEndMiB: heap.at(-1)!.heapUsedMiB } : {}),
                flat: r.memory.flat ? 1 : 0,
            })}\n`,
        );
    else if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(r, null, 4)}\n`);
    else
        process.stdout.write(
            `exporter on the replay, ${r.namespaces} namespaces, ${r.links} links, ${r.series} series (${(r.bytes / 1e6).toFixed(1)} MB):\n` +
                `  CPU per scrape: median ${r.scrape.cpuMedianMs.toFixed(0)} ms (${r.scrape.cpuMinMs.toFixed(0)}-${r.scrape.cpuMaxMs.toFixed(0)}) over ${r.scrape.timed} scrapes; wall median ${r.scrape.wallMedianMs.toFixed(0)} ms; ${r.scrape.pageFaultsMedian.toFixed(0)} page faults\n` +
                `  RSS over ${r.memory.scrapes} back-to-back scrapes (${r.memory.seconds.toFixed(0)} s): ${rss[0].mib.toFixed(1)} -> ${rss.at(-1)!.mib.toFixed(1)} MiB (max ${Math.max(...rss.map((x) => x.mib)).toFixed(1)}), ${r.memory.flat ? 'flat' : 'GROWING'}\n` +
                (heap?.length
                    ? `  heap after a full GC: ${heap.map((h) => `${h.scrapes}: ${h.heapUsedMiB.toFixed(1)}`).join(', ')} MiB (external ${heap[0].externalMiB.toFixed(1)} -> ${heap.at(-1)!.externalMiB.toFixed(1)}, array buffers ${heap[0].arrayBuffersMiB.toFixed(1)} -> ${heap.at(-1)!.arrayBuffersMiB.toFixed(1)})\n`
                    : ''),
        );
}
