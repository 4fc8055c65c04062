// Every performance target of issues 14 and 17, as one list: where it is measured, the
// figure it is judged by, and how that figure comes out of the measurements of
// one `npm run bench` run. A target whose measurement did not happen (a
// command failed, a microbenchmark does not exist yet) is reported as not
// measured, with why: never as met.
import { ms, type Timing, type Timings } from './measure.js';

export type Ground = 'host replay' | 'host' | 'lab' | 'in-process';

export interface Measurements {
    host: Timings;
    lab: Timings;
    /** Figures that are not command timings: counts, CPU shares, RSS, microbenchmark results. */
    values: Record<string, number>;
    /** Why a group of measurements is missing, by key prefix (e.g. 'lab.': the lab kernel failed). */
    missing: Record<string, string>;
}

export interface Verdict {
    id: string;
    ground: Ground;
    what: string;
    target: string;
    /** The figure, formatted; 'n/a' when not measured. */
    value: string;
    /** null: not measured, or reported without a target. */
    met: boolean | null;
    detail: string;
}

interface Target {
    id: string;
    ground: Ground;
    what: string;
    target: string;
    judge(m: Measurements): { value: number; unit: string; met: boolean | null; detail: string } | { missing: string };
}

const ok = (t: Timing | undefined): t is Timing => t !== undefined && !t.error;
const why = (m: Measurements, ...ts: (Timing | undefined)[]): string =>
    ts.find((t) => t?.error)?.error ?? Object.values(m.missing)[0] ?? 'not measured in this run';

/** a/b of two timings' medians, judged against `max` (or at least `min`). */
function ratioOf(
    m: Measurements,
    a: Timing | undefined,
    b: Timing | undefined,
    limit: { max?: number; min?: number },
    detail: (a: Timing, b: Timing) => string,
    invert = false,
) {
    if (!ok(a) || !ok(b)) return { missing: why(m, a, b) };
    const value = invert ? b.medianMs / a.medianMs : a.medianMs / b.medianMs;
    const met = limit.max !== undefined ? value <= limit.max : value >= limit.min!;
    return { value, unit: invert ? 'x faster' : 'x', met, detail: detail(a, b) };
}

/** Per-entry cost of a command: the slope between two sizes that run the same code paths. */
function marginal(small: Timing | undefined, large: Timing | undefined, nSmall: number, nLarge: number) {
    if (!ok(small) || !ok(large) || !(nLarge > nSmall)) return undefined;
    return (large.medianMs - small.medianMs) / (nLarge - nSmall);
}

function marginalVsTipc(m: Measurements, what: string, counts: [string, string], max: number) {
    const [nSmall, nLarge] = [m.values[counts[0]], m.values[counts[1]]];
    const t = [`tipcx ${what} small`, `tipcx ${what} large`, `tipc ${what} small`, `tipc ${what} large`].map(
        (k) => m.lab[k],
    );
    const ours = marginal(t[0], t[1], nSmall, nLarge);
    const ref = marginal(t[2], t[3], nSmall, nLarge);
    if (ours === undefined || ref === undefined) return { missing: why(m, ...t) };
    // a slope at or below zero is the noise of the two medians, not a cost: no ratio to judge
    if (ref <= 0 || ours <= 0)
        return {
            missing: `no per-entry cost above the noise (tipcx ${ms(t[0])} / ${ms(t[1])}; tipc ${ms(t[2])} / ${ms(t[3])} between ${nSmall} and ${nLarge} entries)`,
        };
    const value = ours / ref;
    return {
        value,
        unit: 'x',
        met: value <= max,
        detail: `tipcx ${(ours * 1000).toFixed(0)} us, tipc ${(ref * 1000).toFixed(0)} us per entry between ${nSmall} and ${nLarge} entries (tipcx ${ms(t[0])} / ${ms(t[1])}; tipc ${ms(t[2])} / ${ms(t[3])})`,
    };
}

function value(
    m: Measurements,
    key: string,
    unit: string,
    max: number | undefined,
    detail: string,
    missing = 'not measured in this run',
) {
    const v = m.values[key];
    if (v === undefined || !Number.isFinite(v)) return { missing: m.missing[key] ?? missing };
    return { value: v, unit, met: max === undefined ? null : v <= max, detail };
}

const vsFloor = (a: Timing, b: Timing) => `${ms(a)} against node -e 0 ${ms(b)}`;

/** vsFloor, and how far above node -e 0 a script that only prints text already is. */
const vsScriptFloor = (m: Measurements) => (a: Timing, b: Timing) => {
    const script = m.host['script floor'];
    return ok(script)
        ? `${vsFloor(a, b)}; a script that only prints the help text: ${(script.medianMs / b.medianMs).toFixed(2)}x`
        : vsFloor(a, b);
};

/** vsFloor, and what the replay's fake costs on its own (its start is charged to tipcx's figure). */
const vsReplayFloor = (m: Measurements) => (a: Timing, b: Timing) => {
    const fake = m.host['preload alone'];
    return ok(fake)
        ? `${vsFloor(a, b)}; the replay's fake alone (node --require preload -e 0) ${ms(fake)}`
        : vsFloor(a, b);
};

export const TARGETS: Target[] = [
    {
        id: 'help',
        ground: 'host',
        what: '`tipcx --help`, cold, against `node -e 0`',
        target: '<= 1.10x',
        judge: (m) => ratioOf(m, m.host['tipcx --help'], m.host['node -e 0'], { max: 1.1 }, vsScriptFloor(m)),
    },
    {
        id: 'completion',
        ground: 'host',
        what: 'one TAB (`tipcx __complete link s`) against `node -e 0`',
        target: 'report',
        judge: (m) => {
            const r = ratioOf(m, m.host['tipcx completion'], m.host['node -e 0'], { max: Infinity }, vsFloor);
            return 'missing' in r ? r : { ...r, met: null };
        },
    },
    {
        id: 'no-tipc',
        ground: 'host',
        what: '`tipcx node get identity` on a kernel without TIPC (exit 3), against `node -e 0`',
        target: '<= 1.20x',
        judge: (m) => ratioOf(m, m.host['tipcx no tipc'], m.host['node -e 0'], { max: 1.2 }, vsScriptFloor(m)),
    },
    {
        id: 'replay-identity',
        ground: 'host replay',
        what: '`tipcx -n NS node get identity` against `node -e 0`',
        target: '<= 1.25x',
        judge: (m) => ratioOf(m, m.host['replay identity'], m.host['node -e 0'], { max: 1.25 }, vsReplayFloor(m)),
    },
    {
        id: 'replay-link-stats',
        ground: 'host replay',
        what: '`tipcx -n NS link statistics show` of 1,000 links against `node -e 0`',
        target: '<= 1.3x',
        judge: (m) => ratioOf(m, m.host['replay link stats'], m.host['node -e 0'], { max: 1.3 }, vsReplayFloor(m)),
    },
    {
        id: 'replay-nametable',
        ground: 'host replay',
        what: '`tipcx -n NS nametable show` of 10,000 publications against `node -e 0`',
        target: '<= 1.3x',
        judge: (m) => ratioOf(m, m.host['replay nametable'], m.host['node -e 0'], { max: 1.3 }, vsReplayFloor(m)),
    },
    {
        id: 'warm-link',
        ground: 'in-process',
        what: 'warm decode + text per link',
        target: '<= 2.5 us',
        judge: (m) => value(m, 'decode.linkUs', 'us', 2.5, 'bench/decode.ts', 'bench/decode.ts does not exist yet'),
    },
    {
        id: 'warm-row',
        ground: 'in-process',
        what: 'warm decode + text per name table row',
        target: '<= 0.5 us',
        judge: (m) => value(m, 'decode.rowUs', 'us', 0.5, 'bench/decode.ts', 'bench/decode.ts does not exist yet'),
    },
    {
        id: 'top-cpu',
        ground: 'host replay',
        what: '`tipcx --all-netns top` at 1 Hz over 64 namespaces x 63 links for a minute: share of one core',
        target: '<= 5%',
        judge: (m) =>
            value(m, 'top.cpuPercent', '%', 5, `${m.values['top.samples'] ?? '?'} samples, user+sys over wall time`),
    },
    {
        id: 'top-rss',
        ground: 'host replay',
        what: 'the same: peak RSS',
        target: '<= 100 MB',
        judge: (m) => value(m, 'top.rssMB', 'MB', 100, 'GNU time %M'),
    },
    {
        id: 'lab-identity',
        ground: 'lab',
        what: '`tipcx -n ns1 node get identity` in a 3-namespace cluster against `node -e 0`',
        target: '<= 1.5x',
        judge: (m) =>
            ratioOf(m, m.lab['tipcx identity'], m.lab['node -e 0'], { max: 1.5 }, (a, b) =>
                [vsFloor(a, b), ok(m.lab['tipc identity']) ? `; tipc ${ms(m.lab['tipc identity'])}` : ''].join(''),
            ),
    },
    {
        id: 'lab-link-stats',
        ground: 'lab',
        what: '`link statistics show`: marginal cost per link against `tipc` (a 3-node against a 64-node cluster)',
        target: '<= 2x',
        judge: (m) => marginalVsTipc(m, 'link stats', ['links.small', 'links.large'], 2),
    },
    {
        id: 'lab-link-stats-no-turbofan',
        ground: 'lab',
        what: 'the same per link, tipcx run with `node --max-opt=1` (no TurboFan): its own marginal cost',
        target: 'report',
        judge: (m) => {
            const [nSmall, nLarge] = [m.values['links.small'], m.values['links.large']];
            const without = [m.lab['tipcx link stats small no turbofan'], m.lab['tipcx link stats large no turbofan']];
            const ours = marginal(without[0], without[1], nSmall, nLarge);
            const withTurbofan = marginal(
                m.lab['tipcx link stats small'],
                m.lab['tipcx link stats large'],
                nSmall,
                nLarge,
            );
            if (ours === undefined || withTurbofan === undefined) return { missing: why(m, ...without) };
            const us = (x: number) => `${(x * 1000).toFixed(0)} us`;
            return {
                value: ours * 1000,
                unit: 'us',
                met: null,
                detail: `per link between ${nSmall} and ${nLarge} links: ${us(ours)} without TurboFan (${ms(without[0])} / ${ms(without[1])}), ${us(withTurbofan)} with it in the same run`,
            };
        },
    },
    {
        id: 'lab-nametable',
        ground: 'lab',
        what: '`nametable show`: marginal cost per row against `tipc` (100 against 10,000 publications)',
        target: '<= 1x (stay below tipc)',
        judge: (m) => marginalVsTipc(m, 'nametable', ['names.small', 'names.large'], 1),
    },
    {
        id: 'lab-top',
        ground: 'lab',
        what: '`tipcx --all-netns top` over 64 namespaces: share of a core, beside polling `tipc link statistics show` in every namespace each second',
        target: 'report',
        judge: (m) =>
            value(
                m,
                'labTop.cpuPercent',
                '%',
                undefined,
                `tipc needs ${m.values['labTop.tipcPercent']?.toFixed(0) ?? '?'}% of each second for the same reads (one \`ip netns exec tipc link statistics show\` per namespace); peak RSS ${m.values['labTop.rssMB']?.toFixed(0) ?? '?'} MB`,
            ),
    },
    {
        id: 'lab-top-first-frame',
        ground: 'lab',
        what: '`tipcx --all-netns top`: time from start to the first full frame on a terminal',
        target: 'report',
        judge: (m) =>
            value(
                m,
                'labTop.firstFrameMs',
                'ms',
                undefined,
                `from Enter in tmux to the footer counting all ${m.values['labTop.links'] ?? '?'} links; ${m.values['labTop.firstFrameMinMs']?.toFixed(0) ?? '?'}-${m.values['labTop.firstFrameMaxMs']?.toFixed(0) ?? '?'} ms over ${m.values['labTop.firstFrameRuns'] ?? '?'} starts, the screen read every ${m.values['labTop.framePollMs']?.toFixed(0) ?? '?'} ms`,
            ),
    },
    {
        id: 'all-netns',
        ground: 'lab',
        what: '`tipcx --all-netns link list` over 64 namespaces against `ip -all netns exec tipc link list`',
        target: '>= 3x faster',
        judge: (m) =>
            ratioOf(
                m,
                m.lab['tipcx all-netns'],
                m.lab['ip all-netns'],
                { min: 3 },
                (a, b) => `tipcx ${ms(a)}, ip -all netns exec tipc ${ms(b)}`,
                true,
            ),
    },
    {
        id: 'lab-up',
        ground: 'lab',
        what: '`tipcx lab up nodes 64` against bench/lab-up-iproute2.sh (the same cluster, links up in both)',
        target: '<= 0.5x',
        judge: (m) =>
            ratioOf(
                m,
                m.lab['tipcx lab up'],
                m.lab['iproute2 lab up'],
                { max: 0.5 },
                (a, b) => `tipcx ${ms(a)}, iproute2 script ${ms(b)}`,
            ),
    },
    {
        id: 'exporter-scrape',
        ground: 'lab',
        what: "`tipcx --all-netns exporter` at 64 namespaces x 63 links: one scrape as Prometheus makes it (gzip), the lab kernel's CPU time",
        target: '<= 300 ms',
        judge: (m) =>
            value(
                m,
                'exporter.labCpuMs',
                'ms',
                300,
                `bench/exporter.ts, ${m.values['exporter.timed'] ?? '?'} scrapes of ${m.values['exporter.series'] ?? '?'} series; wall median ${m.values['exporter.wallMs']?.toFixed(0) ?? '?'} ms on the shared machine; the plain text ${m.values['exporter.plainLabCpuMs']?.toFixed(0) ?? '?'} ms, reading the kernel ${m.values['exporter.collectMs']?.toFixed(0) ?? '?'} ms of it; prom-client alone writing the link series in the lab ${m.values['promClientLab.writeCachedMs']?.toFixed(0) ?? '?'} ms`,
            ),
    },
    {
        id: 'exporter-rss',
        ground: 'lab',
        what: 'the same: RSS of the exporter over back-to-back scrapes (BENCH_SCRAPES, 3,600 by default: an hour at one a second)',
        target: 'flat',
        judge: (m) => {
            const end = m.values['exporter.rssEndMiB'];
            const flat = m.values['exporter.flat'];
            if (end === undefined || flat === undefined)
                return { missing: m.missing['exporter.'] ?? 'not measured in this run' };
            return {
                value: end,
                unit: 'MB',
                met: flat === 1,
                detail: `${m.values['exporter.scrapes'] ?? '?'} scrapes: ${m.values['exporter.rssStartMiB']?.toFixed(1) ?? '?'} -> ${end.toFixed(1)} MiB, at most ${m.values['exporter.rssMaxMiB']?.toFixed(1) ?? '?'} MiB; flat: the last quarter's largest no more than 10% above the second quarter's`,
            };
        },
    },
    {
        id: 'exporter-replay',
        ground: 'host replay',
        what: 'the same exporter natively, only the kernel replayed (bench/exporter-replay.ts): CPU per scrape',
        target: 'report',
        judge: (m) =>
            value(
                m,
                'exporterReplay.cpuMs',
                'ms',
                undefined,
                `${m.values['exporterReplay.series'] ?? '?'} series; RSS ${m.values['exporterReplay.rssStartMiB']?.toFixed(0) ?? '?'} -> ${m.values['exporterReplay.rssEndMiB']?.toFixed(0) ?? '?'} MiB over ${m.values['exporterReplay.scrapes'] ?? '?'} scrapes`,
            ),
    },
    {
        id: 'prom-client',
        ground: 'in-process',
        what: 'prom-client writing 94,208 link series (64 x 64 links x 23 metrics): as documented, and fed label sets kept between scrapes as the exporter feeds it',
        target: 'report',
        judge: (m) =>
            value(
                m,
                'promClient.writeCachedMs',
                'ms',
                undefined,
                `bench/prom-client.ts, CPU per write: documented use (set() every series, then metrics()) ${m.values['promClient.documentedMs']?.toFixed(0) ?? '?'} ms, writing alone ${m.values['promClient.writeOnlyMs']?.toFixed(0) ?? '?'} ms, kept label sets ${m.values['promClient.writeCachedMs']?.toFixed(0) ?? '?'} ms`,
            ),
    },
];

export function judgeAll(m: Measurements): Verdict[] {
    return TARGETS.map((t) => {
        const r = t.judge(m);
        const base = { id: t.id, ground: t.ground, what: t.what, target: t.target };
        if ('missing' in r) return { ...base, value: 'n/a', met: null, detail: `not measured: ${r.missing}` };
        const digits = r.unit === '%' || r.unit === 'MB' || r.unit === 'ms' ? 1 : 2;
        return { ...base, value: `${r.value.toFixed(digits)} ${r.unit}`, met: r.met, detail: r.detail };
    });
}

function verdictWord(v: Verdict): string {
    if (v.value === 'n/a') return 'not measured';
    if (v.met === null) return 'reported';
    return v.met ? 'met' : '**missed**';
}

/** The markdown table of the verdicts (docs/benchmarks.md carries it; README takes it from there). */
export function verdictTable(verdicts: Verdict[]): string {
    const cell = (s: string) => s.replace(/\|/g, '\\|');
    const rows = verdicts.map(
        (v) => `| ${cell(v.what)} | ${v.ground} | ${cell(v.target)} | ${cell(v.value)} | ${verdictWord(v)} |`,
    );
    return ['| What | Ground | Target | Measured | Verdict |', '|---|---|---|---|---|', ...rows].join('\n') + '\n';
}
