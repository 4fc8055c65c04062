// Runs `tipcx top`: the sampler with crossover verdicts in the background, and
// either the ink UI (on a terminal, loaded only then: no other path pays for
// react/ink) or the NDJSON writer.
import { setFlagsFromString } from 'node:v8';
import type { Writer } from '../cli/registry.js';
import { EnvironmentError } from '../errors.js';
import { TIPC_NOT_AVAILABLE } from '../netlink/availability.js';
import { realEnvironment } from './environment.js';
import { topologyLinkEvents } from './link-events.js';
import { streamNdjson } from './ndjson.js';
import type { TopOptions } from './options.js';
import { Sampler } from './sampler.js';
import { backgroundVerdictSource, loadVerdictSource } from './verdicts.js';

export interface TopOutput {
    readonly stdout: Writer;
    readonly json: boolean;
    readonly color: boolean;
    readonly signal: AbortSignal;
}

export async function runTop(options: TopOptions, out: TopOutput): Promise<void> {
    keepHeapSmall();
    const isTTY = (out.stdout as { isTTY?: boolean }).isTTY === true;
    // Assigned below: the verdict source calls back into the sampler it feeds.
    // eslint-disable-next-line prefer-const
    let sampler: Sampler | undefined;
    const verdicts = backgroundVerdictSource(
        () => loadVerdictSource(() => realEnvironment.listNamespaces()),
        () => sampler?.requestVerdicts(),
        (err) =>
            sampler?.note(
                `crossover verdicts could not be loaded: ${(err as Error).message}; the verdict column shows "?"`,
            ),
    );
    sampler = new Sampler({
        scope: options.scope,
        ...(options.polledEvents ? {} : { linkEvents: topologyLinkEvents(options.scope) }),
        env: realEnvironment,
        verdicts,
        verdictEvery: 5,
        intervalMs: options.intervalMs,
        // the UI reads full statistics for its detail pane only; NDJSON on request
        statistics: options.statistics && (out.json || !isTTY),
    });
    try {
        await refuseWithoutTipc(sampler);
        if (isTTY && !out.json) {
            prepareUiEnvironment(process.env);
            const { runTopUi } = await import('./ui/app.js');
            await runTopUi({ sampler, options, color: out.color, signal: out.signal });
            return;
        }
        await streamNdjson(sampler, options, out.stdout, out.signal);
    } finally {
        sampler.close();
    }
}

/**
 * top runs for hours and reads every link of every namespace each second,
 * with objects that die within the sample: left to its defaults, V8 grows
 * its young generation to 32 MB under that allocation rate and lets the old
 * one reach several times what is live between mark-compacts, for a live
 * heap of about 10 MB at 4,000 links (docs/benchmarks.md). Both flags are
 * read by V8 when it next resizes, so setting them here (top starts before
 * the young generation has grown) is enough, and no other command is
 * affected: the young generation keeps the size it starts with, and the old
 * one grows by half of what is live.
 */
export function keepHeapSmall(): void {
    setFlagsFromString('--semi-space-growth-factor=1');
    setFlagsFromString('--heap-growing-percent=50');
}

/**
 * No TIPC at start (module absent, every namespace unreadable) is an
 * environment error, exit 3, as for every other command; the sample is taken
 * only then. Once top runs, the module going away is an event it lives through.
 */
async function refuseWithoutTipc(sampler: Sampler): Promise<void> {
    if (realEnvironment.moduleLoaded()) return;
    const probe = await sampler.sample();
    const failed = probe.namespaces.filter((n) => !n.ok);
    if (failed.length === probe.namespaces.length) {
        // The namespace's own error may be a symptom (`deleted`); the module's absence is the cause.
        const cause = failed.find((n) => n.error === TIPC_NOT_AVAILABLE)?.error ?? failed[0]?.error;
        throw new EnvironmentError(cause && cause !== 'deleted' ? cause : TIPC_NOT_AVAILABLE);
    }
}

/**
 * Read once by react and ink when they are imported, so set before that:
 * - React's development build, the default without NODE_ENV, checks every
 *   element and records a performance entry per render: in the lab VM it took
 *   more than a core and 190 MB and never drew the first frame;
 * - ink draws only the last frame, at exit, when CI or CONTINUOUS_INTEGRATION
 *   is set (even empty). This path runs only with a terminal on stdout, where
 *   somebody watches, CI job or not.
 */
export function prepareUiEnvironment(env: NodeJS.ProcessEnv): void {
    env.NODE_ENV ??= 'production';
    delete env.CI;
    delete env.CONTINUOUS_INTEGRATION;
}
