// The sampling core of `tipcx top`, without any UI: every tick it reads every
// link of every watched namespace (one LINK_GET dump per namespace, each on
// its own long-lived session), turns counters into rates and notices what
// changed (links up/down/reset, namespaces appearing/vanishing, the tipc
// module going and coming back). Failures never stop it: they become events
// and a per-namespace error state, and the next tick tries again.
import type { Decoded } from '../netlink/codec.js';
import { parseLinkName, type Link, type StatsCounter } from '../tipc/link.js';

export { parseLinkName };
import { CounterHistory, zeroRates, type CounterValues, type LinkRates } from './rates.js';
import { CROSSOVER_NOTE, type PeerVerdict, type Verdict, type VerdictSource } from './verdicts.js';

/** One link as a LINK_GET dump reports it: src/tipc/link.ts's Link, read-only here. */
export type LinkReading = Readonly<Link>;

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
    /** Every link; `full`: with all 33 counters, else TOP_COUNTERS at least. */
    read(full: boolean): Promise<LinkReading[]>;
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

interface LinkMemory {
    reading: LinkReading;
    history: CounterHistory;
    /** ISO time of the last state change, made once per change rather than once per sample. */
    stateChangedAt: string | null;
    /** The link name split once: it never changes for a link. */
    readonly ends: { bearer: string; peer: string };
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
    lastSamples: LinkSample[];
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

    async sample(): Promise<Sample> {
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
            links: [...this.watched.values()].flatMap((w) => w.lastSamples),
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
                    w.lastSamples = [];
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
        let readings: LinkReading[];
        try {
            w.reader ??= await env.open(w.namespace);
            readings = await w.reader.read(full);
        } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            closeReader(w);
            // One event per failure, not per changing symptom (a dump's ENOENT, then "not available" on reopen).
            if (w.error === undefined) {
                this.event('netns-error', w.namespace, null, `${describe(w.namespace)}: ${message}`);
            }
            w.error = message;
            w.lastSamples = [];
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
        w.lastSamples = this.diffLinks(w, readings, full);
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

    private diffLinks(w: Watched, readings: LinkReading[], full: boolean): LinkSample[] {
        const now = this.opts.env.now();
        const seen = new Set<string>();
        const firstSight = w.links.size === 0 && this.seq === 0;
        const out: LinkSample[] = [];
        for (const reading of readings) {
            seen.add(reading.name);
            let memory = w.links.get(reading.name);
            if (!memory) {
                memory = {
                    reading,
                    history: new CounterHistory(),
                    stateChangedAt: firstSight ? null : new Date(now).toISOString(),
                    ends: reading.broadcast ? { bearer: '', peer: '' } : parseLinkName(reading.name),
                };
                w.links.set(reading.name, memory);
                if (!firstSight)
                    this.event(
                        'link-new',
                        w.namespace,
                        reading.name,
                        `link ${reading.name} appeared (${stateOf(reading)})`,
                    );
            } else {
                if (this.linkTransitions(w.namespace, memory.reading, reading)) {
                    memory.stateChangedAt = new Date(now).toISOString();
                }
                memory.reading = reading;
            }
            const counters = countersOf(reading);
            const kind = memory.history.push(counters, now);
            if (kind === 'reset') {
                this.event(
                    'stats-reset',
                    w.namespace,
                    reading.name,
                    `counters of ${reading.name} went back: statistics reset or link re-established`,
                );
            }
            out.push(linkSample(w, memory, counters, full));
        }
        for (const name of [...w.links.keys()]) {
            if (!seen.has(name)) {
                w.links.delete(name);
                this.event('link-gone', w.namespace, name, `link ${name} removed`);
            }
        }
        return out;
    }

    /** Logs an up/down/active/standby change; true when there was one. */
    private linkTransitions(namespace: string | undefined, before: LinkReading, after: LinkReading): boolean {
        if (stateOf(before) === stateOf(after)) return false;
        // with an event source, up and down are logged from the kernel's own events
        const fromEvents = this.opts.linkEvents?.active() === true;
        if (before.up && !after.up) {
            if (!fromEvents) this.event('link-down', namespace, after.name, `link ${after.name} went down`);
        } else if (!before.up && after.up) {
            if (!fromEvents) this.event('link-up', namespace, after.name, `link ${after.name} came up`);
        } else if (after.up && before.active && !after.active)
            this.event('link-standby', namespace, after.name, `link ${after.name} is now standby`);
        else if (after.up && !before.active && after.active)
            this.event('link-active', namespace, after.name, `link ${after.name} is now active`);
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
    return { namespace, links: new Map(), verdicts: new Map(), lastSamples: [] };
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

function stateOf(r: LinkReading): LinkState {
    if (!r.up) return 'down';
    return r.active ? 'active' : 'standby';
}

function countersOf(r: LinkReading): CounterValues {
    const s = r.stats ?? {};
    return {
        rx: r.rx ?? 0,
        tx: r.tx ?? 0,
        retransmitted: s.retransmitted ?? 0,
        nacks: (s.rxNacks ?? 0) + (s.txNacks ?? 0),
        duplicates: s.duplicates ?? 0,
        congestion: s.linkCongs ?? 0,
    };
}

function linkSample(w: Watched, memory: LinkMemory, counters: CounterValues, full: boolean): LinkSample {
    const r = memory.reading;
    const { bearer, peer } = memory.ends;
    const peerVerdict = r.broadcast || peer === '' ? undefined : w.verdicts.get(peer);
    const verdict: Verdict = peerVerdict?.verdict ?? 'unknown';
    return {
        namespace: w.namespace ?? null,
        name: r.name,
        peer,
        peerAddress: peerVerdict?.address ?? null,
        bearer,
        broadcast: r.broadcast,
        state: stateOf(r),
        up: r.up,
        active: r.active,
        mtu: r.mtu ?? null,
        priority: r.prop?.prio ?? null,
        tolerance: r.prop?.tol ?? null,
        window: r.prop?.win ?? null,
        counters,
        rates: memory.history.samples > 0 ? memory.history.rates() : zeroRates(),
        queue: { max: r.stats?.maxQueue ?? 0, avg: r.stats?.avgQueue ?? 0 },
        stateChangedAt: memory.stateChangedAt,
        verdict,
        verdictReason: peerVerdict?.reason ?? null,
        note: verdict === 'crossover' ? CROSSOVER_NOTE : null,
        // decoded afresh every sample: nothing else holds it
        stats: full ? (r.stats ?? {}) : null,
    };
}
