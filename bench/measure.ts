// Timing primitives shared by both grounds of `npm run bench`: whole commands
// run as new processes, the cases being compared interleaved run by run (a
// busy shared machine drifts; interleaving spreads the drift over all of
// them), and medians with min and max. Ratios are always taken between
// figures of the same run.
import { spawnSync } from 'node:child_process';

export interface Timing {
    label: string;
    runs: number;
    minMs: number;
    medianMs: number;
    maxMs: number;
    /** Set when the command failed or printed something unexpected: the figure is then missing, not zero. */
    error?: string;
}

/** One command to time. */
export interface Case {
    /** Stable key the targets look timings up by. */
    key: string;
    label: string;
    argv: string[];
    env?: NodeJS.ProcessEnv;
    /** Expected exit status (default 0). */
    exit?: number;
    /** A complaint when the output shows the command did not do its work, else undefined. */
    check?: (stdout: string, stderr: string) => string | undefined;
}

export type Timings = Record<string, Timing>;

export function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function summarize(label: string, samples: number[]): Timing {
    return {
        label,
        runs: samples.length,
        minMs: Math.min(...samples),
        medianMs: median(samples),
        maxMs: Math.max(...samples),
    };
}

/**
 * The environment commands are timed in: the caller's, without
 * NODE_EXTRA_CA_CERTS. Set (as on this project's machine), it makes every
 * Node process parse a CA bundle first, 410 M of `node -e 0`'s 500 M
 * instructions, which would flatter every ratio against `node -e 0`; a
 * user's shell rarely has it (docs/benchmarks.md, "Reading the figures").
 */
export const timedEnv = (() => {
    const env = { ...process.env };
    delete env.NODE_EXTRA_CA_CERTS;
    return env;
})();

function runOnce(c: Case): number {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(c.argv[0], c.argv.slice(1), {
        encoding: 'utf8',
        env: c.env ?? timedEnv,
        maxBuffer: 256 << 20,
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const want = c.exit ?? 0;
    if (r.error) throw new Error(`${c.argv.join(' ')}: ${r.error.message}`);
    if (r.status !== want)
        throw new Error(
            `${c.argv.join(' ')} exited ${r.status ?? r.signal} (expected ${want}): ${(r.stderr || '').trim().split('\n')[0]}`,
        );
    const complaint = c.check?.(r.stdout, r.stderr);
    if (complaint) throw new Error(`${c.label}: ${complaint}`);
    return ms;
}

/**
 * Times every case `runs` times after one warm-up run each (page cache, not
 * JIT: each run is a new process), interleaved: round r runs every case once.
 * A case that fails once is dropped from the rounds and reported with its error.
 */
export function timeCases(cases: Case[], runs: number, log?: (line: string) => void): Timings {
    const samples = new Map<string, number[]>(cases.map((c) => [c.key, []]));
    const errors = new Map<string, string>();
    const attempt = (c: Case, keep: boolean) => {
        if (errors.has(c.key)) return;
        try {
            const ms = runOnce(c);
            if (keep) samples.get(c.key)!.push(ms);
        } catch (e) {
            errors.set(c.key, (e as Error).message);
            log?.(`${c.label}: ${(e as Error).message}`);
        }
    };
    for (const c of cases) attempt(c, false);
    for (let r = 0; r < runs; r++) for (const c of cases) attempt(c, true);
    const out: Timings = {};
    for (const c of cases) {
        const error = errors.get(c.key);
        out[c.key] = error
            ? { label: c.label, runs: 0, minMs: NaN, medianMs: NaN, maxMs: NaN, error }
            : summarize(c.label, samples.get(c.key)!);
    }
    return out;
}

export const ms = (t: Timing | undefined): string =>
    t && !t.error ? `${t.medianMs.toFixed(0)} ms (${t.minMs.toFixed(0)}-${t.maxMs.toFixed(0)}, n=${t.runs})` : 'n/a';
