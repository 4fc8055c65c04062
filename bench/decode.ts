// Warm, in-process cost of decode + model + text on replayed real kernel
// dumps (bench/replay.ts): `link statistics show` per link and `nametable
// show` per row. Per-entry cost is the marginal cost between two sizes that
// run the same code paths (the broadcast link plus unicast links; real
// publications plus service bindings), so that one-off costs (JIT compiles,
// the header, the identity lookups) are not charged to every entry.
//
// Each process is one draw: where V8 places the optimized code and the heap
// in that process moves the warm figure by up to 2x (measured: the link text
// alone 1.2 or 2.2 us per link, the same in every run of one process, and
// either in a new one; docs/benchmarks.md). So with --processes N the
// figures are the median, min and max over N processes, each giving the
// median of its own runs.
//   node build/bench/decode.js [--runs N] [--processes N] [--json | --numbers]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { linkStatisticsText } from '../src/render/link.js';
import { nameTableText } from '../src/render/nametable.js';
import { linkStatisticsTable } from '../src/tipc/link.js';
import { nameTableRows } from '../src/tipc/nametable.js';
import type { TipcSession } from '../src/tipc/session.js';
import { median } from './measure.js';
import { fixture, linkDump, nameTableDump, replaySession, replayTransport } from './replay.js';

/** What `link statistics show` does between the socket and stdout (src/commands/link/statistics.ts). */
export async function linkStatisticsShow(s: TipcSession): Promise<Buffer> {
    return linkStatisticsText(await linkStatisticsTable(s, false));
}

/** What `nametable show` does between the socket and stdout (src/commands/nametable/show.ts). */
export async function nameTableShow(s: TipcSession): Promise<Buffer> {
    const { table, identityOf } = await nameTableRows(s);
    return nameTableText(table, identityOf);
}

export interface Marginal {
    name: string;
    sizes: [number, number];
    /** µs per entry: median, min, max over the runs (with --processes, over the processes' medians). */
    medianUs: number;
    minUs: number;
    maxUs: number;
    runs: number;
    /** Median µs of one whole call at each size. */
    totalUs: [number, number];
    /** With --processes: each process's median µs per entry. */
    processMediansUs?: number[];
    targetUs: number;
    met: boolean;
}

/**
 * CPU time (user + system, this process) per call, over calls that add up to
 * `minMs`: on a machine shared with other work, CPU time does not count the
 * time spent waiting for a core, which wall time would.
 */
async function perCallUs(fn: () => Promise<unknown>, minMs: number): Promise<number> {
    let reps = 0;
    const t0 = process.cpuUsage();
    let elapsed: number;
    do {
        await fn();
        reps++;
        const d = process.cpuUsage(t0);
        elapsed = d.user + d.system;
    } while (elapsed < minMs * 1e3);
    return elapsed / reps;
}

async function marginal(
    name: string,
    sizes: [number, number],
    call: (size: number) => () => Promise<unknown>,
    targetUs: number,
    runs: number,
): Promise<Marginal> {
    const [small, large] = sizes.map(call);
    // warm: both sizes through every tier of the JIT before anything is timed
    await perCallUs(small, 300);
    await perCallUs(large, 300);
    const per: number[] = [];
    const totals: [number[], number[]] = [[], []];
    for (let r = 0; r < runs; r++) {
        const a = await perCallUs(small, 40);
        const b = await perCallUs(large, 120);
        totals[0].push(a);
        totals[1].push(b);
        per.push((b - a) / (sizes[1] - sizes[0]));
    }
    const medianUs = median(per);
    return {
        name,
        sizes,
        medianUs,
        minUs: Math.min(...per),
        maxUs: Math.max(...per),
        runs,
        totalUs: [median(totals[0]), median(totals[1])],
        targetUs,
        met: medianUs <= targetUs,
    };
}

/** The replay must print what iproute2's tipc printed for the same dump, or the timing means nothing. */
async function checkAgainstTipc(): Promise<void> {
    const s = replaySession(
        replayTransport({
            LINK_GET: fixture.dumps.LINK_GET.map((h) => Buffer.from(h, 'hex')),
            NAME_TABLE_GET: fixture.dumps.NAME_TABLE_GET.map((h) => Buffer.from(h, 'hex')),
        }),
    );
    // the supervision counters moved between the dump and tipc's own (test/unit/render-link.test.ts)
    const mask = (text: string) => text.replace(/^( {2}[RT]X states:)\d+ probes:\d+/gm, '$1N probes:N');
    if (mask((await linkStatisticsShow(s)).toString()) !== mask(fixture.tipc['link statistics show'].stdout))
        throw new Error('replayed link statistics differ from what tipc printed');
    if ((await nameTableShow(s)).toString() !== fixture.tipc['nametable show'].stdout)
        throw new Error('replayed name table differs from what tipc printed');
}

export async function runDecodeBench(runs = 15): Promise<Marginal[]> {
    await checkAgainstTipc();
    const links = await marginal(
        'link statistics show: decode + text per link (warm)',
        [100, 1000],
        (n) => {
            const s = replaySession(replayTransport({ LINK_GET: linkDump(n) }, { fresh: false }));
            return () => linkStatisticsShow(s);
        },
        2.5,
        runs,
    );
    const names = await marginal(
        'nametable show: decode + text per row (warm)',
        [100, 10_000],
        (n) => {
            const s = replaySession(replayTransport({ NAME_TABLE_GET: nameTableDump(n) }, { fresh: false }));
            return () => nameTableShow(s);
        },
        0.5,
        runs,
    );
    return [links, names];
}

/** The figures of `processes` runs of this file, each in a process of its own: median, min and max over them. */
function acrossProcesses(runs: number, processes: number): Marginal[] {
    const draws = Array.from({ length: processes }, () => {
        const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--runs', String(runs), '--json'], {
            encoding: 'utf8',
        });
        if (r.status !== 0) throw new Error(`decode bench process exited ${r.status}: ${r.stderr.trim()}`);
        return JSON.parse(r.stdout) as Marginal[];
    });
    return draws[0].map((first, i) => {
        const medians = draws.map((d) => d[i].medianUs);
        const medianUs = median(medians);
        return {
            ...first,
            medianUs,
            minUs: Math.min(...medians),
            maxUs: Math.max(...medians),
            runs: runs * processes,
            processMediansUs: medians,
            totalUs: [median(draws.map((d) => d[i].totalUs[0])), median(draws.map((d) => d[i].totalUs[1]))],
            met: medianUs <= first.targetUs,
        };
    });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    const number = (flag: string, fallback: number) => {
        const at = process.argv.indexOf(flag);
        return at > 0 ? Number(process.argv[at + 1]) : fallback;
    };
    const runs = number('--runs', 15);
    const processes = number('--processes', 1);
    const figures = processes > 1 ? acrossProcesses(runs, processes) : await runDecodeBench(runs);
    const [links, rows] = figures;
    if (process.argv.includes('--numbers'))
        process.stdout.write(
            `${JSON.stringify({ linkUs: links.medianUs, linkMinUs: links.minUs, linkMaxUs: links.maxUs, rowUs: rows.medianUs, rowMinUs: rows.minUs, rowMaxUs: rows.maxUs, processes })}\n`,
        );
    else if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(figures, null, 4)}\n`);
    else
        for (const f of figures)
            process.stdout.write(
                `${f.name}: ${f.medianUs.toFixed(3)} us/entry (min ${f.minUs.toFixed(3)}, max ${f.maxUs.toFixed(3)}, ` +
                    `${f.runs} runs${processes > 1 ? ` in ${processes} processes` : ''}; whole call ${f.totalUs[0].toFixed(0)} us at ${f.sizes[0]}, ` +
                    `${f.totalUs[1].toFixed(0)} us at ${f.sizes[1]}) target <= ${f.targetUs}: ${f.met ? 'met' : 'MISSED'}\n`,
            );
}
