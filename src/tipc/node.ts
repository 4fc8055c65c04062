// Node-level operations: the peer list, this node's identity, address and net id.
import type { TipcMessage } from '../netlink/codec.js';
import { UsageError, quoted } from '../errors.js';
import { formatHash, nodeIdFromWords, nodeIdToString, nodeIdToWords } from '../netlink/identity.js';
import { TipcCmd } from '../netlink/schema.js';
import type { TipcSession } from './session.js';

export interface PeerNode {
    /** As `tipc node list` prints it; empty when the kernel does not know the identity. */
    identity: string;
    /** The 32-bit node address (hash), as 8 hex digits. */
    hash: string;
    address: number;
    up: boolean;
}

export interface OwnNet {
    netid: number;
    /** Empty while no identity is set. */
    identity: string;
    identityBytes: Buffer;
}

/** NODE_GET replies carry only address and state: identities come from SIOCGETNODEID. */
export function peerNodesFrom(messages: TipcMessage[], identityOf: (address: number) => Buffer | null): PeerNode[] {
    return messages.flatMap(({ node }) => {
        if (node?.addr === undefined) return [];
        const id = identityOf(node.addr);
        return [
            {
                identity: id ? nodeIdToString(id) : '',
                hash: formatHash(node.addr),
                address: node.addr,
                up: node.up === true,
            },
        ];
    });
}

export async function listPeerNodes(s: TipcSession): Promise<PeerNode[]> {
    const messages = await s.dump(TipcCmd.NODE_GET);
    const socket = s.tipcSocket();
    return peerNodesFrom(messages, (address) => socket.nodeId(address));
}

/**
 * The peer list with each peer's 16-byte identity as 32 hex digits (all zeros
 * when the kernel does not know it), each identity asked once; `known` keeps
 * identities between calls (a peer's address is the hash of its identity, so
 * an address keeps its identity for as long as the peer is listed).
 */
export async function listPeerNodesWithIds(
    s: TipcSession,
    known: Map<number, Buffer | null> = new Map(),
): Promise<(PeerNode & { nodeId: string })[]> {
    const messages = await s.dump(TipcCmd.NODE_GET);
    const socket = s.tipcSocket();
    const listed = new Set<number>();
    const identityOf = (address: number): Buffer | null => {
        listed.add(address);
        if (!known.has(address)) known.set(address, socket.nodeId(address));
        return known.get(address)!;
    };
    const peers = peerNodesFrom(messages, identityOf).map((p) => ({
        ...p,
        nodeId: (identityOf(p.address) ?? Buffer.alloc(16)).toString('hex'),
    }));
    for (const address of known.keys()) if (!listed.has(address)) known.delete(address);
    return peers;
}

export function ownNetFrom(messages: TipcMessage[]): OwnNet {
    const net = messages.find((m) => m.net)?.net;
    if (!net || net.id === undefined) throw new Error('the kernel sent no TIPC_NLA_NET_ID in its NET_GET reply');
    const identityBytes = nodeIdFromWords(net.nodeid ?? 0n, net.nodeidW1 ?? 0n);
    return { netid: net.id, identity: nodeIdToString(identityBytes), identityBytes };
}

export async function getOwnNet(s: TipcSession): Promise<OwnNet> {
    return ownNetFrom(await s.dump(TipcCmd.NET_GET));
}

/** This node's 32-bit address (hash); 0 until an identity or address is set. */
export function getOwnAddress(s: TipcSession): number {
    return s.tipcSocket().ownAddress();
}

function netSetSentences(change: NetChange) {
    const what = [
        change.netid !== undefined && `cluster id ${change.netid}`,
        change.identity && 'identity',
        change.address !== undefined && 'address',
    ]
        .filter(Boolean)
        .join(', ');
    return {
        EPERM: `cannot set ${what}: the node address is already set (the node has joined a network), so identity, address and cluster id are fixed in this namespace`,
        EINVAL: `cannot set ${what}: the kernel rejected the value`,
    };
}

export interface NetChange {
    netid?: number;
    identity?: Buffer;
    address?: number;
}

export async function setOwnNet(s: TipcSession, change: NetChange): Promise<void> {
    await s.doit(
        TipcCmd.NET_SET,
        {
            net: {
                ...(change.netid !== undefined && { id: change.netid }),
                ...(change.address !== undefined && { addr: change.address }),
                ...(change.identity && nodeIdToWords(change.identity)),
            },
        },
        netSetSentences(change),
    );
}

export const NETID_RANGE = { min: 1, max: 9999 };

/** `Z.C.N` (zone 0-255, cluster and node 0-4095) as the legacy 32-bit address. */
export function parseLegacyAddress(text: string): number {
    const m = /^(\d{1,3})\.(\d{1,4})\.(\d{1,4})$/.exec(text);
    const [z, c, n] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [NaN, NaN, NaN];
    if (!m || z > 255 || c > 4095 || n > 4095 || (z | c | n) === 0) {
        throw new UsageError(
            `invalid network address ${quoted(text)} (expected Z.C.N with zone 0-255, cluster and node 0-4095, not 0.0.0)`,
        );
    }
    return ((z << 24) | (c << 12) | n) >>> 0;
}
