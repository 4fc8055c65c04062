/**
 * The cluster's topology as a stream of typed events, from TIPC's own
 * topology service, in any number of network namespaces from one process.
 *
 * Per namespace: one connection to its topology server (topology-socket.ts)
 * with a subscription per kind asked for: peer nodes {TIPC_NODE_STATE, 0,
 * ~0}, links {TIPC_LINK_STATE, 0, ~0}, and each service range. The server
 * first reports what already exists, then every change. To tell the two
 * apart a last subscription is sent with a zero timeout: the server answers
 * every earlier subscription's existing publications before it even
 * registers this one, so its TIPC_SUBSCR_TIMEOUT marks the end of the
 * snapshot (`origin: 'state'` before it, `'new'` after).
 *
 * Reading blocks nothing: one poll(2) over every connection runs on a worker
 * thread (poll.ts); ready connections are read without blocking on the main
 * thread. Namespaces created later are connected when /run/netns changes
 * (fs.watch), deleted ones are reported and let go at once (our socket would
 * keep a deleted namespace alive). A connection the server closes is
 * reconnected when TIPC comes back; one closed while TIPC is loaded and the
 * namespace is there means the server refused a subscription (its limit).
 * While a connection is open the kernel refuses to unload the tipc module
 * (every AF_TIPC socket holds it), so "comes back" concerns a stream started
 * before the module was loaded (`waitForTipc`) and namespaces added meanwhile.
 *
 * Events of one namespace are never reordered: each read batch is completed
 * (identities, link names, scopes, verdicts) in a chain of its own.
 */
import { existsSync, readdirSync, watch, type FSWatcher } from 'node:fs';
import { EnvironmentError } from '../errors.js';
import { nodeIdToString } from '../netlink/identity.js';
import {
    NETNS_RUN_DIR,
    currentNetnsInode,
    listNamedNetns,
    netnsExists,
    netnsInode,
    type NetnsRef,
} from '../netlink/netns.js';
import { ReadinessWaiter } from '../netlink/poll.js';
import { tipcModuleInstalled, tipcModuleLoaded } from '../netlink/tipc-module.js';
import { TopologyConnection } from '../netlink/topology-socket.js';
import {
    TIPC_LINK_STATE,
    TIPC_MAX_SUBSCR,
    TIPC_NODE_STATE,
    TIPC_PUBLISHED,
    TIPC_SUBSCR_TIMEOUT,
    TIPC_SUB_PORTS,
    TIPC_SUB_SERVICE,
    TIPC_TOP_SRV,
    TIPC_WAIT_FOREVER,
    decodeTopologyMessage,
    encodeSubscription,
    linkBearerId,
    type ServiceRange,
    type TopologyMessage,
} from './topology.js';

/** Whether the topology server reported an event as already there when we subscribed, or as a change. */
export type EventOrigin = 'state' | 'new';

interface EventBase {
    /** When tipcx read it (ISO 8601, UTC). */
    readonly time: string;
    /** The /run/netns name; null for the namespace tipcx runs in. */
    readonly netns: string | null;
}

/** A node joined (up) or left (down) this node's view of the cluster (TIPC_NODE_STATE). */
export interface NodeEvent extends EventBase {
    readonly kind: 'node';
    readonly origin: EventOrigin;
    readonly up: boolean;
    /** The node's 32-bit address (hash). */
    readonly address: number;
    /** Its identity as `tipc node list` prints it; '' when the kernel no longer knows it. */
    readonly identity: string;
    /** The namespace's own node (the server reports it too). */
    readonly self: boolean;
    /** Crossover verdict (src/tipc/crossover.ts) when one could be decided, else null. */
    readonly verdict: string | null;
    readonly verdictReason: string | null;
}

/** A link came up or went down (TIPC_LINK_STATE). */
export interface LinkEvent extends EventBase {
    readonly kind: 'link';
    readonly origin: EventOrigin;
    readonly up: boolean;
    /** The link name as `tipc link list` prints it; null when the kernel had already forgotten the link. */
    readonly name: string | null;
    /** The peer's 32-bit address and identity. */
    readonly peer: number;
    readonly peerIdentity: string;
    /** This node's bearer id the link runs on. */
    readonly bearerId: number;
}

/** A binding in a subscribed service range was published or withdrawn. */
export interface ServiceEvent extends EventBase {
    readonly kind: 'service';
    readonly origin: EventOrigin;
    /** true: published; false: withdrawn. */
    readonly up: boolean;
    readonly type: number;
    readonly lower: number;
    readonly upper: number;
    /** 'node' or 'cluster' as the name table has it; null when it could not be read in time. */
    readonly scope: 'node' | 'cluster' | null;
    /** The bound socket's port id and its node. */
    readonly port: number;
    readonly node: number;
    readonly nodeIdentity: string;
}

/** An unmounted /run/netns entry is looked at again every RECHECK_MS, RECHECKS_PER_ENTRY times at most. */
const RECHECK_MS = 100;
const RECHECKS_PER_ENTRY = 50;
/** A namespace appeared (and is watched from now on) or was deleted (and is dropped). */
export interface NamespaceEvent extends EventBase {
    readonly kind: 'netns';
    readonly change: 'appeared' | 'gone';
}

/**
 * The connection to a namespace's topology server: waiting (the tipc module
 * was not loaded when the stream started: it connects, and the snapshot
 * follows, once the module is loaded; only with `waitForTipc`), lost (TIPC
 * unloaded), back, or refused (the server closed it on a subscription: its
 * limit). A refused namespace is dropped.
 */
export interface ConnectionEvent extends EventBase {
    readonly kind: 'topology';
    readonly change: 'waiting' | 'lost' | 'back' | 'refused';
    readonly message: string;
}

export type TopologyEvent = NodeEvent | LinkEvent | ServiceEvent | NamespaceEvent | ConnectionEvent;

/** What to subscribe to. */
export interface EventKinds {
    readonly node: boolean;
    readonly link: boolean;
    readonly services: readonly ServiceRange[];
}

export type EventScope = { kind: 'current' } | { kind: 'named'; name: string } | { kind: 'all' };

export interface PeerVerdict {
    readonly verdict: string;
    readonly reason: string;
}

export interface WatchOptions {
    readonly kinds: EventKinds;
    readonly scope: EventScope;
    readonly signal?: AbortSignal;
    /** The crossover verdict of a peer that came up, by its identity; undefined: none. */
    readonly verdictOf?: (netns: string | null, identity: string) => Promise<PeerVerdict | undefined>;
    /** The netlink look-ups (own identity, binding scopes); default: a TipcSession in the namespace. */
    readonly lookups?: NamespaceLookups;
    /** How often a lost connection is retried while TIPC is away (default 500 ms). */
    readonly retryMs?: number;
    /**
     * The tipc module not loaded at the start, but installed: a `waiting`
     * event per namespace, then the stream as usual once something loads it
     * (the kernel never loads it by itself, src/netlink/tipc-module.ts).
     * Without it, or with no module to load, the iterator throws an
     * EnvironmentError, as every other command does without TIPC.
     */
    readonly waitForTipc?: boolean;
}

/** Facts the topology events do not carry, read over netlink. */
export interface NamespaceLookups {
    ownIdentity(ref: NetnsRef | undefined): Promise<string>;
    /** Scope by `${type}:${lower}:${upper}:${port}:${node}` for every binding of these types. */
    scopes(ref: NetnsRef | undefined, types: ReadonlySet<number>): Promise<Map<string, 'node' | 'cluster'>>;
}

// usr_handle byte 0: which subscription an event answers; bytes 4..7: the service index.
const HANDLE_NODE = 1;
const HANDLE_LINK = 2;
const HANDLE_SERVICE = 3;
const HANDLE_MARKER = 4;

function handle(kind: number, index = 0): Uint8Array {
    const h = Buffer.alloc(8);
    h[0] = kind;
    h.writeUInt32BE(index, 4);
    return h;
}

/** The subscriptions for `kinds`, the snapshot marker last. */
export function subscriptionsFor(kinds: EventKinds): Buffer[] {
    const all: Buffer[] = [];
    const forever = (range: ServiceRange, h: Uint8Array) =>
        encodeSubscription({ range, timeoutMs: TIPC_WAIT_FOREVER, filter: TIPC_SUB_PORTS, handle: h });
    if (kinds.node) all.push(forever({ type: TIPC_NODE_STATE, lower: 0, upper: 0xffff_ffff }, handle(HANDLE_NODE)));
    if (kinds.link) all.push(forever({ type: TIPC_LINK_STATE, lower: 0, upper: 0xffff_ffff }, handle(HANDLE_LINK)));
    kinds.services.forEach((range, i) => all.push(forever(range, handle(HANDLE_SERVICE, i))));
    all.push(
        encodeSubscription({
            range: { type: TIPC_TOP_SRV, lower: TIPC_TOP_SRV, upper: TIPC_TOP_SRV },
            timeoutMs: 0,
            filter: TIPC_SUB_SERVICE,
            handle: handle(HANDLE_MARKER),
        }),
    );
    return all;
}

/** What an event answers, from the handle the server echoed. */
export function subscriptionOf(m: TopologyMessage): 'node' | 'link' | 'service' | 'marker' | undefined {
    switch (m.subscription.handle[0]) {
        case HANDLE_NODE:
            return 'node';
        case HANDLE_LINK:
            return 'link';
        case HANDLE_SERVICE:
            return 'service';
        case HANDLE_MARKER:
            return 'marker';
        default:
            return undefined;
    }
}

export const scopeKey = (type: number, lower: number, upper: number, port: number, node: number): string =>
    `${type}:${lower}:${upper}:${port}:${node}`;

interface Watched {
    readonly label: string | null;
    readonly ref: NetnsRef | undefined;
    readonly inode: number | undefined;
    conn?: TopologyConnection;
    /** Set once the marker's timeout arrived on the current connection. */
    snapshotDone: boolean;
    /** Not connected, and said so: waiting for the module from the start, or the connection lost. */
    away?: 'waiting' | 'lost';
    own: number;
    ownIdentity?: Promise<string>;
    /** Link names by `${peer}:${bearerId}`: a link that went down may be gone from the kernel. */
    readonly linkNames: Map<string, string>;
    readonly scopes: Map<string, 'node' | 'cluster'>;
    chain: Promise<void>;
    dropped: boolean;
}

/**
 * Watches the topology of the namespaces in `scope` and yields its events
 * until `signal` aborts or the iterator is returned. Throws when TIPC is not
 * available when it starts (EnvironmentError; with `waitForTipc` only when
 * there is no tipc module to load) or the one named namespace does not exist.
 */
export function watchTopology(options: WatchOptions): AsyncIterableIterator<TopologyEvent> {
    return new TopologyWatch(options).iterator();
}

class TopologyWatch {
    private readonly watched = new Map<string, Watched>();
    private readonly queue: TopologyEvent[] = [];
    private wakeReader?: () => void;
    private failure?: Error;
    private finished = false;
    private readonly waiter = new ReadinessWaiter();
    private dirWatch?: FSWatcher;
    private retryTimer?: NodeJS.Timeout;
    private readonly subscriptions: Buffer[];
    private readonly lookups: NamespaceLookups;
    private readonly serviceTypes: ReadonlySet<number>;
    private loop?: Promise<void>;
    /** Taken off the caller's signal when the watch stops: top starts a watch again after one ends, on one signal. */
    private readonly onAbort = (): void => this.finish();

    constructor(private readonly o: WatchOptions) {
        this.subscriptions = subscriptionsFor(o.kinds);
        this.lookups = o.lookups ?? netlinkLookups;
        this.serviceTypes = new Set(o.kinds.services.map((s) => s.type));
    }

    iterator(): AsyncIterableIterator<TopologyEvent> {
        let started = false;
        const next = async (): Promise<IteratorResult<TopologyEvent>> => {
            if (!started) {
                started = true;
                this.start();
            }
            for (;;) {
                const e = this.queue.shift();
                if (e) return { value: e, done: false };
                if (this.failure !== undefined) {
                    const f = this.failure;
                    this.failure = undefined;
                    await this.stop();
                    throw f;
                }
                if (this.finished) {
                    await this.stop();
                    return { value: undefined, done: true };
                }
                await new Promise<void>((resolve) => (this.wakeReader = resolve));
            }
        };
        const it: AsyncIterableIterator<TopologyEvent> = {
            next,
            return: async (): Promise<IteratorResult<TopologyEvent>> => {
                this.finished = true;
                await this.stop();
                return { value: undefined, done: true };
            },
            [Symbol.asyncIterator]: () => it,
        };
        return it;
    }

    private start(): void {
        const { scope, signal } = this.o;
        if (signal?.aborted) {
            this.finish();
            return;
        }
        signal?.addEventListener('abort', this.onAbort, { once: true });
        try {
            if (scope.kind === 'current') this.add({ label: null, ref: undefined, inode: undefined }, false);
            else if (scope.kind === 'named') {
                const ref = { name: scope.name };
                this.add({ label: scope.name, ref, inode: netnsInode(ref) }, false);
            } else {
                this.add({ label: null, ref: undefined, inode: undefined }, false);
                this.syncNamespaces(false);
            }
        } catch (e) {
            this.fail(e);
            return;
        }
        if (scope.kind !== 'current') this.watchRunNetns();
        this.loop = this.readLoop();
    }

    /** Adds a namespace and connects to it; at start, a failure to connect is the caller's. */
    private add(
        target: { label: string | null; ref: NetnsRef | undefined; inode: number | undefined },
        later: boolean,
    ) {
        const w: Watched = {
            ...target,
            snapshotDone: false,
            own: 0,
            linkNames: new Map(),
            scopes: new Map(),
            chain: Promise.resolve(),
            dropped: false,
        };
        this.watched.set(keyOf(target.label, target.inode), w);
        if (later) this.emit({ kind: 'netns', change: 'appeared', ...this.stamp(w) });
        try {
            this.connect(w);
        } catch (e) {
            if (later) this.connectionFailed(w, e);
            else if (this.o.waitForTipc && e instanceof EnvironmentError && tipcModuleLoadable()) this.waitForTipc(w);
            else throw e;
        }
    }

    private waitForTipc(w: Watched): void {
        w.away = 'waiting';
        this.emit({
            kind: 'topology',
            change: 'waiting',
            // one module serves every namespace: the sentence is the same for each
            message: 'the tipc module is not loaded; waiting for it ("modprobe tipc" loads it)',
            ...this.stamp(w),
        });
        this.scheduleRetry();
    }

    private connect(w: Watched): void {
        const conn = TopologyConnection.open(w.ref);
        w.conn = conn;
        w.snapshotDone = false;
        w.own = conn.ownAddress();
        w.ownIdentity = this.lookups.ownIdentity(w.ref).catch(() => '');
        for (const s of this.subscriptions) {
            if (!conn.send(s)) break; // closed: the read loop finds out and says why
        }
        // the first connection after waiting for the module is no news: its snapshot follows
        if (w.away === 'lost') {
            this.emit({
                kind: 'topology',
                change: 'back',
                message: `${describe(w.label)}: connected to the topology server again`,
                ...this.stamp(w),
            });
        }
        w.away = undefined;
        this.waiter.wake();
    }

    private connectionFailed(w: Watched, e: unknown): void {
        if (w.ref && !netnsExists(w.ref)) {
            this.drop(w, true);
            return;
        }
        if (w.away === undefined) {
            w.away = 'lost';
            const why = e instanceof Error ? e.message : String(e);
            this.emit({
                kind: 'topology',
                change: 'lost',
                message: `${describe(w.label)}: no topology server (${why}); retrying until TIPC is back`,
                ...this.stamp(w),
            });
        }
        this.scheduleRetry();
    }

    private scheduleRetry(): void {
        if (this.retryTimer || this.finished) return;
        this.retryTimer = setTimeout(() => {
            this.retryTimer = undefined;
            // socket(AF_TIPC) without the module makes the kernel run modprobe for nothing: look first
            if (!tipcModuleLoaded()) {
                this.scheduleRetry();
                return;
            }
            for (const w of this.watched.values()) {
                if (w.conn || w.dropped) continue;
                try {
                    this.connect(w);
                } catch (e) {
                    this.connectionFailed(w, e);
                }
            }
        }, this.o.retryMs ?? 500);
    }

    private watchRunNetns(): void {
        try {
            this.dirWatch = watch(NETNS_RUN_DIR, () => this.syncNamespaces(true));
            this.dirWatch.on('error', () => undefined);
        } catch {
            // no /run/netns yet: nothing to watch until `ip netns add` creates it
            this.scheduleDirWatch();
        }
    }

    private scheduleDirWatch(): void {
        setTimeout(() => {
            if (this.finished) return;
            if (existsSync(NETNS_RUN_DIR)) {
                this.syncNamespaces(true);
                this.watchRunNetns();
            } else this.scheduleDirWatch();
        }, 1000).unref();
    }

    /** Brings the watched set in line with /run/netns. */
    private syncNamespaces(later: boolean): void {
        if (this.finished) return;
        const { scope } = this.o;
        // One look at what is mounted, for both what is added now and what is looked at again below: a
        // namespace mounted between two looks would be neither (`ip netns add` mounts right after it creates).
        const named = listNamedNetns();
        const present = new Map<string, { name: string; inode: number }>();
        if (scope.kind === 'all') {
            const current = currentNetnsInode();
            for (const name of named) {
                try {
                    const inode = netnsInode({ name });
                    if (inode !== current) present.set(keyOf(name, inode), { name, inode });
                } catch {
                    // vanished between listing and stat
                }
            }
        } else if (scope.kind === 'named') {
            try {
                const inode = netnsInode({ name: scope.name });
                present.set(keyOf(scope.name, inode), { name: scope.name, inode });
            } catch {
                // deleted: dropped below
            }
        }
        for (const [key, w] of this.watched) {
            if (w.ref && !present.has(key)) this.drop(w, true);
        }
        if (scope.kind !== 'current') this.recheckUnmounted(scope.kind === 'named' ? scope.name : undefined, named);
        if (scope.kind !== 'all') return;
        for (const [key, p] of present) {
            if (!this.watched.has(key)) this.add({ label: p.name, ref: { name: p.name }, inode: p.inode }, later);
        }
    }

    private recheckTimer?: NodeJS.Timeout;
    /** How often each unmounted entry of /run/netns has been looked at again. */
    private readonly rechecks = new Map<string, number>();

    /**
     * `ip netns add` creates the file, then mounts the namespace on it: only the
     * first is an inotify event. An entry that was not a namespace at the look
     * `named` is looked at again shortly, for up to 5 s each: a leftover file
     * that never becomes a namespace must not use up the window of the ones
     * added after it.
     */
    private recheckUnmounted(only: string | undefined, named: readonly string[]): void {
        if (this.recheckTimer) return;
        let entries: string[];
        try {
            entries = readdirSync(NETNS_RUN_DIR);
        } catch {
            return;
        }
        const pending = entries.filter((e) => !named.includes(e) && (only === undefined || e === only));
        for (const name of this.rechecks.keys()) if (!pending.includes(name)) this.rechecks.delete(name);
        const again = pending.filter((name) => (this.rechecks.get(name) ?? 0) < RECHECKS_PER_ENTRY);
        if (again.length === 0) return;
        for (const name of again) this.rechecks.set(name, (this.rechecks.get(name) ?? 0) + 1);
        this.recheckTimer = setTimeout(() => {
            this.recheckTimer = undefined;
            this.syncNamespaces(true);
        }, RECHECK_MS);
    }

    private drop(w: Watched, gone: boolean): void {
        if (w.dropped) return;
        w.dropped = true;
        this.watched.delete(keyOf(w.label, w.inode));
        this.closeConnection(w);
        if (gone) this.emit({ kind: 'netns', change: 'gone', ...this.stamp(w) });
        if (this.watched.size === 0) this.finish();
    }

    /** Closes at once if no poll uses the descriptor, else right after the poll returns. */
    private closeConnection(w: Watched): void {
        const conn = w.conn;
        w.conn = undefined;
        if (!conn) return;
        if (this.waiter.busy) {
            this.closing.push(conn);
            this.waiter.wake();
        } else conn.close();
    }

    private closing: TopologyConnection[] = [];

    private async readLoop(): Promise<void> {
        while (!this.finished) {
            const open = [...this.watched.values()].filter((w) => w.conn);
            const fds = open.map((w) => w.conn!.descriptor);
            const ready = await this.waiter.wait(fds);
            for (const c of this.closing.splice(0)) c.close();
            if (this.finished) break;
            for (const w of open) {
                if (!w.conn || !ready.includes(w.conn.descriptor)) continue;
                this.readFrom(w);
            }
        }
        for (const c of this.closing.splice(0)) c.close();
    }

    private readFrom(w: Watched): void {
        const conn = w.conn!;
        const { messages, closed } = conn.read();
        const batch: { m: TopologyMessage; origin: EventOrigin; what: 'node' | 'link' | 'service' }[] = [];
        for (const raw of messages) {
            let m: TopologyMessage;
            try {
                m = decodeTopologyMessage(raw);
            } catch {
                continue; // not an event of ours: nothing to report
            }
            const what = subscriptionOf(m);
            if (what === 'marker') {
                if (m.event === TIPC_SUBSCR_TIMEOUT) w.snapshotDone = true;
                continue;
            }
            if (what === undefined || m.event === TIPC_SUBSCR_TIMEOUT) continue;
            batch.push({ m, origin: w.snapshotDone ? 'new' : 'state', what });
        }
        if (batch.length) {
            const resolved = this.resolveNow(w, batch);
            w.chain = w.chain.then(() => this.complete(w, resolved)).catch((e: unknown) => this.fail(e));
        }
        if (closed) this.connectionClosed(w);
    }

    /** What must be read while the kernel still knows it (link names, identities): at once, synchronously. */
    private resolveNow(
        w: Watched,
        batch: { m: TopologyMessage; origin: EventOrigin; what: 'node' | 'link' | 'service' }[],
    ): Pending[] {
        const conn = w.conn!;
        const identities = new Map<number, string>();
        const identityOf = (address: number): string => {
            let id = identities.get(address);
            if (id === undefined) {
                let bytes: Buffer | null;
                try {
                    bytes = conn.nodeId(address);
                } catch {
                    bytes = null;
                }
                id = bytes ? nodeIdToString(bytes) : '';
                identities.set(address, id);
            }
            return id;
        };
        return batch.map(({ m, origin, what }): Pending => {
            const up = m.event === TIPC_PUBLISHED;
            if (what === 'node') {
                // The namespace gets its address when its first bearer comes up, which may be after the stream began.
                if (w.own === 0) w.own = conn.ownAddress();
                const self = m.foundLower === w.own;
                return {
                    kind: 'node',
                    origin,
                    up,
                    address: m.foundLower,
                    identity: self ? '' : identityOf(m.foundLower),
                    self,
                };
            }
            if (what === 'link') {
                const bearerId = linkBearerId(m.port);
                const key = `${m.foundLower}:${bearerId}`;
                const name = conn.linkName(m.foundLower, bearerId) ?? w.linkNames.get(key) ?? null;
                if (name && up) w.linkNames.set(key, name);
                return {
                    kind: 'link',
                    origin,
                    up,
                    name,
                    peer: m.foundLower,
                    peerIdentity: identityOf(m.foundLower),
                    bearerId,
                };
            }
            const sub = m.subscription.range;
            return {
                kind: 'service',
                origin,
                up,
                type: sub.type,
                lower: m.foundLower,
                upper: m.foundUpper,
                port: m.port,
                node: m.node,
                nodeIdentity: m.node === w.own ? '' : identityOf(m.node),
                scope: null,
            };
        });
    }

    /** The netlink and verdict look-ups, in order, then the events out. */
    private async complete(w: Watched, pending: Pending[]): Promise<void> {
        const ownIdentity = w.ownIdentity ? await w.ownIdentity : '';
        const local = pending.filter((p) => p.kind === 'service' && p.node === w.own);
        const missing = local.some(
            (p) => p.kind === 'service' && !w.scopes.has(scopeKey(p.type, p.lower, p.upper, p.port, p.node)),
        );
        if (missing && pending.some((p) => p.kind === 'service' && p.up)) {
            try {
                for (const [k, v] of await this.lookups.scopes(w.ref, this.serviceTypes)) w.scopes.set(k, v);
            } catch {
                // the scope stays unknown (null) for these: the events still go out
            }
        }
        const time = new Date().toISOString();
        for (const p of pending) {
            if (w.dropped) return;
            const base = { time, netns: w.label };
            if (p.kind === 'node') {
                const identity = p.self ? ownIdentity : p.identity;
                let verdict: PeerVerdict | undefined;
                if (!p.self && p.up && identity !== '' && this.o.verdictOf) {
                    verdict = await this.o.verdictOf(w.label, identity).catch(() => undefined);
                }
                this.emit({
                    ...base,
                    ...p,
                    identity,
                    verdict: verdict?.verdict ?? null,
                    verdictReason: verdict?.reason ?? null,
                });
            } else if (p.kind === 'link') {
                this.emit({ ...base, ...p });
            } else {
                const key = scopeKey(p.type, p.lower, p.upper, p.port, p.node);
                // bindings of other nodes reach this one only when published cluster-wide
                const scope = p.node !== w.own ? 'cluster' : (w.scopes.get(key) ?? null);
                if (!p.up) w.scopes.delete(key);
                this.emit({ ...base, ...p, scope, nodeIdentity: p.node === w.own ? ownIdentity : p.nodeIdentity });
            }
        }
    }

    private connectionClosed(w: Watched): void {
        const conn = w.conn;
        w.conn = undefined;
        conn?.close();
        w.linkNames.clear();
        if (w.ref && !netnsExists(w.ref)) {
            this.drop(w, true);
            return;
        }
        if (!tipcModuleLoaded()) {
            this.connectionFailed(w, new EnvironmentError('the tipc module was unloaded'));
            return;
        }
        // TIPC is there and so is the namespace: the server closed the connection on one of our
        // subscriptions, which are all valid, so it refused one over its limit.
        this.emit({
            kind: 'topology',
            change: 'refused',
            message: `${describe(w.label)}: the topology server refused a subscription: the namespace already has ${TIPC_MAX_SUBSCR} subscriptions, the kernel's limit (TIPC_MAX_SUBSCR); close other subscribers or subscribe to fewer ranges`,
            ...this.stamp(w),
        });
        this.drop(w, false);
    }

    private stamp(w: Watched): { time: string; netns: string | null } {
        return { time: new Date().toISOString(), netns: w.label };
    }

    private emit(e: TopologyEvent): void {
        this.queue.push(e);
        this.wakeReader?.();
        this.wakeReader = undefined;
    }

    private fail(e: unknown): void {
        this.failure ??= e instanceof Error ? e : new Error(String(e));
        this.finish();
    }

    private finish(): void {
        if (this.finished) {
            this.wakeReader?.();
            return;
        }
        this.finished = true;
        this.waiter.wake();
        this.wakeReader?.();
        this.wakeReader = undefined;
    }

    private stopped = false;

    private async stop(): Promise<void> {
        if (this.stopped) return;
        this.stopped = true;
        this.finished = true;
        this.o.signal?.removeEventListener('abort', this.onAbort);
        this.dirWatch?.close();
        if (this.retryTimer) clearTimeout(this.retryTimer);
        if (this.recheckTimer) clearTimeout(this.recheckTimer);
        this.waiter.wake();
        await this.loop;
        await Promise.all([...this.watched.values()].map((w) => w.chain));
        for (const w of this.watched.values()) {
            w.conn?.close();
            w.conn = undefined;
        }
        this.waiter.close();
    }
}

type Pending =
    | Omit<NodeEvent, 'time' | 'netns' | 'verdict' | 'verdictReason'>
    | Omit<LinkEvent, 'time' | 'netns'>
    | Omit<ServiceEvent, 'time' | 'netns'>;

function keyOf(label: string | null, inode: number | undefined): string {
    return label === null ? '' : `${label}@${inode ?? 0}`;
}

/** Not loaded now, but `modprobe tipc` would find it. */
function tipcModuleLoadable(): boolean {
    return !tipcModuleLoaded() && tipcModuleInstalled();
}

function describe(label: string | null): string {
    return label === null ? 'this namespace' : `namespace ${label}`;
}

/** Own identity and binding scopes over generic netlink, a short session each time. */
const netlinkLookups: NamespaceLookups = {
    async ownIdentity(ref) {
        const { withSession } = await import('./session.js');
        const { getOwnNet } = await import('./node.js');
        return withSession(
            { ...(ref ? { netns: ref } : {}), timeoutMs: 2000 },
            async (s) => (await getOwnNet(s)).identity,
        );
    },
    async scopes(ref, types) {
        const { withSession } = await import('./session.js');
        const { showNameTable } = await import('./nametable.js');
        const table = await withSession({ ...(ref ? { netns: ref } : {}), timeoutMs: 5000 }, (s) => showNameTable(s));
        const out = new Map<string, 'node' | 'cluster'>();
        for (const p of table.publications) {
            if (!types.has(p.type)) continue;
            // TIPC_NLA_PUBL_SCOPE: 2 cluster, 3 node (1, zone, is legacy and means cluster)
            out.set(scopeKey(p.type, p.lower, p.upper, p.port, p.node), p.scope === 3 ? 'node' : 'cluster');
        }
        return out;
    },
};

/**
 * Crossover verdicts for node events, from src/tipc/crossover.ts without
 * waiting for discovery frames (a stream must not stall): one look at every
 * namespace, reused for `maxAgeMs` unless it does not show the peer up yet.
 */
export function crossoverVerdictLookup(
    maxAgeMs = 2000,
): (netns: string | null, identity: string) => Promise<PeerVerdict | undefined> {
    type Rows = Awaited<ReturnType<(typeof import('./crossover.js'))['gatherCrossover']>>;
    let cache: { at: number; rows: Promise<Rows> } | undefined;
    return async (netns, identity) => {
        const mod = await import('./crossover.js');
        const label = netns ?? mod.CURRENT_NETNS;
        const gather = (): Promise<Rows> => {
            const named = listNamedNetns().map((name) => ({ netns: name, ref: { name } }));
            const all = [{ netns: mod.CURRENT_NETNS }, ...named];
            cache = { at: Date.now(), rows: mod.gatherCrossover({ rows: all, all, waitMs: 0 }) };
            return cache.rows;
        };
        const find = (rows: Rows) => rows.find((r) => r.netns === label && r.peer === identity);
        let row = find(await (cache && Date.now() - cache.at <= maxAgeMs ? cache.rows : gather()));
        if (!row?.up) row = find(await gather());
        return row ? { verdict: row.verdict, reason: row.reason } : undefined;
    };
}
