// tipcx top: live link statistics. On a terminal it runs the ink UI (loaded
// only here, lazily: no other command pays for react/ink); otherwise, or with
// -j, it prints one NDJSON sample per interval.
import type { CommandContext, Writer } from '../cli/registry.js';
import { defineCommand } from '../cli/registry.js';
import { realEnvironment } from '../top/environment.js';
import { parseInterval } from '../top/options.js';
import { Sampler, type Sample, type Scope } from '../top/sampler.js';
import { backgroundVerdictSource, loadVerdictSource } from '../top/verdicts.js';
import { arrangeLinks, parseFilter, parseSortColumn, totalsOf, type ViewOptions } from '../top/view.js';

export interface TopOptions {
  readonly intervalMs: number;
  readonly count?: number;
  readonly readOnly: boolean;
  readonly view: ViewOptions;
  readonly scope: Scope;
}

export function topOptions(ctx: CommandContext): TopOptions {
  const { opts } = ctx;
  const interval = typeof opts.interval === 'string' ? parseInterval(opts.interval) : 1;
  const filter = typeof opts.filter === 'string' ? parseFilter(opts.filter) : undefined;
  return {
    intervalMs: Math.round(interval * 1000),
    ...(typeof opts.count === 'string' ? { count: Number(opts.count) } : {}),
    readOnly: opts['read-only'] === true,
    view: {
      sort: typeof opts.sort === 'string' ? parseSortColumn(opts.sort) : 'name',
      reverse: opts.reverse === true,
      ...(filter ? { filter } : {}),
    },
    scope: ctx.allNetns ? { kind: 'all' } : ctx.netns !== undefined ? { kind: 'named', name: ctx.netns } : { kind: 'current' },
  };
}

export default defineCommand({
  async run(ctx) {
    const options = topOptions(ctx);
    const isTTY = (ctx.stdout as { isTTY?: boolean }).isTTY === true;
    let sampler: Sampler | undefined;
    const verdicts = backgroundVerdictSource(
      () => loadVerdictSource(realEnvironment.listNamespaces),
      () => sampler?.requestVerdicts(),
      (err) => sampler?.note(`crossover verdicts could not be loaded: ${(err as Error).message}; the verdict column shows "?"`),
    );
    sampler = new Sampler({ scope: options.scope, env: realEnvironment, verdicts, verdictEvery: 5, intervalMs: options.intervalMs });
    try {
      if (isTTY && !ctx.json) {
        prepareUiEnvironment(process.env);
        const { runTopUi } = await import('../top/ui/app.js');
        await runTopUi({ sampler, options, color: ctx.color, signal: ctx.signal });
        return;
      }
      await streamNdjson(sampler, options, ctx.stdout, ctx.signal);
    } finally {
      sampler.close();
    }
  },
});

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

/** One JSON object per line per interval; the first after one interval, so it has rates. */
export async function streamNdjson(sampler: Sampler, options: TopOptions, out: Writer, signal: AbortSignal): Promise<void> {
  const baseline = await sampler.sample();
  let carried = baseline.events;
  for (let emitted = 0; options.count === undefined || emitted < options.count; emitted++) {
    if (!(await sleep(sampler.intervalMs, signal))) return;
    const sample = await sampler.sample();
    out.write(`${JSON.stringify(ndjsonRecord({ ...sample, events: [...carried, ...sample.events] }, options.view))}\n`);
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
