/**
 * What the captured discovery frames prove: per sender (node id, net id,
 * hash), where it was seen and when, and which namespace on this host sends
 * that same hash itself. A namespace's own hash is learnt only from frames it
 * transmits (PACKET_OUTGOING) carrying its own node id: a bridge port in
 * another namespace also shows forwarded frames as outgoing.
 */
import type { DiscoveryFrame, PacketDirection } from './frame.js';

export interface Sighting {
    /** Label of the namespace (or capture file) the frame was seen in. */
    netns: string;
    direction: PacketDirection | undefined;
    timeMs: number;
    frame: DiscoveryFrame;
}

export interface SenderProof {
    identity: string;
    nodeId: string;
    netId: number;
    hash: string;
    /** Namespaces that received it (incoming frames). */
    seenIn: string[];
    /** The namespace on this host whose own outgoing frames carry this node id and hash. */
    sentBy: string | null;
    firstSeen: string;
    lastSeen: string;
    frames: number;
    types: string[];
    /** The sender bearer's address: MAC, or IP:port for UDP. */
    media: string;
    /**
     * The sender is probably some host's init_net: there the hash equals TIPC's
     * per-namespace random, whose low 15 bits are also the signature in word 1.
     */
    initNetHint: boolean;
}

interface SenderState {
    proof: SenderProof;
    firstMs: number;
    lastMs: number;
}

export interface OwnHash {
    hash: number;
    nodeId: string;
    lastMs: number;
}

export interface Received {
    hash: number;
    firstMs: number;
    lastMs: number;
}

/** What changed with one frame: for streaming "as they arrive". */
export type ProofChange = { kind: 'new' | 'updated'; proof: SenderProof } | null;

const iso = (ms: number): string => new Date(ms).toISOString();

function mediaText(f: DiscoveryFrame): string {
    if (f.media.mac) return f.media.mac;
    if (f.media.udp)
        return f.media.udp.proto === 0x86dd
            ? `[${f.media.udp.ip}]:${f.media.udp.port}`
            : `${f.media.udp.ip}:${f.media.udp.port}`;
    return f.media.ib ?? '';
}

export class ProofBook {
    private readonly senders = new Map<string, SenderState>();
    private readonly own = new Map<string, OwnHash>();
    private readonly received = new Map<string, Map<number, Received>>();
    /** Bumped whenever what receivedFrom() would answer for a key changes. */
    private readonly receivedRevisions = new Map<string, number>();

    /**
     * @param identities own node id (hex) per captured namespace label; a label
     *   absent here (a capture file) takes every outgoing frame as its own.
     */
    constructor(private readonly identities: ReadonlyMap<string, string> = new Map()) {}

    add(s: Sighting): ProofChange {
        const f = s.frame;
        if (s.direction === 'outgoing') {
            const mine = this.identities.get(s.netns);
            if (mine !== undefined && mine !== f.nodeId) return null;
            this.own.set(s.netns, { hash: f.hash, nodeId: f.nodeId, lastMs: s.timeMs });
            return this.markSentBy(s.netns, f);
        }
        if (f.type === 'REQ' || f.type === 'RESP') {
            // the kernel checks the proof on REQ and RESP only (TRIAL frames carry it unchecked)
            const key = `${s.netns}|${f.nodeId}|${f.netId}`;
            const byHash = this.received.get(key) ?? new Map<number, Received>();
            this.received.set(key, byHash);
            const r = byHash.get(f.hash);
            if (r) r.lastMs = Math.max(r.lastMs, s.timeMs);
            else byHash.set(f.hash, { hash: f.hash, firstMs: s.timeMs, lastMs: s.timeMs });
            this.receivedRevisions.set(key, (this.receivedRevisions.get(key) ?? 0) + 1);
        }
        const key = `${f.nodeId}|${f.netId}|${f.hash}`;
        const state = this.senders.get(key);
        if (!state) {
            const sentBy = [...this.own].find(([, o]) => o.hash === f.hash && o.nodeId === f.nodeId)?.[0] ?? null;
            const proof: SenderProof = {
                identity: f.identity,
                nodeId: f.nodeId,
                netId: f.netId,
                hash: f.hashHex,
                seenIn: [s.netns],
                sentBy,
                firstSeen: iso(s.timeMs),
                lastSeen: iso(s.timeMs),
                frames: 1,
                types: [f.type],
                media: mediaText(f),
                initNetHint: f.initNetHint,
            };
            this.senders.set(key, { proof, firstMs: s.timeMs, lastMs: s.timeMs });
            return { kind: 'new', proof };
        }
        const p = state.proof;
        p.frames++;
        state.lastMs = Math.max(state.lastMs, s.timeMs);
        p.lastSeen = iso(state.lastMs);
        let changed = false;
        if (!p.seenIn.includes(s.netns)) {
            p.seenIn.push(s.netns);
            p.seenIn.sort();
            changed = true;
        }
        if (!p.types.includes(f.type)) p.types.push(f.type);
        return changed ? { kind: 'updated', proof: p } : null;
    }

    private markSentBy(netns: string, f: DiscoveryFrame): ProofChange {
        const state = this.senders.get(`${f.nodeId}|${f.netId}|${f.hash}`);
        if (!state || state.proof.sentBy === netns) return null;
        state.proof.sentBy = netns;
        return { kind: 'updated', proof: state.proof };
    }

    proofs(): SenderProof[] {
        return [...this.senders.values()]
            .map((s) => s.proof)
            .sort((a, b) => a.identity.localeCompare(b.identity) || a.hash.localeCompare(b.hash));
    }

    /** The hash namespace `netns` was seen sending itself, if any. */
    ownHash(netns: string): OwnHash | undefined {
        return this.own.get(netns);
    }

    /** Hashes received in `netns` from REQ/RESP frames claiming `nodeId` on net `netId`. */
    receivedFrom(netns: string, nodeId: string, netId: number): Received[] {
        return [...(this.received.get(`${netns}|${nodeId}|${netId}`)?.values() ?? [])];
    }

    /** Changes whenever receivedFrom() with the same arguments would answer differently (0: nothing yet). */
    receivedRevision(netns: string, nodeId: string, netId: number): number {
        return this.receivedRevisions.get(`${netns}|${nodeId}|${netId}`) ?? 0;
    }
}
