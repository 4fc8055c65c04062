// Timing primitives shared by the host and in-VM halves of the benchmark:
// repeated runs of a command, min and median, and ratios against a reference
// measured in the same run (absolute times on these machines are noise).
import { spawnSync } from 'node:child_process';

export interface Timing {
    label: string;
    runs: number;
    minMs: number;
    medianMs: number;
    /** Set when the command failed: the figure is then missing, not zero. */
    error?: string;
}

export function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Wall time of `argv` over `runs` runs after one warm-up (page cache, not JIT: each run is a new process). */
export function timeCommand(label: string, argv: string[], runs = 7, env?: NodeJS.ProcessEnv): Timing {
    const once = () => {
        const t0 = process.hrtime.bigint();
        const r = spawnSync(argv[0], argv.slice(1), {
            encoding: 'utf8',
            env: env ?? process.env,
            maxBuffer: 64 << 20,
        });
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (r.status !== 0)
            throw new Error(`${argv.join(' ')} exited ${r.status}: ${(r.stderr || '').trim().split('\n')[0]}`);
        return ms;
    };
    try {
        once();
        const samples = Array.from({ length: runs }, once);
        return { label, runs, minMs: Math.min(...samples), medianMs: median(samples) };
    } catch (err) {
        return { label, runs: 0, minMs: NaN, medianMs: NaN, error: (err as Error).message };
    }
}

export function ratio(a: Timing, b: Timing): number {
    return a.medianMs / b.medianMs;
}

export interface Figure {
    name: string;
    value: number;
    unit: string;
    target?: string;
    met?: boolean;
    detail: string;
}

export function formatFigures(figures: Figure[]): string {
    const rows = figures.map((f) => [
        f.name,
        Number.isFinite(f.value) ? `${f.value.toFixed(f.unit === 'x' ? 2 : 1)} ${f.unit}` : 'n/a',
        f.target ?? '',
        f.met === undefined ? '' : f.met ? 'met' : 'MISSED',
        f.detail,
    ]);
    const head = ['figure', 'value', 'target', '', 'measured'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r: string[]) =>
        r
            .map((c, i) => c.padEnd(widths[i]))
            .join('  ')
            .trimEnd();
    return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}
