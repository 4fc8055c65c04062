/**
 * Netns crossover verdicts (docs/crossover.md, "Verdicts"): per namespace X and peer P,
 * does X's traffic to P take the kernel's direct path into another namespace
 * of this host? The kernel exposes nothing, so the evidence is gathered here:
 * identities and net ids over netlink/AF_TIPC in every namespace, and the
 * hash_mix proofs from captured discovery frames (what P sends to X, and what
 * the matching local namespace Y sends itself). decideVerdict is pure.
 */
import { readFileSync } from 'node:fs';
import { LiveCapture, captureRefusal, type CaptureTarget } from '../discovery/capture.js';
import { ProofBook, type OwnHash, type Received, type Sighting } from '../discovery/proofs.js';
import { TipcxError } from '../errors.js';
import { formatHash } from '../netlink/identity.js';
import { AF_TIPC, EAGAIN, MSG_DONTWAIT, SOCK_CLOEXEC, SOCK_RDM, socketCalls } from '../netlink/libc.js';
import { resolveNetns, withNetns, type NetnsRef } from '../netlink/netns.js';
import { listBearers } from './bearer.js';
import { listLinks } from './link.js';
import { getOwnNet, listPeerNodesWithIds, type PeerNode } from './node.js';
import { withSession, type TipcSession } from './session.js';

export const VERDICTS = ['crossover', 'local-unproven', 'mismatch', 'remote', 'down', 'unsupported'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The symbol the crossover commit added (global, so listed even with masked addresses). */
export const CROSSOVER_SYMBOL = 'tipc_node_pre_cleanup_net';

const probed = new Map<string, boolean | undefined>();

/**
 * true/false from /proc/kallsyms; undefined when it cannot be read. Read once
 * per process: the kernel generates several MB of text on every read (seconds
 * under emulation), and `top` asks on every verdict refresh.
 */
export function crossoverSupported(kallsyms = '/proc/kallsyms'): boolean | undefined {
    if (!probed.has(kallsyms)) {
        let found: boolean | undefined;
        try {
            found = new RegExp(`\\s${CROSSOVER_SYMBOL}(\\s|$)`, 'm').test(readFileSync(kallsyms, 'latin1'));
        } catch {
            found = undefined;
        }
        probed.set(kallsyms, found);
    }
    return probed.get(kallsyms);
}

/** One namespace of this host as far as TIPC identity goes. */
export interface LocalNamespace {
    /** Label: the /run/netns name, or CURRENT_NETNS. */
    netns: string;
    ref?: NetnsRef;
    netId: number;
    identity: string;
    /** 32 hex digits; all zeros while no identity is set. */
    nodeId: string;
}

export const CURRENT_NETNS = '(current)';

export interface ProbeResult {
    link: string | null;
    sent: number;
    txBefore: number | null;
    txAfter: number | null;
    txDelta: number | null;
    /** true: the link TX counter stayed flat (traffic bypassed the link); false: it moved. */
    bypassed: boolean | null;
    error?: string;
}

export interface CrossoverRow {
    netns: string;
    peer: string;
    peerNodeId: string;
    /** The peer's node address as `tipc node list` prints it. */
    peerAddress: string;
    up: boolean;
    verdict: Verdict;
    reason: string;
    /** The local namespace with the peer's identity and net id, if any. */
    localNetns: string | null;
    netId: number;
    /** Hashes (word 13) received from the peer in this namespace, hex. */
    peerHashes: string[];
    /** The hash the local namespace sends itself, hex. */
    localHash: string | null;
    /** When the peer's proof last matched, ISO time. */
    lastProven: string | null;
    probe?: ProbeResult;
    warning?: string;
}

export interface VerdictInput {
    supported: boolean | undefined;
    netns: string;
    netId: number;
    peer: PeerNode & { nodeId: string };
    /** The local namespace matching id and net id (not X itself). */
    local: LocalNamespace | undefined;
    received: readonly Received[];
    localOwn: OwnHash | undefined;
}

const hx = (n: number): string => formatHash(n);

/** The verdict from the evidence; never 'crossover' unless every received proof matches. */
export function decideVerdict(i: VerdictInput): CrossoverRow {
    const base = {
        netns: i.netns,
        peer: i.peer.identity,
        peerNodeId: i.peer.nodeId,
        peerAddress: i.peer.hash,
        up: i.peer.up,
        localNetns: i.local?.netns ?? null,
        netId: i.netId,
        peerHashes: i.received.map((r) => hx(r.hash)).sort(),
        localHash: i.localOwn ? hx(i.localOwn.hash) : null,
        lastProven: null as string | null,
    };
    const row = (verdict: Verdict, reason: string): CrossoverRow => ({ ...base, verdict, reason });
    if (i.supported === false)
        return row(
            'unsupported',
            `this kernel has no netns crossover (no ${CROSSOVER_SYMBOL} in /proc/kallsyms: Linux < 5.5, or 5.4 < 5.4.229)`,
        );
    if (!i.peer.up) return row('down', 'the peer is not up: nothing is sent to it');
    if (!i.local)
        return row(
            'remote',
            `no namespace on this host has identity ${i.peer.identity || i.peer.nodeId} on net ${i.netId}`,
        );
    const wrong = i.localOwn ? i.received.filter((r) => r.hash !== i.localOwn!.hash) : [];
    if (wrong.length > 0)
        return row(
            'mismatch',
            `a discovery frame claiming ${i.peer.identity} carried hash ${wrong.map((r) => hx(r.hash)).join(', ')}, but ${i.local.netns} sends ${hx(i.localOwn!.hash)}: possible spoof, the kernel would not take the shortcut on it`,
        );
    if (!i.localOwn && new Set(i.received.map((r) => r.hash)).size > 1)
        return row(
            'mismatch',
            `frames claiming ${i.peer.identity} carried different hashes (${base.peerHashes.join(', ')}): possible spoof`,
        );
    if (i.supported === undefined)
        return row('local-unproven', 'cannot read /proc/kallsyms to tell whether this kernel has netns crossover');
    if (!i.localOwn || i.received.length === 0) {
        const missing =
            i.received.length === 0
                ? `no discovery frame from ${i.peer.identity} seen here yet`
                : `no frame sent by ${i.local.netns} itself seen yet`;
        return row('local-unproven', `${i.local.netns} has the same identity and net id; ${missing}`);
    }
    const last = Math.max(...i.received.map((r) => r.lastMs));
    return {
        ...row('crossover', `the hash ${i.peer.identity} sends equals the hash ${i.local.netns} sends itself`),
        lastProven: new Date(last).toISOString(),
    };
}

/** Agreement of hash and behaviour; a warning when they disagree. */
export function probeWarning(row: CrossoverRow): string | undefined {
    const b = row.probe?.bypassed;
    if (b === true && (row.verdict === 'remote' || row.verdict === 'mismatch'))
        return `the link counters stayed flat, as for crossover, although the verdict is ${row.verdict}`;
    if (b === false && row.verdict === 'crossover')
        return 'the link TX counter moved: the traffic went over the bearer although the proofs match';
    return undefined;
}

// ------------------------------------------------------------------ evidence

/** A namespace by its label (the /run/netns name, or CURRENT_NETNS) and how to enter it. */
export interface NamespaceRef {
    netns: string;
    ref?: NetnsRef;
}

export interface GatherOptions {
    /**
     * Namespaces whose peers become rows: fixed (a namespace named here that
     * does not exist yet is waited for), or chosen from `all` at every look
     * (--all-netns: namespaces created during the wait become rows too).
     */
    rows: readonly NamespaceRef[] | ((all: readonly NamespaceRef[]) => readonly NamespaceRef[]);
    /** Every namespace of the host we can enter (candidates for Y); a function is listed again at every look. */
    all: readonly NamespaceRef[] | (() => readonly NamespaceRef[]);
    /** 0: one look, no capture. Otherwise the longest wait; see waitPending for when it ends sooner. */
    waitMs: number;
    /**
     * Also wait for peers that have not appeared yet (a cluster being built
     * while the wait runs). Without it, namespaces with no peer are shown as
     * they are and only the peers already there are waited for.
     */
    awaitPeers?: boolean;
    signal?: AbortSignal;
    probe?: boolean;
    devices?: readonly string[];
    /** Told once when the wait starts and then about every 10 s. */
    onWait?: (message: string) => void;
    /** Namespaces that could not be read (permission, no TIPC), with why. */
    onSkip?: (netns: string, why: string) => void;
    /** Where the evidence comes from; default: this host's kernel (realHost). */
    host?: CrossoverHost;
}

/** One look at a namespace. */
export interface NamespaceView {
    info: LocalNamespace;
    /** Only for row namespaces. */
    peers: (PeerNode & { nodeId: string })[];
    /** Bearer names; only for row namespaces while waiting. */
    bearers: string[];
}

/** A capture of discovery frames that follows the namespaces it is given. */
export interface FrameCapture {
    /** Taps on every interface of these namespaces that is not tapped yet; namespaces that do not exist are passed over. */
    refresh(namespaces: readonly NamespaceRef[]): void;
    drain(): void;
    close(): void;
}

/** Everything gatherCrossover needs from the machine, so that the waiting can be tested without a kernel. */
export interface CrossoverHost {
    /** Asked once TIPC could be read somewhere: before the module is loaded, its symbols are missing too. */
    supported(): boolean | undefined;
    /** false: the namespace does not exist (yet, or any more); reading it fails for that reason. */
    exists(ns: NamespaceRef): boolean;
    read(ns: NamespaceRef, what: { peers: boolean; bearers: boolean }): Promise<NamespaceView>;
    capture(onFrame: (s: Sighting) => void): FrameCapture;
    /** Why this process cannot capture (no CAP_NET_RAW), asked before any namespace is tapped. */
    captureRefusal?(): Error | undefined;
    now(): number;
    /** Resolves after `ms`, or at once when `signal` aborts. */
    sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** This host: netlink and AF_TIPC in each namespace, packet sockets for the frames. */
export function realHost(devices?: readonly string[]): CrossoverHost {
    return {
        supported: () => crossoverSupported(),
        exists: (ns) => {
            if (!ns.ref) return true;
            try {
                resolveNetns(ns.ref);
                return true;
            } catch {
                return false;
            }
        },
        read: readNamespace,
        capture(onFrame) {
            const live = LiveCapture.watch((f) => {
                if (f.decoded.tipc.kind === 'discovery')
                    onFrame({ netns: f.netns, direction: f.direction, timeMs: f.timeMs, frame: f.decoded.tipc });
            });
            return {
                refresh: (namespaces) =>
                    live.refresh(
                        namespaces.map((n): CaptureTarget => ({
                            label: n.netns,
                            ...(n.ref ? { netns: n.ref } : {}),
                            ...(devices ? { devices } : {}),
                        })),
                    ),
                drain: () => live.drain(),
                close: () => live.close(),
            };
        },
        captureRefusal,
        now: () => Date.now(),
        sleep: (ms, signal) =>
            new Promise<void>((resolve) => {
                if (signal?.aborted) return resolve();
                const done = (): void => {
                    clearTimeout(timer);
                    signal?.removeEventListener('abort', done);
                    resolve();
                };
                const timer = setTimeout(done, ms);
                signal?.addEventListener('abort', done, { once: true });
            }),
    };
}

async function readNamespace(ns: NamespaceRef, what: { peers: boolean; bearers: boolean }): Promise<NamespaceView> {
    return withSession({ ...(ns.ref ? { netns: ns.ref } : {}) }, async (s: TipcSession) => {
        const own = await getOwnNet(s);
        const peers = what.peers ? await listPeerNodesWithIds(s) : [];
        const bearers = what.bearers ? (await listBearers(s)).map((b) => b.name) : [];
        return {
            info: {
                netns: ns.netns,
                ...(ns.ref ? { ref: ns.ref } : {}),
                netId: own.netid,
                identity: own.identity,
                nodeId: own.identityBytes.toString('hex'),
            },
            peers,
            bearers,
        };
    });
}

const ZERO_ID = '0'.repeat(32);

/** How often the namespaces are looked at again while waiting (a netlink session per namespace each time). */
export const LOOK_EVERY_MS = 500;
/** How often the frames captured so far are weighed. */
const TICK_MS = 100;
/**
 * How long nothing may have changed (namespaces, identities, bearers, peers,
 * their up state) before the wait ends early: a cluster is built one
 * namespace after another, and a link proven between the first two must not
 * end the wait while the third is still being made.
 */
export const SETTLE_MS = 3000;

/** The state of every namespace at one look. */
interface Look {
    rows: NamespaceRef[];
    /** Every namespace that could be read, by label. */
    views: Map<string, NamespaceView>;
    /** Row namespaces that do not exist (yet), with the error reading them gave. */
    rowErrors: Map<string, Error>;
    /** Other namespaces that could not be read. */
    skipped: Map<string, Error>;
}

async function look(host: CrossoverHost, o: GatherOptions, waiting: boolean): Promise<Look> {
    const all = typeof o.all === 'function' ? o.all() : o.all;
    const rows = [...(typeof o.rows === 'function' ? o.rows(all) : o.rows)];
    const rowNames = new Set(rows.map((r) => r.netns));
    const views = new Map<string, NamespaceView>();
    const rowErrors = new Map<string, Error>();
    const skipped = new Map<string, Error>();
    // a row namespace named with -n is read even when the listing lacks it (created later)
    for (const ns of [...all, ...rows.filter((r) => !all.some((a) => a.netns === r.netns))]) {
        if (views.has(ns.netns)) continue;
        const isRow = rowNames.has(ns.netns);
        try {
            views.set(ns.netns, await host.read(ns, { peers: isRow, bearers: isRow && waiting }));
        } catch (e) {
            // a row namespace that is not there yet is waited for; other failures end the command
            if (isRow && !(waiting && !host.exists(ns))) throw e;
            (isRow ? rowErrors : skipped).set(ns.netns, e as Error);
        }
    }
    return { rows, views, rowErrors, skipped };
}

/** What makes one look different from another for the wait (proofs excluded: they only ever accumulate). */
function fingerprint(l: Look): string {
    const views = [...l.views.values()]
        .map((v) => [
            v.info.netns,
            v.info.netId,
            v.info.nodeId,
            [...v.bearers].sort(),
            v.peers.map((p) => `${p.nodeId}/${p.hash}/${p.up}`).sort(),
        ])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    return JSON.stringify([views, [...l.rowErrors.keys()].sort()]);
}

/** Every row of a look, decided on the proofs seen so far; `memo` keeps rows whose evidence did not change. */
function decideAll(
    l: Pick<Look, 'rows' | 'views'>,
    book: ProofBook,
    supported: boolean | undefined,
    memo?: VerdictMemo,
): CrossoverRow[] {
    // the namespaces by identity and net id, in the views' order: one lookup per peer, not a scan
    // of every namespace (64 namespaces of 63 peers: 4,032 peers at every exporter scrape)
    const locals = new Map<string, LocalNamespace[]>();
    for (const v of l.views.values()) {
        const key = `${v.info.nodeId}|${v.info.netId}`;
        const list = locals.get(key);
        if (list) list.push(v.info);
        else locals.set(key, [v.info]);
    }
    memo?.nextLook();
    const rows: CrossoverRow[] = [];
    for (const r of l.rows) {
        const x = l.views.get(r.netns);
        if (!x) continue;
        for (const p of x.peers) {
            const y =
                p.nodeId === ZERO_ID
                    ? undefined
                    : locals.get(`${p.nodeId}|${x.info.netId}`)?.find((c) => c.netns !== x.info.netns);
            const input = (): VerdictInput => ({
                supported,
                netns: x.info.netns,
                netId: x.info.netId,
                peer: p,
                local: y,
                received: book.receivedFrom(x.info.netns, p.nodeId, x.info.netId),
                localOwn: y && book.ownHash(y.netns),
            });
            rows.push(
                memo ? memo.row(x.info, p, y, supported, book, () => decideVerdict(input())) : decideVerdict(input()),
            );
        }
    }
    return rows;
}

/**
 * Why the wait may not end yet; empty when it may (once SETTLE_MS passed
 * without change, see gatherCrossover). The wait is over when, with
 * awaitPeers, every row namespace exists and can be read, some row namespace
 * has a peer and every row namespace with a bearer has a peer; and every peer is up
 * (every link that is coming up is up), and every peer's verdict rests on
 * evidence: crossover or mismatch (proofs seen), remote (no local namespace
 * has its identity), or unsupported (kernel). local-unproven and down keep it
 * waiting.
 */
export function waitPending(
    l: Pick<Look, 'rows' | 'views' | 'rowErrors'>,
    rows: readonly CrossoverRow[],
    awaitPeers: boolean,
): string[] {
    const out: string[] = [];
    const present = l.rows.map((r) => l.views.get(r.netns)).filter((v): v is NamespaceView => v !== undefined);
    if (awaitPeers) {
        for (const [netns, e] of l.rowErrors) out.push(`${netns}: ${e.message}`);
        if (l.rowErrors.size === 0 && !present.some((v) => v.peers.length > 0))
            out.push(`no peer yet in ${l.rows.map((r) => r.netns).join(', ') || 'any namespace'}`);
        for (const v of present)
            if (v.bearers.length > 0 && v.peers.length === 0 && present.some((w) => w.peers.length > 0))
                out.push(`${v.info.netns} has a bearer but no peer yet`);
    }
    for (const r of rows) {
        if (r.verdict === 'down') out.push(`${r.peer || r.peerNodeId} not up in ${r.netns}`);
        else if (r.verdict === 'local-unproven') out.push(`${r.peer} in ${r.netns}: ${r.reason}`);
    }
    return out;
}

export async function gatherCrossover(o: GatherOptions): Promise<CrossoverRow[]> {
    const host = o.host ?? realHost(o.devices);
    // Probed once some namespace could be read: a wait may start before the
    // tipc module is loaded, when /proc/kallsyms lacks its symbols too.
    let probed: boolean | undefined | null = null;
    const supported = (l: Look): boolean | undefined => {
        if (probed === null && l.views.size > 0) probed = host.supported();
        return probed ?? undefined;
    };
    const waiting = o.waitMs > 0;
    // Own node id per namespace label, for telling a namespace's own frames from
    // forwarded ones. Filled as namespaces are looked at: frames are captured only
    // in namespaces whose identity is known (waitForEvidence), and an identity,
    // once set, does not change.
    const identities = new Map<string, string>();
    const book = new ProofBook(identities);
    const learn = (l: Look): Look => {
        for (const v of l.views.values()) identities.set(v.info.netns, v.info.nodeId);
        return l;
    };
    let current = learn(await look(host, o, waiting));
    if (waiting) current = await waitForEvidence(host, o, book, supported, current, learn);
    const missing = [...current.rowErrors.values()];
    if (missing.length > 0) throw missing[0];
    for (const [netns, e] of current.skipped) o.onSkip?.(netns, e.message);

    const rows: CrossoverRow[] = decideAll(current, book, supported(current));
    if (o.probe) {
        for (const x of current.rows.map((r) => current.views.get(r.netns)!)) {
            const links = await linkCounters(x.info);
            for (const row of rows.filter((r) => r.netns === x.info.netns && r.up)) {
                row.probe = await probePeer(
                    x.info,
                    x.peers.find((p) => p.nodeId === row.peerNodeId && p.hash === row.peerAddress)!,
                    links,
                );
                const warning = probeWarning(row);
                if (warning) row.warning = warning;
            }
        }
    }
    return rows;
}

/**
 * Captures discovery frames in every namespace with a TIPC identity, looking
 * at the namespaces again every LOOK_EVERY_MS (new namespaces, identities,
 * interfaces, bearers and peers are picked up as they appear), until
 * waitPending has nothing left and nothing changed for SETTLE_MS (or nothing
 * changed since the first look: a cluster that was already built), or the
 * wait runs out, or the signal aborts. Returns the last look.
 */
async function waitForEvidence(
    host: CrossoverHost,
    o: GatherOptions,
    book: ProofBook,
    supported: (l: Look) => boolean | undefined,
    first: Look,
    learn: (l: Look) => Look,
): Promise<Look> {
    const started = host.now();
    let current = first;
    let print = fingerprint(current);
    let lastChange: number | undefined;
    const capture = host.capture((s) => book.add(s));
    // Taps need root (CAP_NET_RAW). Without them only proofs are out of reach:
    // the failure is kept, and raised once some peer needs a proof.
    let captureError: Error | undefined;
    const refresh = (l: Look): void => {
        if (captureError !== undefined) return;
        try {
            capture.refresh(
                [...l.views.values()]
                    .filter((v) => v.info.nodeId !== ZERO_ID)
                    .map((v) => ({ netns: v.info.netns, ...(v.info.ref ? { ref: v.info.ref } : {}) })),
            );
        } catch (e) {
            captureError = e instanceof Error ? e : new Error(String(e));
        }
    };
    try {
        refresh(current);
        o.onWait?.(
            `waiting up to ${Math.round(o.waitMs / 1000)} s for discovery frames and for peers to come up in ${current.rows.map((r) => r.netns).join(', ') || 'every namespace'} ` +
                `(done when every peer is up and proven or remote, with nothing changed for ${SETTLE_MS / 1000} s; ` +
                'the kernel repeats discovery every 60 s once links are up, every second while a bearer has no peer)',
        );
        let nextLook = started + LOOK_EVERY_MS;
        let lastNotice = started;
        for (;;) {
            capture.drain();
            const now = host.now();
            const decided = decideAll(current, book, supported(current));
            if (captureError !== undefined && decided.some((r) => r.verdict === 'local-unproven')) throw captureError;
            const pending = waitPending(current, decided, o.awaitPeers === true);
            const settled = lastChange === undefined || now - lastChange >= SETTLE_MS;
            if (pending.length === 0 && settled) break;
            if (now - started >= o.waitMs || o.signal?.aborted) break;
            if (now - lastNotice >= 10_000) {
                lastNotice = now;
                const left = `${Math.max(0, Math.round((o.waitMs - (now - started)) / 1000))} s left`;
                o.onWait?.(
                    `still waiting: ${left}; ${pending.length ? pending.slice(0, 3).join('; ') + (pending.length > 3 ? ` (and ${pending.length - 3} more)` : '') : 'settling'}`,
                );
            }
            await host.sleep(TICK_MS, o.signal);
            if (host.now() >= nextLook && !o.signal?.aborted) {
                const next = learn(await look(host, o, true));
                nextLook = host.now() + LOOK_EVERY_MS;
                const nextPrint = fingerprint(next);
                if (nextPrint !== print) lastChange = host.now();
                print = nextPrint;
                current = next;
                refresh(current);
            }
        }
        capture.drain();
    } finally {
        capture.close();
    }
    return current;
}

// ------------------------------------------------------------------ continuous

/**
 * The rows of the last look by namespace and peer, with what each was decided
 * from: a row whose peer, local namespace and evidence are unchanged is the
 * same row again. At every exporter scrape of 64 namespaces that is 4,032
 * verdicts, of which only those of peers whose discovery frames arrived since
 * are decided anew (without it, deciding them made most of a scrape's garbage,
 * bench/exporter-replay.ts).
 */
class VerdictMemo {
    private current = new Map<string, MemoRow>();
    private previous = new Map<string, MemoRow>();

    nextLook(): void {
        const spare = this.previous;
        spare.clear();
        this.previous = this.current;
        this.current = spare;
    }

    row(
        x: LocalNamespace,
        p: PeerNode & { nodeId: string },
        y: LocalNamespace | undefined,
        supported: boolean | undefined,
        book: ProofBook,
        decide: () => CrossoverRow,
    ): CrossoverRow {
        const key = `${x.netns}|${p.nodeId}|${x.netId}`;
        const received = book.receivedRevision(x.netns, p.nodeId, x.netId);
        const own = y && book.ownHash(y.netns);
        const last = this.previous.get(key);
        const same =
            last !== undefined &&
            last.supported === supported &&
            last.identity === p.identity &&
            last.hash === p.hash &&
            last.up === p.up &&
            last.local === y?.netns &&
            last.received === received &&
            last.ownHash === own?.hash;
        const entry: MemoRow = same
            ? last
            : {
                  supported,
                  identity: p.identity,
                  hash: p.hash,
                  up: p.up,
                  local: y?.netns,
                  received,
                  ownHash: own?.hash,
                  row: decide(),
              };
        this.current.set(key, entry);
        return entry.row;
    }
}

interface MemoRow {
    supported: boolean | undefined;
    identity: string;
    hash: string;
    up: boolean;
    local: string | undefined;
    received: number;
    ownHash: number | undefined;
    row: CrossoverRow;
}

/** How often CrossoverWatch looks for new interfaces when nothing else changed. */
export const TAP_REFRESH_MS = 10_000;

/**
 * Verdicts for a reader that runs for a long time and reads the namespaces
 * itself (tipcx exporter, at every scrape): the capture of discovery frames
 * stays open between looks, so a proof seen once keeps counting, as it does
 * during one `crossover wait`. Nothing here waits: decide() weighs the frames
 * captured so far against the views it is given.
 */
export class CrossoverWatch {
    private readonly identities = new Map<string, string>();
    private readonly book = new ProofBook(this.identities);
    private capture: FrameCapture | undefined;
    /** The namespaces, identities and bearers the taps were last brought in line with, and when. */
    private tappedShape: string | undefined;
    private tappedAt = Number.NEGATIVE_INFINITY;
    private readonly memo = new VerdictMemo();
    private failure: Error | undefined;
    /** Namespaces tapped so far, so that the taps of one that is gone are closed (they would keep it alive). */
    private readonly tapped = new Map<string, NamespaceRef>();
    private supportedProbe: boolean | undefined | null = null;

    constructor(private readonly host: CrossoverHost = realHost()) {}

    /** Why no discovery frames are captured (packet sockets need root), once that was tried. */
    get captureFailure(): Error | undefined {
        return this.failure;
    }

    /**
     * One row per peer of each namespace in `rows`; `views` are every
     * namespace read this time (the candidates for the local end of a crossover).
     */
    decide(rows: readonly string[], views: readonly NamespaceView[]): CrossoverRow[] {
        for (const v of views) this.identities.set(v.info.netns, v.info.nodeId);
        this.refresh(views);
        this.capture?.drain();
        if (this.supportedProbe === null && views.length > 0) this.supportedProbe = this.host.supported();
        return decideAll(
            { rows: rows.map((netns) => ({ netns })), views: new Map(views.map((v) => [v.info.netns, v])) },
            this.book,
            this.supportedProbe ?? undefined,
            this.memo,
        );
    }

    close(): void {
        this.capture?.close();
        this.capture = undefined;
    }

    /**
     * Brings the taps in line with the namespaces when they changed (one came or
     * went, an identity or a bearer changed) and otherwise every
     * TAP_REFRESH_MS, for interfaces that appear without a bearer change.
     * A refresh enters every namespace and lists its interfaces (about 25
     * system calls a namespace): at every scrape of 64 namespaces that was
     * more than a scrape's whole budget in the lab (docs/metrics.md).
     */
    private refresh(views: readonly NamespaceView[]): void {
        if (this.failure !== undefined) return;
        const shape = views.map((v) => `${v.info.netns}\0${v.info.nodeId}\0${v.bearers.join(',')}`).join('\n');
        const now = this.host.now();
        if (shape === this.tappedShape && now - this.tappedAt < TAP_REFRESH_MS) return;
        this.tappedShape = shape;
        this.tappedAt = now;
        // told at once, not only once some namespace has an identity to tap
        if (this.capture === undefined) this.failure = this.host.captureRefusal?.();
        if (this.failure !== undefined) return;
        const targets = new Map<string, NamespaceRef>();
        for (const v of views)
            if (v.info.nodeId !== ZERO_ID)
                targets.set(v.info.netns, { netns: v.info.netns, ...(v.info.ref ? { ref: v.info.ref } : {}) });
        // namespaces tapped before and not read now: given again, so that refresh closes the taps of those that are gone
        for (const [label, ref] of this.tapped) if (!targets.has(label)) targets.set(label, ref);
        try {
            this.capture ??= this.host.capture((s) => this.book.add(s));
            this.capture.refresh([...targets.values()]);
            this.tapped.clear();
            for (const [label, ref] of targets) if (!ref.ref || this.host.exists(ref)) this.tapped.set(label, ref);
        } catch (e) {
            this.failure = e instanceof Error ? e : new Error(String(e));
            this.close();
        }
    }
}

// ------------------------------------------------------------------ probe

const PROBE_MESSAGES = 200;
const PROBE_SIZE = 1000;
const TIPC_SOCKET_ADDR = 3;

type LinkTx = Map<string, number>;

async function linkCounters(x: LocalNamespace): Promise<LinkTx> {
    const links = await withSession({ ...(x.ref ? { netns: x.ref } : {}) }, listLinks);
    return new Map(links.filter((l) => !l.broadcast).map((l) => [l.name, l.tx ?? 0]));
}

/** The unicast link from X to peer P: names read "<own>:<bearer>-<peer>:<bearer>". */
function linkTo(links: LinkTx, x: LocalNamespace, peer: PeerNode): string | undefined {
    const names = [...links.keys()];
    return (
        names.find((n) => peer.identity !== '' && n.includes(`-${peer.identity}:`)) ??
        names.find((n) => n.includes(`-${peer.hash}:`))
    );
}

/**
 * Sends a burst of data messages from X to an unbound port on P (DIRECT
 * messages take the crossover path since Linux 5.7; P returns them as
 * undeliverable, which is fine) and compares the link's TX counter.
 */
async function probePeer(x: LocalNamespace, peer: PeerNode, before: LinkTx): Promise<ProbeResult> {
    const link = linkTo(before, x, peer) ?? null;
    const txBefore = link ? before.get(link)! : null;
    const s = socketCalls();
    const fd = withNetns(x.ref, () => s.socket(AF_TIPC, SOCK_RDM | SOCK_CLOEXEC, 0));
    if (fd < 0)
        return {
            link,
            sent: 0,
            txBefore,
            txAfter: null,
            txDelta: null,
            bypassed: null,
            error: `cannot open an AF_TIPC socket (errno ${s.errno()})`,
        };
    let sent = 0;
    try {
        const addr = Buffer.alloc(16);
        addr.writeUInt16LE(AF_TIPC, 0);
        addr[2] = TIPC_SOCKET_ADDR;
        addr.writeUInt32LE(0x7ffffff0, 4); // a port number nobody holds
        addr.writeUInt32LE(peer.address >>> 0, 8);
        const payload = Buffer.alloc(PROBE_SIZE, 0x5a);
        let retries = 0;
        while (sent < PROBE_MESSAGES && retries < 200) {
            if (s.sendto(fd, payload, PROBE_SIZE, MSG_DONTWAIT, addr, 16) >= 0) {
                sent++;
                continue;
            }
            const errno = s.errno();
            if (errno !== EAGAIN)
                throw new TipcxError(`sending the probe to ${peer.identity || peer.hash} failed (errno ${errno})`);
            retries++;
            await new Promise((r) => setTimeout(r, 10));
        }
    } catch (e) {
        return { link, sent, txBefore, txAfter: null, txDelta: null, bypassed: null, error: (e as Error).message };
    } finally {
        s.close(fd);
    }
    await new Promise((r) => setTimeout(r, 200));
    const after = await linkCounters(x);
    const txAfter = link ? (after.get(link) ?? null) : null;
    const txDelta = txBefore !== null && txAfter !== null ? (txAfter - txBefore + 2 ** 32) % 2 ** 32 : null;
    return { link, sent, txBefore, txAfter, txDelta, bypassed: txDelta === null ? null : txDelta < sent / 4 };
}
