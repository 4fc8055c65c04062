// Counter arithmetic for `tipcx top`: deltas of the kernel's u32 link counters
// (which wrap, and which `link statistics reset` or a link re-establishment
// sets back to zero) and rates over the last 2, 10 and 40 samples, as iftop
// shows 2 s / 10 s / 40 s averages side by side.

export const U32 = 2 ** 32;

/** The averaging windows, in samples. */
export const WINDOWS = [2, 10, 40] as const;
export type Window = (typeof WINDOWS)[number];
const HISTORY_LENGTH = 40;

export type DeltaKind = 'normal' | 'wrapped' | 'reset';

export interface CounterDelta {
    readonly delta: number;
    readonly kind: DeltaKind;
}

/**
 * How far a u32 counter moved from `previous` to `current`. A counter that went
 * down either wrapped past 2^32 (it was in the upper half and the wrapped
 * distance is under half the range) or was reset to zero, in which case it has
 * counted `current` since the reset.
 */
export function counterDelta(previous: number, current: number): CounterDelta {
    if (current >= previous) return { delta: current - previous, kind: 'normal' };
    const wrapped = current + U32 - previous;
    if (previous >= U32 / 2 && wrapped < U32 / 2) return { delta: wrapped, kind: 'wrapped' };
    return { delta: current, kind: 'reset' };
}

/** Counters whose rates `top` shows; all are cumulative u32s from LINK_GET. */
export const RATE_COUNTERS = ['rx', 'tx', 'retransmitted', 'nacks', 'duplicates', 'congestion'] as const;
export type RateCounter = (typeof RATE_COUNTERS)[number];

export type CounterValues = Record<RateCounter, number>;
export type WindowRates = Record<`s${Window}`, number>;
export type LinkRates = Record<RateCounter, WindowRates>;

interface Step {
    readonly seconds: number;
    readonly deltas: CounterValues;
}

/**
 * One link's recent history: the last 40 sample-to-sample steps. `push` takes
 * the cumulative counters of a new sample and reports whether they went back
 * (a reset) so the caller can log it.
 */
export class CounterHistory {
    private previous?: { values: CounterValues; at: number };
    private readonly steps: Step[] = [];

    /** Returns 'reset' when any counter went backwards without wrapping. */
    push(values: CounterValues, atMs: number): DeltaKind | undefined {
        const prev = this.previous;
        this.previous = { values: { ...values }, at: atMs };
        if (!prev) return undefined;
        const seconds = Math.max((atMs - prev.at) / 1000, 1e-3);
        let worst: DeltaKind = 'normal';
        const deltas = {} as CounterValues;
        for (const key of RATE_COUNTERS) {
            const d = counterDelta(prev.values[key], values[key]);
            deltas[key] = d.delta;
            if (d.kind === 'reset') worst = 'reset';
            else if (d.kind === 'wrapped' && worst === 'normal') worst = 'wrapped';
        }
        this.steps.push({ seconds, deltas });
        if (this.steps.length > HISTORY_LENGTH) this.steps.shift();
        return worst;
    }

    /**
     * Per-second rates over the last 2/10/40 steps (fewer while history is short):
     * one pass from the newest step back, every counter and window at once (top
     * asks this of every link of every namespace each interval).
     */
    rates(): LinkRates {
        const out = zeroRates();
        const n = this.steps.length;
        const sums = new Array<number>(RATE_COUNTERS.length).fill(0);
        let seconds = 0;
        let w = 0;
        for (let i = 1; i <= n && w < WINDOWS.length; i++) {
            const step = this.steps[n - i];
            seconds += step.seconds;
            for (let k = 0; k < RATE_COUNTERS.length; k++) sums[k] += step.deltas[RATE_COUNTERS[k]];
            // a window longer than the history covers all of it
            for (; w < WINDOWS.length && Math.min(WINDOWS[w], n) === i; w++) {
                for (let k = 0; k < RATE_COUNTERS.length; k++)
                    out[RATE_COUNTERS[k]][`s${WINDOWS[w]}`] = sums[k] / seconds;
            }
        }
        return out;
    }

    /** The per-step rate of one counter, oldest first: the sparkline's data. */
    series(key: RateCounter): number[] {
        return this.steps.map((s) => s.deltas[key] / s.seconds);
    }

    get samples(): number {
        return this.steps.length;
    }
}

export function zeroRates(): LinkRates {
    const out = {} as LinkRates;
    for (const key of RATE_COUNTERS) out[key] = { s2: 0, s10: 0, s40: 0 };
    return out;
}
