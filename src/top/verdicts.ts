// Crossover verdicts for `tipcx top`. The verdict itself is decided elsewhere
// (src/tipc/crossover.ts, written separately); top only needs "does traffic
// from this namespace to this peer take the netns crossover path?", so it
// talks to a small interface and shows '?' when no source is available.

/** What top shows in its verdict column. */
export type Verdict = 'crossover' | 'link' | 'unknown';

export interface PeerVerdict {
  readonly verdict: Verdict;
  /** Short reason shown in the detail pane, e.g. "identity and proof match ns2". */
  readonly reason?: string;
}

/**
 * Verdicts for the peers of one namespace. Keyed by peer node address (the
 * link's `dest`), which both sides know without parsing link names.
 */
export interface VerdictSource {
  /** undefined namespace = the namespace tipcx runs in. */
  verdicts(namespace: string | undefined, signal?: AbortSignal): Promise<ReadonlyMap<number, PeerVerdict>>;
  /** Why the column may say '?', shown once in the event log. */
  readonly description: string;
  /** false: this source never has a verdict (top says so at start). Default true. */
  readonly available?: boolean;
}

/** Used when no crossover module is available: every verdict is unknown. */
export const NO_VERDICTS: VerdictSource = {
  available: false,
  description: 'crossover verdicts unavailable (src/tipc/crossover.ts not present in this build): verdict column shows "?"',
  async verdicts() {
    return new Map();
  },
};

/** The column text; never colour alone. */
export function verdictLabel(v: Verdict | undefined): string {
  switch (v) {
    case 'crossover':
      return 'xover';
    case 'link':
      return 'link';
    default:
      return '?';
  }
}

/** The sentence every crossover row carries: why its counters do not move. */
export const CROSSOVER_NOTE =
  'crossover: data to this peer bypasses the link (kernel netns shortcut), so its counters stay flat';

/**
 * Finds the crossover module at run time, if one has landed. The specifier is
 * computed so that the compiler does not require the file to exist; the
 * module's shape is checked before use.
 */
export async function loadVerdictSource(): Promise<VerdictSource> {
  const specifier = '../tipc/crossover.js';
  let mod: Record<string, unknown>;
  try {
    mod = (await import(specifier)) as Record<string, unknown>;
  } catch {
    return NO_VERDICTS;
  }
  const adapter = mod['topVerdictSource'];
  if (typeof adapter === 'function') return (adapter as () => VerdictSource)();
  return {
    ...NO_VERDICTS,
    description: 'crossover verdicts unavailable: src/tipc/crossover.ts has no topVerdictSource() adapter yet: verdict column shows "?"',
  };
}
