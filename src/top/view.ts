// Links as the user chose to see them (options.ts): filtered, sorted and
// grouped, and the totals footer. Pure functions shared by the NDJSON path and
// the ink UI.
import type { LinkFilter, SortColumn, ViewOptions } from './options.js';
import type { LinkKeys, LinkSample } from './sampler.js';
import type { RateCounter } from './rates.js';

export { SORT_COLUMNS, parseFilter, type LinkFilter, type SortColumn, type ViewOptions } from './options.js';
export type { LinkKeys } from './sampler.js';

const RATE_OF: Partial<Record<SortColumn, RateCounter>> = {
    rx: 'rx',
    tx: 'tx',
    retrans: 'retransmitted',
    nak: 'nacks',
    dup: 'duplicates',
    cong: 'congestion',
};

/** LinkKeys of LinkSamples. */
export function linkKeys(links: readonly LinkSample[]): LinkKeys {
    return {
        count: links.length,
        namespace: (i) => links[i].namespace,
        name: (i) => links[i].name,
        peer: (i) => links[i].peer,
        broadcast: (i) => links[i].broadcast,
        state: (i) => links[i].state,
        up: (i) => links[i].up,
        verdict: (i) => links[i].verdict,
        rate: (i, counter) => links[i].rates[counter].s2,
        queueMax: (i) => links[i].queue.max,
    };
}

function matchesFilter(keys: LinkKeys, i: number, filter: LinkFilter | undefined): boolean {
    if (!filter) return true;
    const hit = filter.regex.test(`${keys.namespace(i) ?? ''} ${keys.name(i)} ${keys.peer(i)}`);
    return hit !== filter.invert;
}

/**
 * Rates and queues sort largest first, words alphabetically; `reverse` flips
 * either. The keys of the links `kept` are read once into arrays by link
 * index rather than at each of the sort's comparisons (thousands of links a
 * second, about a dozen comparisons each).
 */
function compareLinks(
    keys: LinkKeys,
    kept: readonly number[],
    column: SortColumn,
    reverse: boolean,
): (a: number, b: number) => number {
    const rate = RATE_OF[column];
    const namespaces = new Array<string>(keys.count);
    const names = new Array<string>(keys.count);
    for (const i of kept) {
        namespaces[i] = keys.namespace(i) ?? '';
        names[i] = keys.name(i);
    }
    const tie = (a: number, b: number) => byCodepoint(namespaces[a], namespaces[b]) || byCodepoint(names[a], names[b]);
    if (rate !== undefined || column === 'queue') {
        const numbers = new Float64Array(keys.count);
        for (const i of kept) numbers[i] = rate !== undefined ? keys.rate(i, rate) : keys.queueMax(i);
        const sign = reverse ? 1 : -1;
        return (a, b) => {
            const primary = numbers[a] - numbers[b];
            return primary !== 0 ? sign * primary : tie(a, b);
        };
    }
    let words = names;
    if (column === 'ns') words = namespaces;
    else if (column === 'peer' || column === 'state') {
        words = new Array<string>(keys.count);
        for (const i of kept) words[i] = column === 'peer' ? keys.peer(i) : keys.state(i);
    }
    const sign = reverse ? -1 : 1;
    return (a, b) => {
        const primary = byCodepoint(words[a], words[b]);
        return primary !== 0 ? sign * primary : tie(a, b);
    };
}

/**
 * Plain code-unit order, as `sort` in the C locale: names, identities and
 * namespaces are ASCII words, and localeCompare cost more than the rest of
 * the sort at thousands of links a second.
 */
export function byCodepoint(a: string, b: string): number {
    // equal first: most ties are equal names (of different namespaces), which `<` and `>` would each read through
    return a === b ? 0 : a < b ? -1 : 1;
}

/**
 * Filtered, sorted and grouped by peer: the sort decides the order of the
 * groups (by each group's first link) and the order inside each group, so a
 * peer's redundant links stay together.
 */
export function arrangeLinks(links: readonly LinkSample[], view: ViewOptions): LinkSample[] {
    return arrangeOrder(linkKeys(links), view).map((i) => links[i]);
}

/** Sort columns whose order follows from each link's namespace and name alone (a link's peer is in its name). */
const NAME_ORDERED: ReadonlySet<SortColumn> = new Set(['name', 'ns', 'peer']);

/**
 * The last arrangement by a NAME_ORDERED column, and the namespace and name
 * of each link it was made from. top arranges thousands of links each
 * second, and they rarely change between two samples: when every link is
 * the same, at the same index, the sort and grouping are not made again.
 */
let lastByName:
    | {
          readonly view: ViewOptions;
          readonly namespaces: readonly (string | null)[];
          readonly names: readonly string[];
          readonly order: readonly number[];
      }
    | undefined;

function sameView(a: ViewOptions, b: ViewOptions): boolean {
    return a.sort === b.sort && a.reverse === b.reverse && a.filter === b.filter && a.broadcast === b.broadcast;
}

/**
 * arrangeLinks as the indexes of the links shown, in the order shown. The
 * array may be the one returned for the previous sample: read it, never change it.
 */
export function arrangeOrder(keys: LinkKeys, view: ViewOptions): readonly number[] {
    if (!NAME_ORDERED.has(view.sort)) return arrange(keys, view);
    const last = lastByName;
    if (last !== undefined && last.names.length === keys.count && sameView(last.view, view)) {
        let same = true;
        for (let i = 0; i < keys.count && same; i++)
            same = last.names[i] === keys.name(i) && last.namespaces[i] === keys.namespace(i);
        if (same) return last.order;
    }
    const namespaces = new Array<string | null>(keys.count);
    const names = new Array<string>(keys.count);
    for (let i = 0; i < keys.count; i++) {
        namespaces[i] = keys.namespace(i);
        names[i] = keys.name(i);
    }
    const order = arrange(keys, view);
    lastByName = { view, namespaces, names, order };
    return order;
}

function arrange(keys: LinkKeys, view: ViewOptions): number[] {
    const kept: number[] = [];
    for (let i = 0; i < keys.count; i++)
        if (((view.broadcast ?? true) || !keys.broadcast(i)) && matchesFilter(keys, i, view.filter)) kept.push(i);
    kept.sort(compareLinks(keys, kept, view.sort, view.reverse));
    // Each link's group (its namespace, then its peer or, for a broadcast link, its own name),
    // numbered as the groups first appear; then the links group by group, in sorted order within each.
    const groupsIn = new Map<string | null, Map<string, number>>();
    const groupOf = new Int32Array(kept.length);
    const sizes: number[] = [];
    for (let at = 0; at < kept.length; at++) {
        const i = kept[at];
        const namespace = keys.namespace(i);
        let groups = groupsIn.get(namespace);
        if (groups === undefined) {
            groups = new Map<string, number>();
            groupsIn.set(namespace, groups);
        }
        // peers never start with NUL: a broadcast link is a group of its own
        const key = keys.broadcast(i) ? `\0${keys.name(i)}` : keys.peer(i);
        let group = groups.get(key);
        if (group === undefined) {
            group = sizes.length;
            groups.set(key, group);
            sizes.push(0);
        }
        groupOf[at] = group;
        sizes[group]++;
    }
    const next = new Int32Array(sizes.length);
    for (let g = 1; g < sizes.length; g++) next[g] = next[g - 1] + sizes[g - 1];
    const out = new Array<number>(kept.length);
    for (let at = 0; at < kept.length; at++) out[next[groupOf[at]]++] = kept[at];
    return out;
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
    return totalsOfKeys(linkKeys(links));
}

export function totalsOfKeys(keys: LinkKeys): Totals {
    let up = 0;
    let rx = 0;
    let tx = 0;
    let retransmitted = 0;
    let crossover = 0;
    // summed in whole thousandths (rates are to the thousandth, perSecond), so the totals are too
    const milli = (i: number, counter: RateCounter) => Math.round(keys.rate(i, counter) * 1000);
    for (let i = 0; i < keys.count; i++) {
        if (keys.up(i)) up += 1;
        rx += milli(i, 'rx');
        tx += milli(i, 'tx');
        retransmitted += milli(i, 'retransmitted');
        if (keys.verdict(i) === 'crossover') crossover += 1;
    }
    return { links: keys.count, up, rx: rx / 1000, tx: tx / 1000, retransmitted: retransmitted / 1000, crossover };
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
