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
    if (wrapsAround(previous, current)) return { delta: current + U32 - previous, kind: 'wrapped' };
    return { delta: current, kind: 'reset' };
}

/** A u32 counter that went down from `previous` to `current` wrapped past 2^32 (else it was reset). */
function wrapsAround(previous: number, current: number): boolean {
    return previous >= U32 / 2 && current + U32 - previous < U32 / 2;
}

/** Counters whose rates `top` shows; all are cumulative u32s from LINK_GET. */
export const RATE_COUNTERS = ['rx', 'tx', 'retransmitted', 'nacks', 'duplicates', 'congestion'] as const;
export type RateCounter = (typeof RATE_COUNTERS)[number];

export type CounterValues = Record<RateCounter, number>;
export type WindowRates = Record<`s${Window}`, number>;
export type LinkRates = Record<RateCounter, WindowRates>;

export const COUNTERS = RATE_COUNTERS.length;
/** One slot more than the history: the step a 40-step window lets go is still there when the next one comes. */
const RING = HISTORY_LENGTH + 1;
const F64_BYTES = (WINDOWS.length * (COUNTERS + 1) + COUNTERS) * 8;
const U32_BYTES = (RING * COUNTERS + RING) * 4;

/**
 * One link's recent history: the last 40 sample-to-sample steps, in a ring of
 * typed arrays, with running sums per window so that a sample costs the same
 * however long the history (top pushes and asks rates of every link of every
 * namespace each interval). `push` takes the cumulative counters of a new
 * sample and reports whether they went back (a reset) so the caller can log it.
 * Durations are kept in whole milliseconds and deltas are integers, so the
 * running sums are exact: adding a step and later taking it out leaves no drift.
 */
export class CounterHistory {
    // One memory block per link (top keeps thousands): f64 sums and counters, u32 deltas and durations.
    private readonly memory = new ArrayBuffer(F64_BYTES + U32_BYTES);
    /** Per window: the sums of the deltas ([w * COUNTERS + k]), then of the durations of its newest steps. */
    private readonly sums = new Float64Array(this.memory, 0, WINDOWS.length * COUNTERS);
    private readonly sumMs = new Float64Array(this.memory, WINDOWS.length * COUNTERS * 8, WINDOWS.length);
    /** The last sample's counters (nacks is the sum of two u32s, so f64). */
    private readonly previous = new Float64Array(this.memory, WINDOWS.length * (COUNTERS + 1) * 8, COUNTERS);
    /**
     * Step i's deltas at [i * COUNTERS + k], its duration (ms) at durations[i]. A delta of
     * 2^32 or more in one step (only nacks, two u32s, could) is kept as 2^32 - 1.
     */
    private readonly deltas = new Uint32Array(this.memory, F64_BYTES, RING * COUNTERS);
    private readonly durations = new Uint32Array(this.memory, F64_BYTES + RING * COUNTERS * 4, RING);
    private previousAt = 0;
    private hasPrevious = false;
    /** Where the next step goes, and how many steps there have been. */
    private next = 0;
    private steps = 0;

    /** Returns 'reset' when any counter went backwards without wrapping. */
    push(values: CounterValues, atMs: number): DeltaKind | undefined {
        for (let k = 0; k < COUNTERS; k++) scratch[k] = values[RATE_COUNTERS[k]];
        return this.pushCounts(scratch, atMs);
    }

    /** push() with the counters in RATE_COUNTERS order (top's sampler keeps no object per link). */
    pushCounts(counts: ArrayLike<number>, atMs: number): DeltaKind | undefined {
        const first = !this.hasPrevious;
        // whole ms, at least 1, at most what a u32 holds (49 days between samples)
        const ms = Math.min(Math.max(Math.round(atMs - this.previousAt), 1), 0xffffffff);
        let worst: DeltaKind = 'normal';
        const at = this.next * COUNTERS;
        for (let k = 0; k < COUNTERS; k++) {
            const current = counts[k];
            if (!first) {
                // counterDelta() without its object: 6 counters of every link each second
                const previous = this.previous[k];
                let delta = current - previous;
                if (current < previous) {
                    if (wrapsAround(previous, current)) {
                        delta = current + U32 - previous;
                        if (worst === 'normal') worst = 'wrapped';
                    } else {
                        delta = current;
                        worst = 'reset';
                    }
                }
                this.deltas[at + k] = Math.min(delta, 0xffffffff);
            }
            this.previous[k] = current;
        }
        this.previousAt = atMs;
        this.hasPrevious = true;
        if (first) return undefined;
        this.durations[this.next] = ms;
        this.steps++;
        // every window takes the new step in and lets its oldest one go
        for (let w = 0; w < WINDOWS.length; w++) {
            const size = WINDOWS[w];
            const base = w * COUNTERS;
            this.sumMs[w] += ms;
            for (let k = 0; k < COUNTERS; k++) this.sums[base + k] += this.deltas[at + k];
            if (this.steps > size) {
                const old = (this.next - size + RING) % RING;
                this.sumMs[w] -= this.durations[old];
                for (let k = 0; k < COUNTERS; k++) this.sums[base + k] -= this.deltas[old * COUNTERS + k];
            }
        }
        this.next = (this.next + 1) % RING;
        return worst;
    }

    /** Per-second rates over the last 2/10/40 steps (fewer while history is short). */
    rates(): LinkRates {
        const { sums, sumMs } = this;
        if (sumMs[0] === 0) return zeroRates();
        const [ms2, ms10, ms40] = sumMs;
        const out = {} as LinkRates;
        for (let k = 0; k < COUNTERS; k++)
            out[RATE_COUNTERS[k]] = {
                s2: perSecond(sums[k], ms2),
                s10: perSecond(sums[COUNTERS + k], ms10),
                s40: perSecond(sums[2 * COUNTERS + k], ms40),
            };
        return out;
    }

    /** rates()[RATE_COUNTERS[k]] over WINDOWS[w], without making the object. */
    rate(k: number, w: number): number {
        return this.sumMs[0] === 0 ? 0 : perSecond(this.sums[w * COUNTERS + k], this.sumMs[w]);
    }

    /** The per-step rate of one counter, oldest first: the sparkline's data. */
    series(key: RateCounter): number[] {
        const k = RATE_COUNTERS.indexOf(key);
        const count = this.samples;
        const out = new Array<number>(count);
        for (let i = 0; i < count; i++) {
            const step = (this.next - count + i + RING) % RING;
            out[i] = (this.deltas[step * COUNTERS + k] * 1000) / this.durations[step];
        }
        return out;
    }

    get samples(): number {
        return Math.min(this.steps, HISTORY_LENGTH);
    }
}

const scratch = new Float64Array(COUNTERS);

/**
 * `delta` per second over `ms`, to a thousandth: more digits than any reader
 * of a rate uses, and a number JSON writes in a few bytes instead of 17
 * significant digits (top's NDJSON carries 18 rates per link every second;
 * src/render/text-buffer.ts writes thousandths without String()).
 */
export function perSecond(delta: number, ms: number): number {
    return Math.round((delta * 1e6) / ms) / 1000;
}

export function zeroRates(): LinkRates {
    const out = {} as LinkRates;
    for (const key of RATE_COUNTERS) out[key] = { s2: 0, s10: 0, s40: 0 };
    return out;
}
