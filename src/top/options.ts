// What `tipcx top` is asked to do: its words (sort columns, interval) and the
// options model the sampler, the NDJSON writer and the UI read. Free of netlink
// and of the UI, so that the command line can parse these words for help and
// completion without loading either.
import { UsageError, quoted } from '../errors.js';
import type { Scope } from './sampler.js';

/** Sort columns: the word users type (`sort rx`); also the UI's sort keys, in the order `s` cycles. */
export const SORT_COLUMNS = [
    'name',
    'ns',
    'peer',
    'state',
    'rx',
    'tx',
    'retrans',
    'nak',
    'dup',
    'cong',
    'queue',
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

const INTERVAL_MIN_S = 0.1;
const INTERVAL_MAX_S = 3600;

/** Seconds as a plain decimal (`1`, `0.5`), INTERVAL_MIN_S..INTERVAL_MAX_S. */
export function parseInterval(value: string, label = 'interval'): number {
    const n = /^\d{1,4}(\.\d{1,3})?$/.test(value) ? Number(value) : Number.NaN;
    if (!(n >= INTERVAL_MIN_S && n <= INTERVAL_MAX_S)) {
        throw new UsageError(
            `invalid value ${quoted(value)} for "${label}" (expected seconds ${INTERVAL_MIN_S}..${INTERVAL_MAX_S}, e.g. 1 or 0.5)`,
        );
    }
    return n;
}

export function parseSortColumn(value: string, label = 'sort'): SortColumn {
    const column = SORT_COLUMNS.find((c) => c === value);
    if (!column)
        throw new UsageError(
            `invalid sort column ${quoted(value)} for "${label}" (expected one of: ${SORT_COLUMNS.join(', ')})`,
        );
    return column;
}

export interface LinkFilter {
    readonly source: string;
    readonly regex: RegExp;
    readonly invert: boolean;
}

/** `REGEX` keeps matching links, `!REGEX` drops them; matched against ns, link name and peer. */
export function parseFilter(text: string): LinkFilter {
    const invert = text.startsWith('!');
    const body = invert ? text.slice(1) : text;
    let regex: RegExp;
    try {
        regex = new RegExp(body, 'i');
    } catch (err) {
        throw new UsageError(
            `invalid filter ${quoted(text)} (${regexProblem(err)}; expected a regular expression, "!" in front inverts)`,
        );
    }
    return { source: text, regex, invert };
}

/** V8's `Invalid regular expression: /PATTERN/i: Unterminated group`, without the pattern (already quoted). */
function regexProblem(err: unknown): string {
    const message = err instanceof Error ? err.message : String(err);
    return message.replace(/^Invalid regular expression: \/[^]*\/[a-z]*: /, '');
}

export interface ViewOptions {
    readonly sort: SortColumn;
    readonly reverse: boolean;
    readonly filter?: LinkFilter;
    /** The broadcast link is optional in the table. */
    readonly broadcast?: boolean;
}

export interface TopOptions {
    readonly intervalMs: number;
    readonly count?: number;
    readonly readOnly: boolean;
    /** Every link's full statistics block in every NDJSON line (else `stats` is null). */
    readonly statistics: boolean;
    readonly view: ViewOptions;
    readonly scope: Scope;
    /**
     * Log links up/down from diffs of samples only, with no topology events
     * (src/top/link-events.ts): no AF_TIPC socket holds the tipc module then.
     */
    readonly polledEvents: boolean;
}

/** The words of `tipcx top …` as the command line parsed them. */
export interface TopWords {
    readonly interval?: number | undefined;
    readonly count?: number | undefined;
    readonly sort?: SortColumn | undefined;
    readonly reverse: boolean;
    readonly filter?: LinkFilter | undefined;
    readonly readOnly: boolean;
    readonly statistics?: boolean | undefined;
    readonly polledEvents?: boolean;
}

/** The defaults filled in: one sample a second, sorted by name, every link. */
export function topOptions(words: TopWords, scope: Scope): TopOptions {
    return {
        intervalMs: Math.round((words.interval ?? 1) * 1000),
        ...(words.count !== undefined ? { count: words.count } : {}),
        readOnly: words.readOnly,
        statistics: words.statistics === true,
        polledEvents: words.polledEvents === true,
        view: { sort: words.sort ?? 'name', reverse: words.reverse, ...(words.filter ? { filter: words.filter } : {}) },
        scope,
    };
}
