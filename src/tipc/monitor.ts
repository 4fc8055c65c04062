// The kernel's neighbour monitoring (link supervision): activation threshold,
// per-bearer summary, and per-bearer peer lists.
import type { Decoded, TipcMessage } from '../netlink/codec.js';
import { identityResolver } from './nametable.js';
import { TipcCmd } from '../netlink/schema.js';
import { TipcSession } from './session.js';

const THRESHOLD_RANGE = { min: 0, max: 4095 };

export interface MonitorSummary {
    /** Bearer id (0..2), the key for MON_PEER_GET. */
    ref: number;
    bearer: string;
    /** TIPC_NLA_MON_LISTGEN */
    tableGeneration: number;
    /** TIPC_NLA_MON_PEERCNT */
    clusterSize: number;
    /** Overlapping ring in use (the cluster reached the threshold). */
    active: boolean;
}

export interface MonitorPeer {
    address: number;
    /** The peer's identity as `node list` prints it ('' if unknown); not in iproute2's output. */
    identity: string;
    up: boolean;
    /** Monitored directly (own domain or domain head) rather than through another node. */
    direct: boolean;
    /** TIPC_NLA_MON_PEER_DOMGEN, 0 when the peer has sent no domain record. */
    generation: number;
    /** How many leading members of the peer's domain we have applied. */
    applied: number;
    upMap: bigint;
    members: number[];
}

export interface MonitorBearer extends MonitorSummary {
    peers: MonitorPeer[];
}

const MON_SENTENCES = {
    EINVAL: 'the kernel rejected the monitor request',
};

export async function getThreshold(s: TipcSession): Promise<number> {
    const replies = await s.doit(TipcCmd.MON_GET);
    const threshold = replies.find((m) => m.mon?.activationThreshold !== undefined)?.mon?.activationThreshold;
    if (threshold === undefined)
        throw new Error('the kernel sent no TIPC_NLA_MON_ACTIVATION_THRESHOLD in its MON_GET reply');
    return threshold;
}

export async function setThreshold(s: TipcSession, threshold: number): Promise<void> {
    await s.doit(
        TipcCmd.MON_SET,
        { mon: { activationThreshold: threshold } },
        {
            EINVAL: `the kernel rejected threshold ${threshold} (accepted: ${THRESHOLD_RANGE.min}..${THRESHOLD_RANGE.max})`,
        },
    );
}

export function summariesFrom(messages: TipcMessage[]): MonitorSummary[] {
    return messages.flatMap(({ mon }) =>
        mon?.bearerName === undefined
            ? []
            : [
                  {
                      ref: mon.ref ?? 0,
                      bearer: mon.bearerName,
                      tableGeneration: mon.listgen ?? 0,
                      clusterSize: mon.peercnt ?? 0,
                      active: mon.active === true,
                  },
              ],
    );
}

function peerFrom(p: Decoded<'monPeer'>): MonitorPeer {
    return {
        address: p.addr ?? 0,
        identity: '',
        up: p.up === true,
        direct: p.local === true || p.head === true,
        generation: p.domgen ?? 0,
        applied: p.applied ?? 0,
        upMap: p.upmap ?? 0n,
        members: p.members ?? [],
    };
}

function monitorPeersFrom(messages: TipcMessage[]): MonitorPeer[] {
    return messages.flatMap(({ monPeer }) => (monPeer ? [peerFrom(monPeer)] : []));
}

export async function monitorSummary(s: TipcSession): Promise<MonitorSummary[]> {
    return summariesFrom(await s.dump(TipcCmd.MON_GET));
}

/**
 * MON_GET dump, then a MON_PEER_GET dump per bearer that has peers, on a second
 * netlink socket as iproute2 does. `bearer` keeps only the bearer of that name.
 */
export async function monitorList(s: TipcSession, bearer?: string): Promise<MonitorBearer[]> {
    const summaries = (await monitorSummary(s)).filter((m) => bearer === undefined || m.bearer === bearer);
    const result: MonitorBearer[] = summaries.map((m) => ({ ...m, peers: [] }));
    if (!result.some((m) => m.clusterSize !== 0)) return result;
    const second = await TipcSession.open(s.netns === undefined ? {} : { netns: s.netns });
    try {
        for (const m of result) {
            if (m.clusterSize === 0) continue;
            m.peers = monitorPeersFrom(await second.dump(TipcCmd.MON_PEER_GET, { mon: { ref: m.ref } }, MON_SENTENCES));
        }
    } finally {
        second.close();
    }
    const socket = s.tipcSocket();
    const identityOf = identityResolver((address) => socket.nodeId(address));
    for (const m of result) for (const p of m.peers) p.identity = identityOf(p.address);
    return result;
}

/**
 * Bit i of the peer's up map as iproute2 reads it: `(map & (1 << i)) >> i` with
 * a 32-bit int `1`, so bit 31 sign-extends and shifts wrap at 32. Matches for
 * every domain the kernel builds (at most 64 members; bits 32+ differ only
 * there).
 */
export function upMapBit(upMap: bigint, i: number): boolean {
    const shift = i & 31;
    const mask = shift === 31 ? 0xffff_ffff_8000_0000n : 1n << BigInt(shift);
    return (upMap & mask) >> BigInt(i & 63) !== 0n;
}

/** Legacy Z.C.N reading of a 32-bit address, as `monitor list` prints every node. */
export function legacyAddressText(address: number): string {
    return `${address >>> 24}.${(address >>> 12) & 0xfff}.${address & 0xfff}`;
}
