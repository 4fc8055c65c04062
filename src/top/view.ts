// Links as the user chose to see them (options.ts): filtered, sorted and
// grouped, and the totals footer. Pure functions shared by the NDJSON path and
// the ink UI.
import type { LinkFilter, SortColumn, ViewOptions } from './options.js';
import type { LinkSample } from './sampler.js';
import type { RateCounter } from './rates.js';

export { SORT_COLUMNS, parseFilter, type LinkFilter, type SortColumn, type ViewOptions } from './options.js';

const RATE_OF: Partial<Record<SortColumn, RateCounter>> = {
    rx: 'rx',
    tx: 'tx',
    retrans: 'retransmitted',
    nak: 'nacks',
    dup: 'duplicates',
    cong: 'congestion',
};

function matchesFilter(link: LinkSample, filter: LinkFilter | undefined): boolean {
    if (!filter) return true;
    const hit = filter.regex.test(`${link.namespace ?? ''} ${link.name} ${link.peer}`);
    return hit !== filter.invert;
}

/** Rates and queues sort largest first, words alphabetically; `reverse` flips either. */
function compareLinks(column: SortColumn, reverse: boolean): (a: LinkSample, b: LinkSample) => number {
    const rate = RATE_OF[column];
    const numeric = rate !== undefined || column === 'queue';
    const value = (l: LinkSample): number | string => {
        if (rate) return l.rates[rate].s2;
        switch (column) {
            case 'queue':
                return l.queue.max;
            case 'ns':
                return l.namespace ?? '';
            case 'peer':
                return l.peer;
            case 'state':
                return l.state;
            default:
                return l.name;
        }
    };
    const sign = (numeric ? -1 : 1) * (reverse ? -1 : 1);
    return (a, b) => {
        const va = value(a);
        const vb = value(b);
        const primary =
            typeof va === 'number' && typeof vb === 'number' ? va - vb : byCodepoint(String(va), String(vb));
        if (primary !== 0) return sign * primary;
        return byCodepoint(a.namespace ?? '', b.namespace ?? '') || byCodepoint(a.name, b.name);
    };
}

/**
 * Plain code-unit order, as `sort` in the C locale: names, identities and
 * namespaces are ASCII words, and localeCompare cost more than the rest of
 * the sort at thousands of links a second.
 */
export function byCodepoint(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Filtered, sorted and grouped by peer: the sort decides the order of the
 * groups (by each group's first link) and the order inside each group, so a
 * peer's redundant links stay together.
 */
export function arrangeLinks(links: readonly LinkSample[], view: ViewOptions): LinkSample[] {
    const kept = links.filter((l) => ((view.broadcast ?? true) ? true : !l.broadcast) && matchesFilter(l, view.filter));
    const sorted = [...kept].sort(compareLinks(view.sort, view.reverse));
    const groups = new Map<string, LinkSample[]>();
    for (const l of sorted) {
        const key = `${l.namespace ?? ''}\0${l.broadcast ? `\0${l.name}` : l.peer}`;
        const group = groups.get(key);
        if (group) group.push(l);
        else groups.set(key, [l]);
    }
    return [...groups.values()].flat();
}

export interface Totals {
    readonly links: number;
    readonly up: number;
    readonly rx: number;
    readonly tx: number;
    readonly retransmitted: number;
    readonly crossover: number;
}

/** Over all links, whatever the filter (as in iftop, the filter does not change totals). */
export function totalsOf(links: readonly LinkSample[]): Totals {
    let up = 0;
    let rx = 0;
    let tx = 0;
    let retransmitted = 0;
    let crossover = 0;
    for (const l of links) {
        if (l.up) up += 1;
        rx += l.rates.rx.s2;
        tx += l.rates.tx.s2;
        retransmitted += l.rates.retransmitted.s2;
        if (l.verdict === 'crossover') crossover += 1;
    }
    return { links: links.length, up, rx, tx, retransmitted, crossover };
}

/** Compact rate: 0, 12, 3.4, 1.2k, 56M (packets per second). */
export function formatRate(perSecond: number): string {
    if (perSecond === 0) return '0';
    if (perSecond < 10) return perSecond.toFixed(1);
    if (perSecond < 1000) return Math.round(perSecond).toString();
    if (perSecond < 1e6) return `${(perSecond / 1000).toFixed(perSecond < 1e4 ? 1 : 0)}k`;
    return `${(perSecond / 1e6).toFixed(1)}M`;
}

/** Age of a state: 42s, 5m, 3h, 2d; ">5m" when unchanged since top started. */
export function formatAge(changedAt: string | null, startedAt: number, now: number): string {
    const since = changedAt === null ? startedAt : Date.parse(changedAt);
    const s = Math.max(0, Math.floor((now - since) / 1000));
    const text =
        s < 60
            ? `${s}s`
            : s < 3600
              ? `${Math.floor(s / 60)}m`
              : s < 86400
                ? `${Math.floor(s / 3600)}h`
                : `${Math.floor(s / 86400)}d`;
    return changedAt === null ? `>${text}` : text;
}
