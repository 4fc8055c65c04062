// `tipcx --all-netns -j top` natively, over real network namespaces, with only
// the netlink socket faked: 64 namespaces (ip netns add tipcx-bench-top-PID-NN) of 63
// unicast links and the broadcast link each, replayed from the real kernel's
// LINK_GET bytes (bench/replay.ts) with rx/tx moving every sample, sampled at
// 1 Hz for 60 s with crossover verdicts on, the NDJSON written to /dev/null.
// The sampler, the reader (src/top/environment.ts sessionReader), the
// session, the codec and the NDJSON writer are tipcx's own; namespaces are
// listed from /run/netns and entered with setns as top does.
// Reports the share of one core (process.cpuUsage over wall time) and the
// peak RSS. Needs root (ip netns add); the namespaces are always removed.
//   node build/bench/top-replay.js [--seconds 60] [--namespaces 64] [--links 63] [--all-counters] [--json | --numbers]
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { fileURLToPath } from 'node:url';
import { listNamedNetns, withNetns } from '../src/netlink/netns.js';
import type { TipcTransport } from '../src/netlink/transport.js';
import { realEnvironment, sessionReader } from '../src/top/environment.js';
import { streamNdjson } from '../src/top/ndjson.js';
import { keepHeapSmall } from '../src/top/run.js';
import { topOptions } from '../src/top/options.js';
import { Sampler, type SamplerEnvironment } from '../src/top/sampler.js';
import { crossoverVerdicts, type CrossoverModule } from '../src/top/verdicts.js';
import { linkDump, renameLink, replaySession } from './replay.js';

/** This run's namespaces: the pid keeps two runs (or bench/host.ts's tipcx-bench-*) apart. */
const OWN_PREFIX = `tipcx-bench-top-${process.pid}-`;
const LEFTOVER = /^tipcx-bench-top-(\d+)-/;
const LE = endianness() === 'LE';

export interface TopReplayOptions {
    seconds: number;
    namespaces: number;
    links: number;
    allCounters: boolean;
}

export interface TopReplayResult {
    name: string;
    namespaces: number;
    linksPerNamespace: number;
    seconds: number;
    samples: number;
    /** CPU time (user + system) over wall time, percent of one core. */
    corePercent: number;
    peakRssMiB: number;
    ndjsonBytesPerSecond: number;
    targets: { corePercent: number; peakRssMiB: number };
    met: boolean;
}

const ip = (...args: string[]) => spawnSync('ip', args, { encoding: 'utf8' });

/** This run's namespaces, and those of runs that were killed (their process is gone). */
function removeBenchNamespaces(): void {
    for (const name of listNamedNetns()) {
        const pid = LEFTOVER.exec(name)?.[1];
        if (name.startsWith(OWN_PREFIX) || (pid !== undefined && !existsSync(`/proc/${pid}`))) ip('netns', 'del', name);
    }
}

function createNamespaces(count: number): string[] {
    removeBenchNamespaces(); // leftovers of an interrupted run
    const names = Array.from({ length: count }, (_, i) => `${OWN_PREFIX}${String(i).padStart(2, '0')}`);
    for (const name of names) {
        const r = ip('netns', 'add', name);
        if (r.status !== 0) throw new Error(`ip netns add ${name}: ${r.stderr.trim()} (the benchmark needs root)`);
    }
    return names;
}

/** Offsets of the u32 payloads of TIPC_NLA_LINK_RX (9) and _TX (10) in a LINK_GET reply, if present. */
function rxTxOffsets(message: Buffer): number[] {
    const u16 = (off: number) => (LE ? message.readUInt16LE(off) : message.readUInt16BE(off));
    const outerLen = u16(0);
    const out: number[] = [];
    for (let off = 4; off + 4 <= outerLen; off += (u16(off) + 3) & ~3) {
        const type = u16(off + 2) & 0x3fff;
        if ((type === 9 || type === 10) && u16(off) === 8) out.push(off + 4);
        if (u16(off) < 4) break;
    }
    return out;
}

/**
 * One namespace's kernel, replayed: every dump is the namespace's link
 * messages, copied into a fresh receive buffer, with each unicast link's rx
 * and tx moved on by a few hundred packets as traffic would.
 */
function namespaceTransport(own: string, peers: string[], links: number): TipcTransport {
    const names = peers.filter((p) => p !== own).slice(0, links);
    while (names.length < links) names.push(`extra${names.length}`);
    // broadcast link first; the unicast links named after the peers (the other bench namespaces), as in a full mesh
    const messages = linkDump(links + 1, own);
    const named = [messages[0], ...names.map((peer, i) => renameLink(messages[i + 1], `${own}:eth0-${peer}:eth0`))];
    const counters = named.map(rxTxOffsets);
    let tick = 0;
    return {
        familyId: 0x20,
        dump() {
            tick++;
            const datagram = Buffer.concat(named);
            const out = new Array<Buffer>(named.length);
            for (let i = 0, off = 0; i < named.length; off += named[i].length, i++) {
                for (const at of counters[i]) {
                    const value = (LE ? datagram.readUInt32LE(off + at) : datagram.readUInt32BE(off + at)) >>> 0;
                    const moved = (value + tick * (100 + ((i * 37) % 400))) >>> 0; // a steady pace per link: never back (a reset)
                    if (LE) datagram.writeUInt32LE(moved, off + at);
                    else datagram.writeUInt32BE(moved, off + at);
                }
                out[i] = datagram.subarray(off, off + named[i].length);
            }
            return Promise.resolve(out);
        },
        doit: () => Promise.reject(new Error('the replay answers dumps only')),
        close() {},
    };
}

/**
 * Verdicts as gatherCrossover gives them for namespaces of one host that
 * share nothing yet: every peer is another local namespace, so each row is
 * "local-unproven" (crossover), which is the most text top carries per link.
 */
function localVerdicts(all: string[]): CrossoverModule {
    return {
        CURRENT_NETNS: '(current)',
        gatherCrossover: ({ rows }) =>
            Promise.resolve(
                rows.flatMap((row) =>
                    all
                        .filter((peer) => peer !== row.netns)
                        .map((peer, i) => ({
                            netns: row.netns,
                            peer,
                            peerAddress: (0x1000000 + i).toString(16),
                            verdict: 'local-unproven',
                            reason: `${peer} has the same identity and net id; no discovery frame from ${peer} seen here yet`,
                        })),
                ),
            ),
    };
}

export async function runTopReplay(opts: TopReplayOptions): Promise<TopReplayResult> {
    keepHeapSmall(); // what runTop does when top starts
    const names = createNamespaces(opts.namespaces);
    const cleanup = () => removeBenchNamespaces();
    const onSignal = (signal: NodeJS.Signals) => {
        cleanup();
        process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
        const listNamespaces = () => listNamedNetns().filter((n) => n.startsWith(OWN_PREFIX));
        const env: SamplerEnvironment = {
            listNamespaces,
            namespaceInode: (name) => realEnvironment.namespaceInode(name),
            moduleLoaded: () => true, // the host has no TIPC module: the one fact faked besides the socket
            now: () => realEnvironment.now(),
            open(namespace) {
                if (namespace === undefined) throw new Error('the benchmark watches named namespaces only');
                // the transport is made inside the namespace, as openTipc makes its socket there
                const transport = withNetns({ name: namespace }, () =>
                    namespaceTransport(namespace, names, opts.links),
                );
                return Promise.resolve(sessionReader(replaySession(transport)));
            },
        };
        const options = topOptions(
            { reverse: false, readOnly: true, statistics: opts.allCounters, count: opts.seconds },
            {
                kind: 'all',
            },
        );
        const sampler = new Sampler({
            scope: options.scope,
            env,
            verdicts: crossoverVerdicts(localVerdicts(names), listNamespaces),
            verdictEvery: 5,
            intervalMs: options.intervalMs,
            statistics: options.statistics,
        });
        const devNull = openSync('/dev/null', 'w');
        let bytes = 0;
        let peakRss = process.memoryUsage.rss();
        const rssWatch = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100);
        const t0 = process.hrtime.bigint();
        const cpu0 = process.cpuUsage();
        try {
            await streamNdjson(
                sampler,
                options,
                {
                    write(chunk: string) {
                        bytes += Buffer.byteLength(chunk);
                        return writeSync(devNull, chunk);
                    },
                },
                new AbortController().signal,
            );
        } finally {
            clearInterval(rssWatch);
            sampler.close();
            closeSync(devNull);
        }
        const wallUs = Number(process.hrtime.bigint() - t0) / 1e3;
        const cpu = process.cpuUsage(cpu0);
        peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
        const corePercent = (100 * (cpu.user + cpu.system)) / wallUs;
        const peakRssMiB = peakRss / 2 ** 20;
        const targets = { corePercent: 5, peakRssMiB: 100 };
        return {
            name: `top --all-netns -j${opts.allCounters ? ' all-counters' : ''}: ${opts.namespaces} namespaces x ${opts.links} links, 1 Hz, verdicts on (replay)`,
            namespaces: opts.namespaces,
            linksPerNamespace: opts.links,
            seconds: wallUs / 1e6,
            samples: opts.seconds + 1,
            corePercent,
            peakRssMiB,
            ndjsonBytesPerSecond: bytes / (wallUs / 1e6),
            targets,
            met: corePercent <= targets.corePercent && peakRssMiB <= targets.peakRssMiB,
        };
    } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        cleanup();
    }
}

/** The command line this file takes (the usage line at the top of the file). */
const USAGE =
    'usage: node build/bench/top-replay.js [--seconds 60] [--namespaces 64] [--links 63] [--all-counters] [--json | --numbers]';

/** An unknown word, or a number option without a positive integer, as one line; undefined when the line is good. */
function badArgument(argv: readonly string[]): string | undefined {
    for (let i = 0; i < argv.length; i++) {
        if (['--all-counters', '--json', '--numbers'].includes(argv[i])) continue;
        if (!['--seconds', '--namespaces', '--links'].includes(argv[i])) return `unknown argument "${argv[i]}"`;
        const value = argv[++i];
        if (value === undefined || !/^[1-9]\d*$/.test(value))
            return `${argv[i - 1]} takes a positive integer, not ${value === undefined ? 'nothing' : `"${value}"`}`;
    }
    return undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    const bad = badArgument(process.argv.slice(2));
    if (bad !== undefined) {
        process.stderr.write(`top-replay: ${bad}\n${USAGE}\n`);
        process.exit(2);
    }
    const arg = (name: string, fallback: number) => {
        const at = process.argv.indexOf(name);
        return at > 0 ? Number(process.argv[at + 1]) : fallback;
    };
    const result = await runTopReplay({
        seconds: arg('--seconds', 60),
        namespaces: arg('--namespaces', 64),
        links: arg('--links', 63),
        allCounters: process.argv.includes('--all-counters'),
    });
    if (process.argv.includes('--numbers'))
        process.stdout.write(`${JSON.stringify({ corePercent: result.corePercent, peakRssMiB: result.peakRssMiB })}\n`);
    else if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(result, null, 4)}\n`);
    else
        process.stdout.write(
            `${result.name}: ${result.corePercent.toFixed(2)}% of one core (target <= ${result.targets.corePercent}), ` +
                `peak RSS ${result.peakRssMiB.toFixed(1)} MiB (target <= ${result.targets.peakRssMiB}), ` +
                `${(result.ndjsonBytesPerSecond / 1e3).toFixed(0)} kB/s of NDJSON over ${result.seconds.toFixed(1)} s: ` +
                `${result.met ? 'met' : 'MISSED'}\n`,
        );
}
