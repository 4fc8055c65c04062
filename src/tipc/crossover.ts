/**
 * Netns crossover verdicts (crossover.md §5.3): per namespace X and peer P,
 * does X's traffic to P take the kernel's direct path into another namespace
 * of this host? The kernel exposes nothing, so the evidence is gathered here:
 * identities and net ids over netlink/AF_TIPC in every namespace, and the
 * hash_mix proofs from captured discovery frames (what P sends to X, and what
 * the matching local namespace Y sends itself). decideVerdict is pure.
 */
import { readFileSync } from 'node:fs';
import { LiveCapture, type CaptureTarget } from '../discovery/capture.js';
import { ProofBook, type OwnHash, type Received } from '../discovery/proofs.js';
import { TipcxError } from '../errors.js';
import { formatHash } from '../netlink/identity.js';
import { AF_TIPC, EAGAIN, MSG_DONTWAIT, SOCK_CLOEXEC, SOCK_RDM, socketCalls } from '../netlink/libc.js';
import { withNetns, type NetnsRef } from '../netlink/netns.js';
import { listLinks } from './link.js';
import { getOwnNet, listPeerNodes, type PeerNode } from './node.js';
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
        netns: i.netns, peer: i.peer.identity, peerNodeId: i.peer.nodeId, peerAddress: i.peer.hash, up: i.peer.up,
        localNetns: i.local?.netns ?? null, netId: i.netId,
        peerHashes: i.received.map((r) => hx(r.hash)).sort(), localHash: i.localOwn ? hx(i.localOwn.hash) : null,
        lastProven: null as string | null,
    };
    const row = (verdict: Verdict, reason: string): CrossoverRow => ({ ...base, verdict, reason });
    if (i.supported === false) return row('unsupported', `this kernel has no netns crossover (no ${CROSSOVER_SYMBOL} in /proc/kallsyms: Linux < 5.5, or 5.4 < 5.4.229)`);
    if (!i.peer.up) return row('down', 'the peer is not up: nothing is sent to it');
    if (!i.local) return row('remote', `no namespace on this host has identity ${i.peer.identity || i.peer.nodeId} on net ${i.netId}`);
    const wrong = i.localOwn ? i.received.filter((r) => r.hash !== i.localOwn!.hash) : [];
    if (wrong.length > 0)
        return row('mismatch', `a discovery frame claiming ${i.peer.identity} carried hash ${wrong.map((r) => hx(r.hash)).join(', ')}, but ${i.local.netns} sends ${hx(i.localOwn!.hash)}: possible spoof, the kernel would not take the shortcut on it`);
    if (!i.localOwn && new Set(i.received.map((r) => r.hash)).size > 1)
        return row('mismatch', `frames claiming ${i.peer.identity} carried different hashes (${base.peerHashes.join(', ')}): possible spoof`);
    if (i.supported === undefined) return row('local-unproven', 'cannot read /proc/kallsyms to tell whether this kernel has netns crossover');
    if (!i.localOwn || i.received.length === 0) {
        const missing = i.received.length === 0 ? `no discovery frame from ${i.peer.identity} seen here yet` : `no frame sent by ${i.local.netns} itself seen yet`;
        return row('local-unproven', `${i.local.netns} has the same identity and net id; ${missing}`);
    }
    const last = Math.max(...i.received.map((r) => r.lastMs));
    return { ...row('crossover', `the hash ${i.peer.identity} sends equals the hash ${i.local.netns} sends itself`), lastProven: new Date(last).toISOString() };
}

/** Agreement of hash and behaviour; a warning when they disagree. */
export function probeWarning(row: CrossoverRow): string | undefined {
    const b = row.probe?.bypassed;
    if (b === true && (row.verdict === 'remote' || row.verdict === 'mismatch'))
        return `the link counters stayed flat, as for crossover, although the verdict is ${row.verdict}`;
    if (b === false && row.verdict === 'crossover') return 'the link TX counter moved: the traffic went over the bearer although the proofs match';
    return undefined;
}

// ------------------------------------------------------------------ evidence

export interface GatherOptions {
    /** Namespaces whose peers become rows. */
    rows: readonly { netns: string; ref?: NetnsRef }[];
    /** Every namespace of the host we can enter (candidates for Y). */
    all: readonly { netns: string; ref?: NetnsRef }[];
    waitMs: number;
    signal?: AbortSignal;
    probe?: boolean;
    devices?: readonly string[];
    /** Told once when the capture starts and then about every 10 s. */
    onWait?: (message: string) => void;
    /** Namespaces that could not be read (permission, no TIPC), with why. */
    onSkip?: (netns: string, why: string) => void;
}

interface RowNamespace {
    info: LocalNamespace;
    peers: (PeerNode & { nodeId: string })[];
}

async function readNamespace(ns: { netns: string; ref?: NetnsRef }, withPeers: boolean): Promise<RowNamespace> {
    return withSession({ ...(ns.ref ? { netns: ns.ref } : {}) }, async (s: TipcSession) => {
        const own = await getOwnNet(s);
        const peers = withPeers ? await listPeerNodes(s) : [];
        const socket = withPeers ? s.tipcSocket() : undefined;
        return {
            info: { netns: ns.netns, ...(ns.ref ? { ref: ns.ref } : {}), netId: own.netid, identity: own.identity, nodeId: own.identityBytes.toString('hex') },
            peers: peers.map((p) => ({ ...p, nodeId: (socket?.nodeId(p.address) ?? Buffer.alloc(16)).toString('hex') })),
        };
    });
}

const ZERO_ID = '0'.repeat(32);

export async function gatherCrossover(o: GatherOptions): Promise<CrossoverRow[]> {
    const supported = crossoverSupported();
    const rowNames = new Set(o.rows.map((r) => r.netns));
    const locals: LocalNamespace[] = [];
    const rowNs: RowNamespace[] = [];
    for (const ns of o.all) {
        try {
            const r = await readNamespace(ns, rowNames.has(ns.netns));
            locals.push(r.info);
            if (rowNames.has(ns.netns)) rowNs.push(r);
        } catch (e) {
            if (rowNames.has(ns.netns)) throw e;
            o.onSkip?.(ns.netns, (e as Error).message);
        }
    }
    const localFor = (x: LocalNamespace, nodeId: string): LocalNamespace | undefined =>
        nodeId === ZERO_ID ? undefined : locals.find((y) => y.netns !== x.netns && y.nodeId === nodeId && y.netId === x.netId);

    // capture only where it can decide something: X for what P sends, Y for what Y sends
    const pending = rowNs.flatMap((x) => x.peers.filter((p) => p.up && localFor(x.info, p.nodeId)).map((p) => ({ x: x.info, p, y: localFor(x.info, p.nodeId)! })));
    const book = new ProofBook(new Map(locals.map((l) => [l.netns, l.nodeId])));
    if (pending.length > 0 && o.waitMs > 0 && supported !== false) {
        const captureIn = new Map<string, LocalNamespace>();
        for (const { x, y } of pending) captureIn.set(x.netns, x).set(y.netns, y);
        const targets: CaptureTarget[] = [...captureIn.values()].map((l) => ({ label: l.netns, ...(l.ref ? { netns: l.ref } : {}), ...(o.devices ? { devices: o.devices } : {}) }));
        const decided = (): boolean => pending.every(({ x, p, y }) => {
            const v = decideVerdict({ supported, netns: x.netns, netId: x.netId, peer: p, local: y, received: book.receivedFrom(x.netns, p.nodeId, x.netId), localOwn: book.ownHash(y.netns) }).verdict;
            return v === 'crossover' || v === 'mismatch';
        });
        await captureUntil(targets, book, o, decided);
    }
    const rows: CrossoverRow[] = [];
    for (const x of rowNs) {
        const links = o.probe ? await linkCounters(x.info) : undefined;
        for (const p of x.peers) {
            const y = localFor(x.info, p.nodeId);
            const row = decideVerdict({
                supported, netns: x.info.netns, netId: x.info.netId, peer: p, local: y,
                received: book.receivedFrom(x.info.netns, p.nodeId, x.info.netId), localOwn: y && book.ownHash(y.netns),
            });
            if (o.probe && p.up && links) {
                row.probe = await probePeer(x.info, p, links);
                const warning = probeWarning(row);
                if (warning) row.warning = warning;
            }
            rows.push(row);
        }
    }
    return rows;
}

async function captureUntil(targets: CaptureTarget[], book: ProofBook, o: GatherOptions, done: () => boolean): Promise<void> {
    const started = Date.now();
    const capture = LiveCapture.open(targets, (f) => {
        if (f.decoded.tipc.kind === 'discovery') book.add({ netns: f.netns, direction: f.direction, timeMs: f.timeMs, frame: f.decoded.tipc });
    });
    try {
        o.onWait?.(`waiting up to ${Math.round(o.waitMs / 1000)} s for discovery frames in ${targets.map((t) => t.label).join(', ')} ` +
            '(the kernel repeats discovery every 60 s once links are up, every second while a bearer has no peer)');
        let lastNotice = started;
        while (!done() && Date.now() - started < o.waitMs && !o.signal?.aborted) {
            await new Promise((r) => setTimeout(r, 100));
            capture.drain();
            if (Date.now() - lastNotice >= 10_000) {
                lastNotice = Date.now();
                o.onWait?.(`still waiting: ${Math.round((o.waitMs - (Date.now() - started)) / 1000)} s left`);
            }
        }
    } finally {
        capture.close();
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
    return names.find((n) => peer.identity !== '' && n.includes(`-${peer.identity}:`)) ?? names.find((n) => n.includes(`-${peer.hash}:`));
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
    if (fd < 0) return { link, sent: 0, txBefore, txAfter: null, txDelta: null, bypassed: null, error: `cannot open an AF_TIPC socket (errno ${s.errno()})` };
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
            if (errno !== EAGAIN) throw new TipcxError(`sending the probe to ${peer.identity || peer.hash} failed (errno ${errno})`);
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
    const txAfter = link ? after.get(link) ?? null : null;
    const txDelta = txBefore !== null && txAfter !== null ? (txAfter - txBefore + 2 ** 32) % 2 ** 32 : null;
    return { link, sent, txBefore, txAfter, txDelta, bypassed: txDelta === null ? null : txDelta < sent / 4 };
}
