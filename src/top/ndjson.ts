// `tipcx top` off a terminal, or with -j: one JSON object per interval (NDJSON).
import type { Writer } from '../cli/registry.js';
import type { TopOptions, ViewOptions } from './options.js';
import type { Sample, Sampler } from './sampler.js';
import { arrangeLinks, totalsOf } from './view.js';

/** One JSON object per line per interval; the first after one interval, so it has rates. */
export async function streamNdjson(
    sampler: Sampler,
    options: TopOptions,
    out: Writer,
    signal: AbortSignal,
): Promise<void> {
    const baseline = await sampler.sample();
    let carried = baseline.events;
    for (let emitted = 0; options.count === undefined || emitted < options.count; emitted++) {
        if (!(await sleep(sampler.intervalMs, signal))) return;
        const sample = await sampler.sample();
        out.write(
            `${JSON.stringify(ndjsonRecord({ ...sample, events: [...carried, ...sample.events] }, options.view))}\n`,
        );
        carried = [];
    }
}

export function ndjsonRecord(sample: Sample, view: ViewOptions): object {
    return {
        ...sample,
        links: arrangeLinks(sample.links, view),
        totals: totalsOf(sample.links),
    };
}

/** Resolves true after `ms`, false as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
        const onAbort = (): void => {
            clearTimeout(timer);
            resolve(false);
        };
        const timer = setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve(true);
        }, ms);
        signal.addEventListener('abort', onAbort, { once: true });
    });
}
