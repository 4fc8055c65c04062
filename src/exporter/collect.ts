/**
 * What `tipcx exporter` reads at each scrape: per namespace one round of
 * netlink dumps over a session kept open between scrapes (NET_GET, LINK_GET,
 * NODE_GET, BEARER_GET, NAME_TABLE_GET, SOCK_GET), all namespaces at once,
 * within one time budget. A namespace that is slow, gone, not ours to enter
 * or without TIPC (module unloaded) answers what it read before the failure,
 * and the failure is counted; nothing here throws for one namespace, and
 * nothing prints: the server and the metrics decide what to do with it.
 */
import type { NetnsRef } from '../netlink/netns.js';
import { netnsInode } from '../netlink/netns.js';
import { listBearersWithProperties, type BearerWithProperties } from '../tipc/bearer.js';
import type { CrossoverRow, NamespaceView } from '../tipc/crossover.js';
import { listLinks, type Link, type StatsCounter } from '../tipc/link.js';
import { countPublications } from '../tipc/nametable.js';
import { getOwnNet, listPeerNodesWithIds, type OwnNet, type PeerNode } from '../tipc/node.js';
import { TipcSession } from '../tipc/session.js';
import { countSockets } from '../tipc/socket.js';

/** A namespace to read: its label (the /run/netns name, or "(current)") and how to enter it. */
export interface NamespaceTarget {
    readonly label: string;
    /** undefined: the namespace the exporter runs in. */
    readonly ref?: NetnsRef;
    /** Its inode as listed just now, when the listing read it: not read again. */
    readonly inode?: number;
}

export type Peer = PeerNode & { readonly nodeId: string };

/** One namespace at one scrape; a part that could not be read is undefined. */
export interface NamespaceSnapshot {
    readonly label: string;
    readonly ref?: NetnsRef;
    /** Every part was read. */
    readonly complete: boolean;
    /** Why not (one sentence per failure), empty when complete. */
    readonly errors: readonly string[];
    readonly durationMs: number;
    readonly own?: OwnNet;
    readonly links?: readonly Link[];
    readonly peers?: readonly Peer[];
    readonly bearers?: readonly BearerWithProperties[];
    readonly publications?: number;
    readonly sockets?: number;
}

export interface Scrape {
    readonly namespaces: readonly NamespaceSnapshot[];
    /** Crossover verdicts of the exported namespaces' peers; empty when they could not be decided. */
    readonly verdicts: readonly CrossoverRow[];
    /** Why verdicts lack proofs or are missing (no capture without root), if they do. */
    readonly verdictProblem?: string;
    readonly moduleLoaded: boolean;
    readonly durationMs: number;
}

/** The namespaces of one scrape. */
export interface NamespaceListing {
    /** The namespaces to export (--all-netns: those made since the last scrape count). */
    readonly targets: readonly NamespaceTarget[];
    /**
     * Every namespace of the host (candidates for the local end of a crossover);
     * those not exported are read for their identity only.
     */
    readonly candidates: readonly NamespaceTarget[];
}

/** What the collector asks of the machine beyond the namespaces' sessions. */
export interface CollectorOptions {
    /** The namespaces, listed again at every scrape (once: one walk of /run/netns serves both lists). */
    readonly namespaces: () => NamespaceListing;
    readonly moduleLoaded: () => boolean;
    /** The link counters to decode (the same array each time); all when undefined. */
    readonly linkCounters?: readonly StatsCounter[];
    /** Opens a namespace's session (default: TipcSession.open in it); bench/exporter-replay.ts replays recorded bytes. */
    readonly open?: (target: NamespaceTarget, timeoutMs: number) => Promise<TipcSession>;
    /** Decides verdicts from the views read (src/tipc/crossover.ts CrossoverWatch). */
    readonly verdicts?: {
        decide(rows: readonly string[], views: readonly NamespaceView[]): CrossoverRow[];
        readonly captureFailure: Error | undefined;
        close(): void;
    };
    readonly now?: () => number;
}

class DeadlineExceeded extends Error {}

/**
 * The end of one scrape's time budget, shared by all its reads: one timer for
 * the scrape, where a timer per read (six per namespace) meant a clock read
 * each, a system call in the lab (bench/exporter.ts).
 */
class Deadline {
    private passed = false;
    private readonly expiries = new Set<() => void>();
    private readonly timer: NodeJS.Timeout;

    /** `at`: ms since the epoch, `budgetMs` from now. */
    constructor(
        readonly at: number,
        budgetMs: number,
    ) {
        this.timer = setTimeout(() => {
            this.passed = true;
            for (const expire of this.expiries) expire();
            this.expiries.clear();
        }, budgetMs);
    }

    /** `work`, or a rejection with DeadlineExceeded when the budget runs out first. */
    race<T>(work: Promise<T>): Promise<T> {
        if (this.passed) {
            // started already: its failure (the session is closed next) must not go unhandled
            work.catch(() => undefined);
            return Promise.reject(new DeadlineExceeded());
        }
        return new Promise<T>((resolve, reject) => {
            const expire = () => reject(new DeadlineExceeded());
            this.expiries.add(expire);
            work.then(
                (v) => {
                    this.expiries.delete(expire);
                    resolve(v);
                },
                (e: unknown) => {
                    this.expiries.delete(expire);
                    reject(e instanceof Error ? e : new Error(String(e)));
                },
            );
        });
    }

    /** The scrape is over: its timer goes. */
    clear(): void {
        clearTimeout(this.timer);
    }
}

/** A namespace's session, kept between scrapes and let go of when the namespace is gone or replaced. */
class NamespaceReader {
    private session: TipcSession | undefined;
    private inode: number | undefined;
    /** Peer identities by node address, asked once per peer (an ioctl each) while the session lasts. */
    private readonly identities = new Map<number, Buffer | null>();

    constructor(
        readonly target: NamespaceTarget,
        private readonly linkCounters: readonly StatsCounter[] | undefined,
        private readonly openSession: (target: NamespaceTarget, timeoutMs: number) => Promise<TipcSession>,
    ) {}

    /** The namespace's inode, undefined when it no longer exists. */
    private currentInode(listed: NamespaceTarget): number | undefined {
        if (!this.target.ref) return undefined;
        if (listed.inode !== undefined) return listed.inode;
        try {
            return netnsInode(this.target.ref);
        } catch {
            return undefined;
        }
    }

    /** `listed`: the namespace as this scrape's listing gives it (with the same label as `target`). */
    async read(
        what: 'all' | 'identity',
        listed: NamespaceTarget,
        deadline: Deadline,
        now: () => number,
    ): Promise<NamespaceSnapshot> {
        const started = now();
        const parts: {
            own?: OwnNet;
            links?: Link[];
            peers?: Peer[];
            bearers?: BearerWithProperties[];
            publications?: number;
            sockets?: number;
        } = {};
        const errors: string[] = [];
        // once per scrape (a stat of /run/netns/NAME): recreated meanwhile, the namespace is read afresh next time
        const inode = this.currentInode(listed);
        const step = async <T>(name: string, fn: (s: TipcSession) => Promise<T>): Promise<T | undefined> => {
            if (errors.length > 0) return undefined;
            try {
                const session = await this.open(inode, deadline, now);
                return await deadline.race(fn(session));
            } catch (e) {
                errors.push(
                    e instanceof DeadlineExceeded
                        ? `${name}: no answer within the scrape's time budget`
                        : `${name}: ${(e as Error).message}`,
                );
                // a session that failed or is still waiting for an answer is not reused
                this.close();
                return undefined;
            }
        };
        parts.own = await step('own identity', getOwnNet);
        if (what === 'all') {
            parts.links = await step('links', (s) =>
                listLinks(s, this.linkCounters ? { statistics: this.linkCounters } : {}),
            );
            parts.peers = await step('peers', (s) => listPeerNodesWithIds(s, this.identities));
            parts.bearers = await step('bearers', listBearersWithProperties);
            parts.publications = await step('name table', countPublications);
            parts.sockets = await step('sockets', countSockets);
        }
        const defined = Object.fromEntries(Object.entries(parts).filter(([, v]) => v !== undefined));
        return {
            label: this.target.label,
            ...(this.target.ref ? { ref: this.target.ref } : {}),
            complete: errors.length === 0,
            errors,
            durationMs: now() - started,
            ...defined,
        };
    }

    private async open(inode: number | undefined, deadline: Deadline, now: () => number): Promise<TipcSession> {
        // recreated under the same name: the old session reads the old namespace
        if (this.session && inode !== this.inode) this.close();
        if (this.session) return this.session;
        this.inode = inode;
        const timeoutMs = Math.max(1, deadline.at - now());
        const opening = this.openSession(this.target, timeoutMs);
        // a session that opens after the deadline is closed, not leaked
        const session = await deadline.race(opening).catch((e: unknown) => {
            void opening.then((late) => late.close()).catch(() => undefined);
            throw e;
        });
        this.session = session;
        return session;
    }

    close(): void {
        this.session?.close();
        this.session = undefined;
        this.identities.clear();
    }
}

/** Reads every namespace at each scrape; one scrape at a time (the server shares a running one). */
export class Collector {
    private readonly readers = new Map<string, NamespaceReader>();
    private readonly now: () => number;

    constructor(private readonly opts: CollectorOptions) {
        this.now = opts.now ?? Date.now;
    }

    async collect(budgetMs: number): Promise<Scrape> {
        const started = this.now();
        const listing = this.opts.namespaces();
        const targets = dedupe(listing.targets);
        const exported = new Set(targets.map((t) => t.label));
        const others = dedupe(listing.candidates).filter((t) => !exported.has(t.label));
        this.forgetAllBut([...targets, ...others]);
        const moduleLoaded = this.opts.moduleLoaded();
        const deadline = new Deadline(started + budgetMs, budgetMs);
        const [namespaces, identities] = await Promise.all([
            Promise.all(targets.map((t) => this.reader(t).read('all', t, deadline, this.now))),
            Promise.all(others.map((t) => this.reader(t).read('identity', t, deadline, this.now))),
        ]).finally(() => deadline.clear());
        let verdicts: CrossoverRow[] = [];
        let verdictProblem: string | undefined;
        const watch = this.opts.verdicts;
        if (watch) {
            const views = [...namespaces, ...identities].flatMap(viewOf);
            try {
                verdicts = watch.decide(
                    namespaces.filter((n) => n.own && n.peers).map((n) => n.label),
                    views,
                );
            } catch (e) {
                verdictProblem = `crossover verdicts could not be decided: ${(e as Error).message}`;
            }
            const capture = watch.captureFailure;
            if (capture && verdictProblem === undefined)
                verdictProblem = `no discovery frames are captured (${capture.message}): local peers stay local-unproven`;
        }
        return {
            namespaces,
            verdicts,
            ...(verdictProblem !== undefined ? { verdictProblem } : {}),
            moduleLoaded,
            durationMs: this.now() - started,
        };
    }

    close(): void {
        for (const r of this.readers.values()) r.close();
        this.readers.clear();
        this.opts.verdicts?.close();
    }

    private reader(target: NamespaceTarget): NamespaceReader {
        let r = this.readers.get(target.label);
        if (!r) {
            r = new NamespaceReader(target, this.opts.linkCounters, this.opts.open ?? openInNamespace);
            this.readers.set(target.label, r);
        }
        return r;
    }

    /** Namespaces no longer listed: their sessions would keep them alive. */
    private forgetAllBut(listed: readonly NamespaceTarget[]): void {
        const keep = new Set(listed.map((t) => t.label));
        for (const [label, r] of this.readers) {
            if (keep.has(label)) continue;
            r.close();
            this.readers.delete(label);
        }
    }
}

function openInNamespace(target: NamespaceTarget, timeoutMs: number): Promise<TipcSession> {
    return TipcSession.open({ ...(target.ref ? { netns: target.ref } : {}), timeoutMs });
}

/** The same label listed twice is read once. */
function dedupe(targets: readonly NamespaceTarget[]): NamespaceTarget[] {
    const seen = new Set<string>();
    return targets.filter((t) => !seen.has(t.label) && (seen.add(t.label), true));
}

/** The crossover module's view of a namespace, when its identity was read. */
function viewOf(n: NamespaceSnapshot): NamespaceView[] {
    if (!n.own) return [];
    return [
        {
            info: {
                netns: n.label,
                ...(n.ref ? { ref: n.ref } : {}),
                netId: n.own.netid,
                identity: n.own.identity,
                nodeId: n.own.identityBytes.toString('hex'),
            },
            peers: [...(n.peers ?? [])],
            bearers: (n.bearers ?? []).map((b) => b.name),
        },
    ];
}
