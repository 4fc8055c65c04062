// Entry of the interactive `tipcx top`, imported lazily by src/top/run.ts
// on the TTY path only. Owns the terminal: alternate screen in, always out
// (normal quit, errors, SIGTERM/SIGHUP, the process exiting), and the
// sampling loop that feeds the screen.
import { render } from 'ink';
import type { TopOptions } from '../options.js';
import type { RateCounter } from '../rates.js';
import type { Sample, Sampler } from '../sampler.js';
import { App, type TopFeed } from './screen.js';

const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_ALT_SCREEN = '\u001b[?1049l';
const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';

export interface TopUiOptions {
    readonly sampler: Sampler;
    readonly options: TopOptions;
    readonly color: boolean;
    readonly signal: AbortSignal;
    readonly stdout?: NodeJS.WriteStream;
    readonly stdin?: NodeJS.ReadStream;
}

/** Samples every interval (also while the display is paused) and tells the screen. */
export function samplingFeed(sampler: Sampler): TopFeed & { start(): void; stop(): void } {
    const listeners = new Set<(s: Sample) => void>();
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const tick = async (): Promise<void> => {
        const sample = await sampler.sample().catch(() => undefined);
        if (stopped) return;
        if (sample) for (const l of listeners) l(sample);
        timer = setTimeout(() => void tick(), sampler.intervalMs);
    };
    return {
        subscribe(listener) {
            listeners.add(listener);
            return () => void listeners.delete(listener);
        },
        events: () => sampler.events,
        series: (ns: string | null, link: string, counter: RateCounter) => sampler.series(ns, link, counter),
        resetStats: (ns, link) => sampler.resetStats(ns, link),
        get intervalMs() {
            return sampler.intervalMs;
        },
        setIntervalMs(ms) {
            sampler.intervalMs = ms;
            // Apply at once rather than after the old, possibly long, interval.
            if (timer) {
                clearTimeout(timer);
                timer = setTimeout(() => void tick(), ms);
            }
        },
        focusStatistics: (namespace) => sampler.focusStatistics(namespace),
        start: () => void tick(),
        stop() {
            stopped = true;
            if (timer) clearTimeout(timer);
        },
    };
}

export async function runTopUi(ui: TopUiOptions): Promise<void> {
    const stdout = ui.stdout ?? process.stdout;
    const stdin = ui.stdin ?? process.stdin;
    let restored = false;
    const restore = (): void => {
        if (restored) return;
        restored = true;
        stdout.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
    };
    const onExit = (): void => restore();
    const onSignal = (signal: NodeJS.Signals): void => {
        restore();
        process.exit(128 + (signal === 'SIGHUP' ? 1 : 15));
    };
    process.on('exit', onExit);
    process.once('SIGTERM', onSignal);
    process.once('SIGHUP', onSignal);

    const feed = samplingFeed(ui.sampler);
    stdout.write(ENTER_ALT_SCREEN + HIDE_CURSOR);
    try {
        const { view, readOnly } = ui.options;
        const instance = render(
            <App
                feed={feed}
                sort={view.sort}
                reverse={view.reverse}
                {...(view.filter ? { filter: view.filter } : {})}
                readOnly={readOnly}
                color={ui.color}
                startedAt={Date.now()}
            />,
            // no incrementalRendering: ink 6.8 moves the cursor up one line too few after
            // a frame that ends in a newline, so every update scrolled the screen by one
            { stdout, stdin, exitOnCtrlC: false, patchConsole: true, maxFps: 10 },
        );
        const onAbort = (): void => instance.unmount();
        ui.signal.addEventListener('abort', onAbort, { once: true });
        feed.start();
        try {
            await instance.waitUntilExit();
        } finally {
            ui.signal.removeEventListener('abort', onAbort);
            instance.cleanup();
        }
    } finally {
        feed.stop();
        restore();
        process.off('exit', onExit);
        process.off('SIGTERM', onSignal);
        process.off('SIGHUP', onSignal);
    }
}
