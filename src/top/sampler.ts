// The sampling core of `tipcx top`, without any UI: every tick it reads every
// link of every watched namespace (one LINK_GET dump per namespace, each on
// its own long-lived session), turns counters into rates and notices what
// changed (links up/down/reset, namespaces appearing/vanishing, the tipc
// module going and coming back). Failures never stop it: they become events
// and a per-namespace error state, and the next tick tries again.
import type { Decoded } from '../netlink/codec.js';
import { tipcSchema } from '../netlink/schema.js';
import { LINK_SLOT, LINK_WIDTH, parseLinkName, type LinkTable, type StatsCounter } from '../tipc/link.js';

export { parseLinkName };
import {
    COUNTERS,
    CounterHistory,
    RATE_COUNTERS,
    type CounterValues,
    type LinkRates,
    type RateCounter,
} from './rates.js';
import { CROSSOVER_NOTE, type PeerVerdict, type Verdict, type VerdictSource } from './verdicts.js';

/**
 * The link counters top shows (its rates and queue columns): all that is
 * decoded of a link's 33 unless the full block is asked for.
 */
export const TOP_COUNTERS = [
    'retransmitted',
    'rxNacks',
    'txNacks',
    'duplicates',
    'linkCongs',
    'maxQueue',
    'avgQueue',
] as const satisfies readonly StatsCounter[];

/** A namespace's open session, reduced to what top needs. */
export interface LinkReader {
    /**
     * Every link, with all 33 counters when `full`, else TOP_COUNTERS at
     * least: in a table the reader keeps and fills again at its next read
     * (top reads every link of every namespace each second: no object per link).
     */
    read(full: boolean): Promise<LinkTable>;
    resetStats(link: string): Promise<void>;
    close(): void;
}

/** Everything the sampler asks of the machine; faked in unit tests. */
export interface SamplerEnvironment {
    /** Names under /run/netns (for --all-netns). */
    listNamespaces(): string[];
    /** Inode of /run/netns/NAME, undefined when it is gone. */
    namespaceInode(name: string): number | undefined;
    /** Whether the tipc kernel module is present (/sys/module/tipc). */
    moduleLoaded(): boolean;
    /** Opens a session in `namespace` (undefined: the namespace tipcx runs in). */
    open(namespace: string | undefined): Promise<LinkReader>;
    now(): number;
}

export type Scope = { kind: 'current' } | { kind: 'named'; name: string } | { kind: 'all' };

export type LinkState = 'active' | 'standby' | 'down';

export interface LinkSample {
    /** Namespace name, null for the namespace tipcx runs in. */
    readonly namespace: string | null;
    readonly name: string;
    /** Peer identity as it appears in the link name ("" for the broadcast link). */
    readonly peer: string;
    /** The peer's node address (hash), known once a crossover verdict has been gathered. */
    readonly peerAddress: number | null;
    /** Local bearer (interface) as it appears in the link name. */
    readonly bearer: string;
    readonly broadcast: boolean;
    /** Text state, so that state is never told by colour alone. */
    readonly state: LinkState;
    readonly up: boolean;
    readonly active: boolean;
    readonly mtu: number | null;
    readonly priority: number | null;
    readonly tolerance: number | null;
    readonly window: number | null;
    /** Cumulative counters as the kernel reports them. */
    readonly counters: CounterValues;
    /** Per-second rates over the last 2/10/40 samples. */
    readonly rates: LinkRates;
    readonly queue: { readonly max: number; readonly avg: number };
    /** When the state last changed (ISO time), null if unchanged since top started. */
    readonly stateChangedAt: string | null;
    readonly verdict: Verdict;
    readonly verdictReason: string | null;
    /** Set on crossover rows: why the counters stay flat. */
    readonly note: string | null;
    /**
     * The full statistics block (33 counters), as `link statistics show`;
     * null unless asked for (SamplerOptions.statistics, or focusStatistics).
     */
    readonly stats: Partial<Decoded<'stats'>> | null;
}

export interface NamespaceSample {
    readonly namespace: string | null;
    readonly ok: boolean;
    readonly error: string | null;
}

export type EventKind =
    | 'link-up'
    | 'link-down'
    | 'link-new'
    | 'link-gone'
    | 'link-active'
    | 'link-standby'
    | 'stats-reset'
    | 'netns-new'
    | 'netns-gone'
    | 'netns-recreated'
    | 'netns-error'
    | 'netns-recovered'
    | 'module-gone'
    | 'module-back'
    | 'verdict'
    | 'info';

export interface TopEvent {
    readonly time: string;
    readonly kind: EventKind;
    readonly namespace: string | null;
    readonly link: string | null;
    readonly message: string;
}

export interface Sample {
    readonly time: string;
    readonly seq: number;
    readonly intervalMs: number;
    readonly moduleLoaded: boolean;
    readonly namespaces: readonly NamespaceSample[];
    readonly links: readonly LinkSample[];
    /** Events since the previous sample. */
    readonly events: readonly TopEvent[];
}

/**
 * What arranging links and their totals read of link i of `count`: the
 * LinkSamples of the UI (view.ts linkKeys), or a sample's links read in place
 * (SampleLinks), which NDJSON writes without an array of objects
 * (src/top/view.ts arranges either).
 */
export interface LinkKeys {
    readonly count: number;
    namespace(i: number): string | null;
    name(i: number): string;
    peer(i: number): string;
    broadcast(i: number): boolean;
    state(i: number): LinkState;
    up(i: number): boolean;
    verdict(i: number): Verdict;
    /** Per second over the last 2 samples (`rates[counter].s2`). */
    rate(i: number, counter: RateCounter): number;
    queueMax(i: number): number;
}

/**
 * A sample's links read in place: what arranging and the totals read, and
 * each link's LinkSample made only when asked for (and not kept). For
 * writers of every link each second (NDJSON), which then hold no object per
 * link; valid until the next sample.
 */
export interface SampleLinks extends LinkKeys {
    link(i: number): LinkSample;
    /**
     * link(i)'s numbers and texts (the statistics block aside) into `values`
     * and `texts` at LINK_VALUES and LINK_TEXTS, no object made: for writers
     * of every link each second.
     */
    fields(i: number, values: Float64Array, texts: (string | null)[]): void;
    /** link(i).stats. */
    stats(i: number): Partial<Decoded<'stats'>> | null;
}

/**
 * Where SampleLinks.fields() puts a LinkSample's numbers, booleans (1 or 0)
 * and nullable numbers (null as NaN); `counters` and `rates` are the first
 * of RATE_COUNTERS' (rates: counter k over window w at rates + 3 * k + w).
 */
export const LINK_VALUES = {
    peerAddress: 0,
    broadcast: 1,
    up: 2,
    active: 3,
    mtu: 4,
    priority: 5,
    tolerance: 6,
    window: 7,
    counters: 8,
    rates: 8 + COUNTERS,
    queueMax: 8 + 4 * COUNTERS,
    queueAvg: 9 + 4 * COUNTERS,
} as const;
export const LINK_VALUE_COUNT = 10 + 4 * COUNTERS;
/** Where SampleLinks.fields() puts a LinkSample's strings (null as null). */
export const LINK_TEXTS = {
    namespace: 0,
    name: 1,
    peer: 2,
    bearer: 3,
    state: 4,
    stateChangedAt: 5,
    verdict: 6,
    verdictReason: 7,
    note: 8,
} as const;
export const LINK_TEXT_COUNT = 9;

/** A Sample whose links are read in place (Sampler.sampleLinks). */
export type LeanSample = Omit<Sample, 'links'> & { readonly links: SampleLinks };

/** What top keeps of a link from one sample to the next: made when it first appears, then updated in place. */
interface LinkMemory {
    /** The namespace it is in. */
    readonly owner: Watched;
    readonly name: string;
    readonly broadcast: boolean;
    /** Its state at the last sample. */
    up: boolean;
    active: boolean;
    history: CounterHistory;
    /** ISO time of the last state change, made once per change rather than once per sample. */
    stateChangedAt: string | null;
    /** The link name split once: it never changes for a link. */
    readonly ends: { bearer: string; peer: string };
    /** Its row in the namespace's table at the last sample, and that sample's number. */
    row: number;
    seenAt: number;
}

interface Watched {
    readonly namespace: string | undefined;
    reader?: LinkReader;
    inode?: number;
    error?: string;
    links: Map<string, LinkMemory>;
    /** By peer identity (as the link name spells it). */
    verdicts: ReadonlyMap<string, PeerVerdict>;
    verdictPending?: boolean;
    /** The links of the last read in the kernel's order, and the table they are rows of (the reader's). */
    current: LinkMemory[];
    table?: LinkTable;
    /** Whether the last read had all 33 counters. */
    full: boolean;
}

/** A link up or down, as the kernel's topology service reported it (src/tipc/events.ts). */
export interface LinkStateChange {
    /** Namespace name, null for the namespace tipcx runs in. */
    readonly namespace: string | null;
    /** The link name; null when the kernel had forgotten it (its bearer disabled). */
    readonly link: string | null;
    /** The peer as the event names it, for when the link name is unknown. */
    readonly peer: string;
    readonly up: boolean;
    /** When it was read (ms since the epoch). */
    readonly at: number;
}

/**
 * Where the event log's link up/down entries come from when given: the
 * kernel's own events, each one as it happens (a link that flaps between two
 * samples is logged twice, not missed). Without one, they come from diffing
 * samples.
 */
export interface LinkEventSource {
    /** `onActive`: it started delivering (true) or stopped (false), each time. */
    subscribe(onChange: (change: LinkStateChange) => void, onActive?: (active: boolean) => void): void;
    /** false while it cannot deliver (no TIPC when it started, its namespace gone): samples are diffed then. */
    active(): boolean;
    close(): void;
}

export interface SamplerOptions {
    readonly scope: Scope;
    readonly linkEvents?: LinkEventSource;
    readonly env: SamplerEnvironment;
    readonly verdicts?: VerdictSource;
    /** Verdicts are refreshed every this many samples (they may be costly). */
    readonly verdictEvery?: number;
    readonly intervalMs: number;
    /** Read every link's full statistics block each sample (NDJSON `statistics`); else only TOP_COUNTERS. */
    readonly statistics?: boolean;
}

const EVENT_LOG_LENGTH = 200;
export const LINK_EVENTS_ACTIVE = "links up and down from the kernel's topology events";
export const LINK_EVENTS_INACTIVE = 'topology events stopped: links up and down from comparing samples';

export class Sampler {
    private readonly watched = new Map<string, Watched>();
    private readonly log: TopEvent[] = [];
    private pending: TopEvent[] = [];
    private moduleWasLoaded?: boolean;
    private seq = 0;
    private verdictsWanted = false;
    /** keyOf() of the namespace whose links are read in full (the detail pane's), if any. */
    private focus: string | undefined;
    intervalMs: number;
    private readonly verdictSource: VerdictSource | undefined;

    constructor(private readonly opts: SamplerOptions) {
        this.intervalMs = opts.intervalMs;
        this.verdictSource = opts.verdicts;
        opts.linkEvents?.subscribe(
            (c) => {
                const name = c.link ?? `to ${c.peer}`;
                this.event(
                    c.up ? 'link-up' : 'link-down',
                    c.namespace ?? undefined,
                    c.link,
                    `link ${name} ${c.up ? 'came up' : 'went down'}`,
                    c.at,
                );
            },
            // where up and down come from, said in the log: a flap between samples is seen only from events
            (active) => this.note(active ? LINK_EVENTS_ACTIVE : LINK_EVENTS_INACTIVE),
        );
    }

    /** The whole event log, oldest first (the UI's event pane). */
    get events(): readonly TopEvent[] {
        return this.log;
    }

    note(message: string): void {
        this.event('info', undefined, null, message);
    }

    /** Refresh verdicts at the next sample rather than at the next regular round (the source just became ready). */
    requestVerdicts(): void {
        this.verdictsWanted = true;
    }

    /** Reads every watched namespace; the links as LinkSamples, kept by the caller as long as it likes (the UI). */
    async sample(): Promise<Sample> {
        const lean = await this.sampleLinks();
        const links = new Array<LinkSample>(lean.links.count);
        for (let i = 0; i < links.length; i++) links[i] = lean.links.link(i);
        const { time, seq, intervalMs, moduleLoaded, namespaces, events } = lean;
        return { time, seq, intervalMs, moduleLoaded, namespaces, links, events };
    }

    /** sample(), with the links read in place until the next sample (NDJSON: no object per link kept). */
    async sampleLinks(): Promise<LeanSample> {
        const { env } = this.opts;
        this.checkModule();
        this.syncNamespaces();
        const refreshVerdicts = this.verdictsWanted || this.seq % (this.opts.verdictEvery ?? 10) === 0;
        this.verdictsWanted = false;
        for (const w of this.watched.values()) await this.sampleNamespace(w, refreshVerdicts);
        this.seq += 1;
        const events = this.pending;
        this.pending = [];
        return {
            time: new Date(env.now()).toISOString(),
            seq: this.seq,
            intervalMs: this.intervalMs,
            moduleLoaded: this.moduleWasLoaded ?? true,
            namespaces: [...this.watched.values()].map((w) => ({
                namespace: w.namespace ?? null,
                ok: w.error === undefined,
                error: w.error ?? null,
            })),
            links: new LinksInPlace([...this.watched.values()].flatMap((w) => w.current)),
            events,
        };
    }

    /**
     * Read the full statistics of one namespace's links from the next sample
     * on (the detail pane shows them); undefined: of none. null is the
     * namespace tipcx runs in.
     */
    focusStatistics(namespace: string | null | undefined): void {
        this.focus = namespace === undefined ? undefined : keyOf(namespace ?? undefined);
    }

    /** `link statistics reset` for one link (the UI's r key). */
    async resetStats(namespace: string | null, link: string): Promise<void> {
        const w = this.watched.get(keyOf(namespace ?? undefined));
        if (!w?.reader) throw new Error(`no session in ${describe(namespace ?? undefined)}`);
        await w.reader.resetStats(link);
        this.event('info', w.namespace, link, `statistics of ${link} reset on request`);
    }

    /** The sparkline data of one link: per-sample rates, oldest first. */
    series(namespace: string | null, link: string, counter: keyof CounterValues): number[] {
        return (
            this.watched
                .get(keyOf(namespace ?? undefined))
                ?.links.get(link)
                ?.history.series(counter) ?? []
        );
    }

    close(): void {
        this.opts.linkEvents?.close();
        for (const w of this.watched.values()) closeReader(w);
    }

    private checkModule(): void {
        const loaded = this.opts.env.moduleLoaded();
        if (this.moduleWasLoaded === true && !loaded) {
            this.event('module-gone', undefined, null, 'the tipc kernel module was unloaded; retrying every interval');
        } else if (this.moduleWasLoaded === false && loaded) {
            this.event('module-back', undefined, null, 'the tipc kernel module is loaded again');
        }
        this.moduleWasLoaded = loaded;
    }

    private syncNamespaces(): void {
        const { scope, env } = this.opts;
        if (scope.kind === 'current') {
            if (!this.watched.has(keyOf(undefined))) this.watched.set(keyOf(undefined), fresh(undefined));
            return;
        }
        const present =
            scope.kind === 'all'
                ? env.listNamespaces()
                : [scope.name].filter((n) => env.namespaceInode(n) !== undefined);
        const first = this.seq === 0;
        for (const name of present) {
            if (!this.watched.has(keyOf(name))) {
                this.watched.set(keyOf(name), fresh(name));
                if (!first) this.event('netns-new', name, null, `namespace ${name} appeared`);
            }
        }
        for (const [key, w] of this.watched) {
            if (w.namespace !== undefined && !present.includes(w.namespace)) {
                // Our session holds a reference that would keep a deleted namespace
                // (and its links) alive: let go of it at once.
                closeReader(w);
                if (scope.kind === 'all') {
                    this.watched.delete(key);
                    this.event('netns-gone', w.namespace, null, `namespace ${w.namespace} was deleted`);
                } else if (w.error !== 'deleted') {
                    w.error = 'deleted';
                    w.links.clear();
                    w.current = [];
                    this.event(
                        'netns-gone',
                        w.namespace,
                        null,
                        `namespace ${w.namespace} was deleted; waiting for it to come back`,
                    );
                }
            }
        }
        if (scope.kind === 'named' && present.length === 0 && !this.watched.has(keyOf(scope.name))) {
            const w = fresh(scope.name);
            w.error = 'deleted';
            this.watched.set(keyOf(scope.name), w);
            this.event('netns-error', scope.name, null, `no such namespace ${scope.name}; waiting for it to appear`);
        }
    }

    private async sampleNamespace(w: Watched, refreshVerdicts: boolean): Promise<void> {
        const { env } = this.opts;
        if (w.namespace !== undefined) {
            const inode = env.namespaceInode(w.namespace);
            if (inode === undefined) return; // deleted; syncNamespaces reported it
            if (w.inode !== undefined && inode !== w.inode) {
                closeReader(w);
                w.links.clear();
                this.event(
                    'netns-recreated',
                    w.namespace,
                    null,
                    `namespace ${w.namespace} was recreated; reading the new one`,
                );
            }
            w.inode = inode;
        }
        const full = this.opts.statistics === true || this.focus === keyOf(w.namespace);
        let table: LinkTable;
        try {
            w.reader ??= await env.open(w.namespace);
            table = await w.reader.read(full);
        } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            closeReader(w);
            // One event per failure, not per changing symptom (a dump's ENOENT, then "not available" on reopen).
            if (w.error === undefined) {
                this.event('netns-error', w.namespace, null, `${describe(w.namespace)}: ${message}`);
            }
            w.error = message;
            w.current = [];
            return;
        }
        if (w.error !== undefined) {
            this.event('netns-recovered', w.namespace, null, `${describe(w.namespace)}: reading links again`);
            w.error = undefined;
        }
        // Verdicts may take long (other namespaces, sockets): never let them hold up a sample.
        if (refreshVerdicts && !w.verdictPending && this.verdictSource) {
            w.verdictPending = true;
            void this.verdictSource
                .verdicts(w.namespace)
                .catch(() => new Map<string, PeerVerdict>())
                .then((next) => {
                    w.verdictPending = false;
                    this.applyVerdicts(w, next);
                });
        }
        this.diffLinks(w, table);
        w.table = table;
        w.full = full;
    }

    private applyVerdicts(w: Watched, next: ReadonlyMap<string, PeerVerdict>): void {
        for (const [peer, v] of next) {
            const before = w.verdicts.get(peer)?.verdict ?? 'unknown';
            if (before !== v.verdict && before !== 'unknown') {
                this.event(
                    'verdict',
                    w.namespace,
                    null,
                    `peer ${peer}: verdict ${before} -> ${v.verdict}${v.reason ? ` (${v.reason})` : ''}`,
                );
            }
        }
        w.verdicts = next;
    }

    private diffLinks(w: Watched, table: LinkTable): void {
        const now = this.opts.env.now();
        const firstSight = w.links.size === 0 && this.seq === 0;
        const v = table.values;
        w.current.length = 0;
        for (let i = 0; i < table.count; i++) {
            const at = i * LINK_WIDTH;
            const name = table.names[i];
            const up = v[at + LINK_SLOT.up] === 1;
            const active = v[at + LINK_SLOT.active] === 1;
            let memory = w.links.get(name);
            if (!memory) {
                const broadcast = v[at + LINK_SLOT.broadcast] === 1;
                memory = {
                    owner: w,
                    name,
                    broadcast,
                    up,
                    active,
                    history: new CounterHistory(),
                    stateChangedAt: firstSight ? null : new Date(now).toISOString(),
                    ends: broadcast ? { bearer: '', peer: '' } : parseLinkName(name),
                    row: i,
                    seenAt: this.seq,
                };
                w.links.set(name, memory);
                if (!firstSight)
                    this.event('link-new', w.namespace, name, `link ${name} appeared (${stateOf(memory)})`);
            } else if (this.linkTransitions(w.namespace, memory, up, active)) {
                memory.stateChangedAt = new Date(now).toISOString();
            }
            memory.up = up;
            memory.active = active;
            memory.row = i;
            memory.seenAt = this.seq;
            countsOf(v, at, COUNTS);
            const kind = memory.history.pushCounts(COUNTS, now);
            if (kind === 'reset') {
                this.event(
                    'stats-reset',
                    w.namespace,
                    name,
                    `counters of ${name} went back: statistics reset or link re-established`,
                );
            }
            w.current.push(memory);
        }
        // values(), not entries(): no [name, memory] array per link each second
        for (const memory of w.links.values()) {
            if (memory.seenAt !== this.seq) {
                const { name } = memory;
                w.links.delete(name);
                this.event('link-gone', w.namespace, name, `link ${name} removed`);
            }
        }
    }

    /** Logs an up/down/active/standby change of `before` to the state read now; true when there was one. */
    private linkTransitions(namespace: string | undefined, before: LinkMemory, up: boolean, active: boolean): boolean {
        if (before.up === up && (!up || before.active === active)) return false;
        // with an event source, up and down are logged from the kernel's own events
        const fromEvents = this.opts.linkEvents?.active() === true;
        const { name } = before;
        if (before.up && !up) {
            if (!fromEvents) this.event('link-down', namespace, name, `link ${name} went down`);
        } else if (!before.up && up) {
            if (!fromEvents) this.event('link-up', namespace, name, `link ${name} came up`);
        } else if (up && before.active && !active)
            this.event('link-standby', namespace, name, `link ${name} is now standby`);
        else if (up && !before.active && active)
            this.event('link-active', namespace, name, `link ${name} is now active`);
        return true;
    }

    private event(
        kind: EventKind,
        namespace: string | undefined,
        link: string | null,
        message: string,
        at = this.opts.env.now(),
    ): void {
        const event: TopEvent = {
            time: new Date(at).toISOString(),
            kind,
            namespace: namespace ?? null,
            link,
            message,
        };
        this.pending.push(event);
        this.log.push(event);
        if (this.log.length > EVENT_LOG_LENGTH) this.log.shift();
    }
}

function fresh(namespace: string | undefined): Watched {
    return { namespace, links: new Map(), verdicts: new Map(), current: [], full: false };
}

function keyOf(namespace: string | undefined): string {
    return namespace === undefined ? '' : `ns:${namespace}`;
}

function describe(namespace: string | undefined): string {
    return namespace === undefined ? 'this namespace' : `namespace ${namespace}`;
}

function closeReader(w: Watched): void {
    try {
        w.reader?.close();
    } catch {
        // already closed or the namespace is gone: nothing to release
    }
    w.reader = undefined;
}

function stateOf(r: { readonly up: boolean; readonly active: boolean }): LinkState {
    if (!r.up) return 'down';
    return r.active ? 'active' : 'standby';
}

/** One link's rate counters, in RATE_COUNTERS order, reused for every link (CounterHistory copies them). */
const COUNTS = new Float64Array(COUNTERS);

/** The rate counters of the row at `at` into `out`, in RATE_COUNTERS order; what the kernel did not send is 0. */
function countsOf(v: Float64Array, at: number, out: Float64Array): void {
    out[0] = sentOr0(v[at + LINK_SLOT.rx]);
    out[1] = sentOr0(v[at + LINK_SLOT.tx]);
    out[2] = sentOr0(v[at + LINK_SLOT.retransmitted]);
    out[3] = sentOr0(v[at + LINK_SLOT.rxNacks]) + sentOr0(v[at + LINK_SLOT.txNacks]);
    out[4] = sentOr0(v[at + LINK_SLOT.duplicates]);
    out[5] = sentOr0(v[at + LINK_SLOT.linkCongs]);
}

/** A field's value, 0 when the kernel did not send it (NaN). */
const sentOr0 = (x: number) => (x === x ? x : 0);

const STATS_COUNTERS = Object.keys(tipcSchema.stats) as StatsCounter[];

/** The counters of the row at `at` that the kernel sent, as decode would give them. */
function statsOf(v: Float64Array, at: number): Partial<Decoded<'stats'>> {
    const out: Partial<Record<StatsCounter, number>> = {};
    for (const c of STATS_COUNTERS) if (!Number.isNaN(v[at + LINK_SLOT[c]])) out[c] = v[at + LINK_SLOT[c]];
    return out;
}

/** SampleLinks over the links' memories: their current values are in their namespaces' tables. */
class LinksInPlace implements SampleLinks {
    readonly count: number;
    constructor(private readonly memories: readonly LinkMemory[]) {
        this.count = memories.length;
    }
    link(i: number): LinkSample {
        return linkSample(this.memories[i]);
    }
    fields(i: number, values: Float64Array, texts: (string | null)[]): void {
        fieldsOf(this.memories[i], values, texts);
    }
    stats(i: number): Partial<Decoded<'stats'>> | null {
        const m = this.memories[i];
        return m.owner.full ? statsOf(m.owner.table!.values, m.row * LINK_WIDTH) : null;
    }
    namespace(i: number): string | null {
        return this.memories[i].owner.namespace ?? null;
    }
    name(i: number): string {
        return this.memories[i].name;
    }
    peer(i: number): string {
        return this.memories[i].ends.peer;
    }
    broadcast(i: number): boolean {
        return this.memories[i].broadcast;
    }
    state(i: number): LinkState {
        return stateOf(this.memories[i]);
    }
    up(i: number): boolean {
        return this.memories[i].up;
    }
    verdict(i: number): Verdict {
        return verdictOf(this.memories[i])?.verdict ?? 'unknown';
    }
    rate(i: number, counter: RateCounter): number {
        const { history } = this.memories[i];
        return history.samples > 0 ? history.rate(RATE_COUNTERS.indexOf(counter), 0) : 0;
    }
    queueMax(i: number): number {
        const m = this.memories[i];
        return sentOr0(m.owner.table!.values[m.row * LINK_WIDTH + LINK_SLOT.maxQueue]);
    }
}

/** The verdict on a link's peer, if there is one (never on the broadcast link). */
function verdictOf(memory: LinkMemory): PeerVerdict | undefined {
    const { peer } = memory.ends;
    return memory.broadcast || peer === '' ? undefined : memory.owner.verdicts.get(peer);
}

/** SampleLinks.fields() of one link. */
function fieldsOf(memory: LinkMemory, values: Float64Array, texts: (string | null)[]): void {
    const w = memory.owner;
    const v = w.table!.values;
    const at = memory.row * LINK_WIDTH;
    const V = LINK_VALUES;
    const peerVerdict = verdictOf(memory);
    const verdict: Verdict = peerVerdict?.verdict ?? 'unknown';
    texts[LINK_TEXTS.namespace] = w.namespace ?? null;
    texts[LINK_TEXTS.name] = memory.name;
    texts[LINK_TEXTS.peer] = memory.ends.peer;
    texts[LINK_TEXTS.bearer] = memory.ends.bearer;
    texts[LINK_TEXTS.state] = stateOf(memory);
    texts[LINK_TEXTS.stateChangedAt] = memory.stateChangedAt;
    texts[LINK_TEXTS.verdict] = verdict;
    texts[LINK_TEXTS.verdictReason] = peerVerdict?.reason ?? null;
    texts[LINK_TEXTS.note] = verdict === 'crossover' ? CROSSOVER_NOTE : null;
    values[V.peerAddress] = peerVerdict?.address ?? NaN;
    values[V.broadcast] = memory.broadcast ? 1 : 0;
    values[V.up] = memory.up ? 1 : 0;
    values[V.active] = memory.active ? 1 : 0;
    values[V.mtu] = v[at + LINK_SLOT.mtu];
    values[V.priority] = v[at + LINK_SLOT.prio];
    values[V.tolerance] = v[at + LINK_SLOT.tol];
    values[V.window] = v[at + LINK_SLOT.win];
    countsOf(v, at, COUNTS);
    const { history } = memory;
    const rated = history.samples > 0;
    for (let k = 0; k < COUNTERS; k++) {
        values[V.counters + k] = COUNTS[k];
        for (let win = 0; win < 3; win++) values[V.rates + 3 * k + win] = rated ? history.rate(k, win) : 0;
    }
    values[V.queueMax] = sentOr0(v[at + LINK_SLOT.maxQueue]);
    values[V.queueAvg] = sentOr0(v[at + LINK_SLOT.avgQueue]);
}

const VALUES = new Float64Array(LINK_VALUE_COUNT);
const TEXTS = new Array<string | null>(LINK_TEXT_COUNT).fill(null);

function linkSample(memory: LinkMemory): LinkSample {
    fieldsOf(memory, VALUES, TEXTS);
    const V = LINK_VALUES;
    const T = LINK_TEXTS;
    const n = (i: number) => VALUES[i];
    const orNull = (i: number) => (Number.isNaN(VALUES[i]) ? null : VALUES[i]);
    const rates = (k: number) => ({ s2: n(V.rates + 3 * k), s10: n(V.rates + 3 * k + 1), s40: n(V.rates + 3 * k + 2) });
    return {
        namespace: TEXTS[T.namespace],
        name: memory.name,
        peer: memory.ends.peer,
        peerAddress: orNull(V.peerAddress),
        bearer: memory.ends.bearer,
        broadcast: memory.broadcast,
        state: stateOf(memory),
        up: memory.up,
        active: memory.active,
        mtu: orNull(V.mtu),
        priority: orNull(V.priority),
        tolerance: orNull(V.tolerance),
        window: orNull(V.window),
        counters: {
            rx: n(V.counters),
            tx: n(V.counters + 1),
            retransmitted: n(V.counters + 2),
            nacks: n(V.counters + 3),
            duplicates: n(V.counters + 4),
            congestion: n(V.counters + 5),
        },
        rates: {
            rx: rates(0),
            tx: rates(1),
            retransmitted: rates(2),
            nacks: rates(3),
            duplicates: rates(4),
            congestion: rates(5),
        },
        queue: { max: n(V.queueMax), avg: n(V.queueAvg) },
        stateChangedAt: memory.stateChangedAt,
        verdict: TEXTS[T.verdict] as Verdict,
        verdictReason: TEXTS[T.verdictReason],
        note: TEXTS[T.note],
        // made afresh every sample: nothing else holds it
        stats: memory.owner.full ? statsOf(memory.owner.table!.values, memory.row * LINK_WIDTH) : null,
    };
}
