// What the hostile-input tests ran, told to test/run-all.ts, which adds it up
// over every test process and prints it under the totals: a count that drops
// (a generator that stopped generating) shows in the summary, not only here.
import type { TestContext } from 'node:test';

export const COUNT_PREFIX = 'tipcx-count';
export type Counted = 'bad inputs' | 'fuzz cases' | 'fault scenarios';

export function reportCount(t: TestContext, what: Counted, n: number): void {
    t.diagnostic(`${COUNT_PREFIX} ${what}: ${n}`);
}

/** Sums the counts in a test process's spec output ("ℹ tipcx-count fuzz cases: 10000"). */
export function countsIn(output: string): Map<Counted, number> {
    const sums = new Map<Counted, number>();
    for (const m of output.matchAll(
        new RegExp(`${COUNT_PREFIX} (bad inputs|fuzz cases|fault scenarios): (\\d+)$`, 'gm'),
    )) {
        const what = m[1] as Counted;
        sums.set(what, (sums.get(what) ?? 0) + Number(m[2]));
    }
    return sums;
}
