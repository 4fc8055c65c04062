/**
 * A pure decoder for TIPC discovery frames (LINK_CONFIG, user 13) as they sit
 * on the wire: Ethernet (ethertype 0x88CA after optional VLAN tags), Linux
 * cooked captures (SLL, SLL2), UDP port 6118 over IPv4 and IPv6, or a bare TIPC
 * message. The layout is the kernel's (net/tipc/msg.h; word 13 of a discovery
 * message is the sender's hash mix, see docs/crossover.md).
 *
 * Everything a hostile or truncated frame can do ends in a DecodeError: the
 * decoder reads through DataView with explicit bounds checks and never throws
 * anything else, so a capture loop can decode whatever arrives.
 */
import { formatHash, nodeIdToString, NODE_ID_LEN } from '../netlink/identity.js';

export class DecodeError extends Error {
    /** Byte offset (in the buffer handed to the decoder) where decoding gave up. */
    readonly offset: number;
    constructor(message: string, offset = 0) {
        super(message);
        this.name = 'DecodeError';
        this.offset = offset;
    }
}

export const ETH_P_TIPC = 0x88ca;
const ETH_P_IP = 0x0800;
const ETH_P_IPV6 = 0x86dd;
const TIPC_UDP_PORT = 6118;
const VLAN_TAGS = new Set([0x8100, 0x88a8, 0x9100]);

const TIPC_USER_LINK_CONFIG = 13;
const PLAIN_VERSION = 2;
const ENCRYPTED_VERSION = 7;
const MAX_H_SIZE = 60;
const MIN_H_SIZE = 24;

const USER_NAMES: Readonly<Record<number, string>> = {
    0: 'LOW_IMPORTANCE',
    1: 'MEDIUM_IMPORTANCE',
    2: 'HIGH_IMPORTANCE',
    3: 'CRITICAL_IMPORTANCE',
    5: 'BCAST_PROTOCOL',
    6: 'MSG_BUNDLER',
    7: 'LINK_PROTOCOL',
    8: 'CONN_MANAGER',
    9: 'GROUP_PROTOCOL',
    10: 'TUNNEL_PROTOCOL',
    11: 'NAME_DISTRIBUTOR',
    12: 'MSG_FRAGMENTER',
    13: 'LINK_CONFIG',
    14: 'MSG_CRYPTO',
    15: 'TOP_SRV',
};

const DISCOVERY_TYPES = ['REQ', 'RESP', 'TRIAL', 'TRIAL_FAIL'] as const;
export type DiscoveryType = (typeof DISCOVERY_TYPES)[number] | 'UNKNOWN';

/** Node capability bits (w1 bits 27-15), bit 0 first. */
const CAPABILITY_NAMES = [
    'SYN_BIT',
    'BCAST_SYNCH',
    'BCAST_STATE_NACK',
    'BLOCK_FLOWCTL',
    'BCAST_RCAST',
    'NODE_ID128',
    'LINK_PROTO_SEQNO',
    'MCAST_RBCTL',
    'GAP_ACK_BLOCK',
    'TUNNEL_ENHANCED',
    'NAGLE',
    'NAMED_BCAST',
] as const;
const CAP_NODE_ID128 = 1 << 5;

/** How the TIPC message reached us. */
export type LinkLayer = 'ethernet' | 'sll' | 'sll2' | 'ip' | 'tipc';

/** Linux packet types (sll_pkttype): who the frame was for, or that we sent it. */
export const PACKET_TYPES = ['host', 'broadcast', 'multicast', 'otherhost', 'outgoing'] as const;
export type PacketDirection = (typeof PACKET_TYPES)[number] | 'unknown';

export interface Encapsulation {
    link: LinkLayer;
    srcMac?: string;
    dstMac?: string;
    vlans?: number[];
    /** From SLL/SLL2 headers (live captures add it themselves). */
    direction?: PacketDirection;
    ifindex?: number;
    ip?: { version: 4 | 6; src: string; dst: string };
    udp?: { srcPort: number; dstPort: number };
}

export interface MediaAddress {
    /** Byte 23: 1 eth, 2 ib, 3 udp. */
    type: number;
    name: 'eth' | 'ib' | 'udp';
    /** Ethernet: the sender bearer's MAC. */
    mac?: string;
    /** InfiniBand: the 20-byte IPoIB address, hex. */
    ib?: string;
    /** UDP: the sender bearer's own IP and port. */
    udp?: { proto: number; port: number; ip: string };
}

export interface DiscoveryFrame {
    kind: 'discovery';
    version: 2;
    user: 13;
    hsize: number;
    size: number;
    nonSequenced: boolean;
    /** 'modern' (76 bytes, node id, hash), 'legacy-60' (no node id, hash 0), 'legacy-40'. */
    format: 'modern' | 'legacy-60' | 'legacy-40';
    typeCode: number;
    type: DiscoveryType;
    capabilities: number;
    capabilityNames: string[];
    /** w1 bits 15-0 (bit 15 overlaps capability bit 0 on the wire). */
    signature: number;
    destDomain: number;
    /** w3: the sender's node address (its trial address during the trial phase). */
    prevNode: number;
    netId: number;
    media: MediaAddress;
    /** Word 13, the peer net hash ("hash_mix" proof); 0 from pre-5.5 senders and legacy formats. */
    hash: number;
    hashHex: string;
    /** Word 14: the suggested address in TRIAL_FAIL, else 0. */
    word14: number;
    /** The 16 bytes the kernel takes as the peer's identity, hex (all 32 digits). */
    nodeId: string;
    /** Where nodeId came from: the frame's 128-bit id, or the ASCII hex of w3 (no NODE_ID128). */
    nodeIdSource: 'frame' | 'address';
    /** nodeId as `tipc node list` prints it. */
    identity: string;
    /** (w13 ^ w1) & 0x7fff == 0: the sender is probably some host's init_net (a hint, not a proof). */
    initNetHint: boolean;
    /** Soft-check findings (e.g. a net id outside 1..9999). */
    warnings: string[];
}

export interface EncryptedFrame {
    kind: 'encrypted';
    version: 7;
    user: number;
    userName: string;
    destined: boolean;
    txKey: number;
    rxKeyActive: number;
    masterKey: boolean;
    /** 64-bit sequence number, decimal. */
    seqno: string;
    /** LINK_CONFIG: the sender's 128-bit id in clear (hex) and its identity string. */
    nodeId?: string;
    identity?: string;
    /** Other users: the sender's node address. */
    nodeAddress?: number;
}

/** A plain TIPC message that is not discovery (link protocol, data, loopback clones). */
export interface OtherTipcMessage {
    kind: 'message';
    version: 2;
    user: number;
    userName: string;
    hsize: number;
    size: number;
    typeCode: number;
    prevNode: number;
    /** w6 when the header is longer than 24 bytes, else w3. */
    originNode: number;
}

export type TipcFrame = DiscoveryFrame | EncryptedFrame | OtherTipcMessage;

export interface DecodedFrame {
    encapsulation: Encapsulation;
    tipc: TipcFrame;
}

export interface DecodeOptions {
    /** UDP ports taken as TIPC (either port matching is enough). Default: 6118. */
    udpPorts?: ReadonlySet<number> | readonly number[];
}

// ------------------------------------------------------------------ helpers

const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

function need(b: Uint8Array, end: number, what: string, base = 0): void {
    if (end > b.byteLength)
        throw new DecodeError(`truncated ${what}: need ${end} bytes, have ${b.byteLength}`, base + b.byteLength);
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

function formatMac(b: Uint8Array): string {
    return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

function formatIPv4(b: Uint8Array): string {
    return [...b.subarray(0, 4)].join('.');
}

/** RFC 5952 text (longest run of zero groups compressed). */
function formatIPv6(b: Uint8Array): string {
    const groups: number[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((b[i] ?? 0) << 8) | (b[i + 1] ?? 0));
    let best = -1;
    let bestLen = 0;
    for (let i = 0; i < 8;) {
        if (groups[i] !== 0) {
            i++;
            continue;
        }
        let j = i;
        while (j < 8 && groups[j] === 0) j++;
        if (j - i > bestLen && j - i > 1) {
            best = i;
            bestLen = j - i;
        }
        i = j;
    }
    const txt = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
    if (best < 0) return txt(groups);
    return `${txt(groups.slice(0, best))}::${txt(groups.slice(best + bestLen))}`;
}

function portSet(opts?: DecodeOptions): ReadonlySet<number> {
    const p = opts?.udpPorts;
    if (!p) return new Set([TIPC_UDP_PORT]);
    return p instanceof Set ? p : new Set(p as readonly number[]);
}

// ------------------------------------------------------------------ TIPC

/** Decodes one TIPC message (the bytes right after the link/UDP header). */
export function decodeTipc(bytes: Uint8Array, base = 0): TipcFrame {
    need(bytes, 4, 'TIPC header', base);
    const dv = view(bytes);
    const w0 = dv.getUint32(0, false);
    const version = w0 >>> 29;
    if (version === ENCRYPTED_VERSION) return decodeEncrypted(bytes, base);
    if (version !== PLAIN_VERSION)
        throw new DecodeError(`not a TIPC message: version ${version} (expected 2, or 7 when encrypted)`, base);
    const user = (w0 >>> 25) & 0xf;
    const hsize = ((w0 >>> 21) & 0xf) * 4;
    const size = w0 & 0x1ffff;
    if (hsize < MIN_H_SIZE || hsize > MAX_H_SIZE)
        throw new DecodeError(`TIPC header size ${hsize} outside ${MIN_H_SIZE}..${MAX_H_SIZE}`, base);
    if (size < hsize) throw new DecodeError(`TIPC message size ${size} is smaller than its header (${hsize})`, base);
    need(bytes, size, 'TIPC message', base);
    if (user === TIPC_USER_LINK_CONFIG) return decodeDiscovery(bytes.subarray(0, size), w0, base);
    const w1 = dv.getUint32(4, false);
    const prevNode = dv.getUint32(12, false);
    return {
        kind: 'message',
        version: 2,
        user,
        userName: USER_NAMES[user] ?? `USER_${user}`,
        hsize,
        size,
        typeCode: w1 >>> 29,
        prevNode,
        originNode: hsize > 24 ? dv.getUint32(24, false) : prevNode,
    };
}

function decodeDiscovery(b: Uint8Array, w0: number, base: number): DiscoveryFrame {
    const dv = view(b);
    const hsize = ((w0 >>> 21) & 0xf) * 4;
    const size = w0 & 0x1ffff;
    if (((w0 >>> 20) & 1) !== 1) throw new DecodeError('discovery message without the non-sequenced bit', base);
    const format =
        hsize === 60 && size === 76
            ? 'modern'
            : hsize === 60 && size === 60
              ? 'legacy-60'
              : hsize === 40 && size === 40
                ? 'legacy-40'
                : undefined;
    if (!format)
        throw new DecodeError(
            `discovery message with header ${hsize} and size ${size} (expected 60/76, 60/60 or 40/40)`,
            base,
        );
    const w1 = dv.getUint32(4, false);
    const typeCode = w1 >>> 29;
    const capabilities = (w1 >>> 15) & 0x1fff;
    const mediaType = b[23];
    const media = decodeMedia(b.subarray(20, hsize), mediaType, base + 20);
    const prevNode = dv.getUint32(12, false);
    const netId = dv.getUint32(16, false);
    const hash = hsize >= 56 ? dv.getUint32(52, false) : 0;
    const word14 = hsize >= 60 ? dv.getUint32(56, false) : 0;
    let idBytes: Uint8Array;
    let nodeIdSource: 'frame' | 'address';
    if (format === 'modern' && capabilities & CAP_NODE_ID128) {
        idBytes = b.subarray(60, 60 + NODE_ID_LEN);
        nodeIdSource = 'frame';
    } else {
        // the kernel's fallback: sprintf("%x", w3) into the 16-byte id, NUL-padded
        idBytes = new Uint8Array(NODE_ID_LEN);
        idBytes.set(Buffer.from(prevNode.toString(16), 'latin1'));
        nodeIdSource = 'address';
    }
    const warnings: string[] = [];
    if (netId < 1 || netId > 9999) warnings.push(`net id ${netId} outside 1..9999`);
    if (format === 'modern' && !(capabilities & CAP_NODE_ID128))
        warnings.push('128-bit node id present but NODE_ID128 not announced');
    return {
        kind: 'discovery',
        version: 2,
        user: 13,
        hsize,
        size,
        nonSequenced: true,
        format,
        typeCode,
        type: DISCOVERY_TYPES[typeCode] ?? 'UNKNOWN',
        capabilities,
        capabilityNames: CAPABILITY_NAMES.filter((_, i) => capabilities & (1 << i)),
        signature: w1 & 0xffff,
        destDomain: dv.getUint32(8, false),
        prevNode,
        netId,
        media,
        hash,
        hashHex: formatHash(hash),
        word14,
        nodeId: hex(idBytes),
        nodeIdSource,
        identity: nodeIdToString(idBytes),
        initNetHint: hash !== 0 && ((hash ^ w1) & 0x7fff) === 0,
        warnings,
    };
}

function decodeMedia(area: Uint8Array, type: number, base: number): MediaAddress {
    const addr = area.subarray(4);
    switch (type) {
        case 1:
            need(addr, 6, 'Ethernet media address', base + 4);
            return { type, name: 'eth', mac: formatMac(addr.subarray(0, 6)) };
        case 2:
            need(addr, 20, 'InfiniBand media address', base + 4);
            return { type, name: 'ib', ib: hex(addr.subarray(0, 20)) };
        case 3: {
            need(addr, 8, 'UDP media address', base + 4);
            const dv = view(addr);
            const proto = dv.getUint16(0, false);
            const port = dv.getUint16(2, false);
            if (proto === ETH_P_IP)
                return { type, name: 'udp', udp: { proto, port, ip: formatIPv4(addr.subarray(4, 8)) } };
            if (proto === ETH_P_IPV6) {
                need(addr, 20, 'UDP/IPv6 media address', base + 4);
                return { type, name: 'udp', udp: { proto, port, ip: formatIPv6(addr.subarray(4, 20)) } };
            }
            throw new DecodeError(
                `UDP media address with protocol 0x${proto.toString(16)} (expected 0x0800 or 0x86dd)`,
                base + 4,
            );
        }
        default:
            throw new DecodeError(`discovery media type ${type} (expected 1 eth, 2 ib or 3 udp)`, base + 3);
    }
}

function decodeEncrypted(b: Uint8Array, base: number): EncryptedFrame {
    need(b, 16, 'encryption header', base);
    const dv = view(b);
    const w0 = dv.getUint32(0, false);
    const user = (w0 >>> 25) & 0xf;
    const flags = (w0 >>> 16) & 0xff;
    const common = {
        kind: 'encrypted' as const,
        version: 7 as const,
        user,
        userName: USER_NAMES[user] ?? `USER_${user}`,
        destined: ((w0 >>> 24) & 1) === 1,
        txKey: (flags >>> 6) & 3,
        rxKeyActive: (flags >>> 4) & 3,
        masterKey: ((flags >>> 2) & 1) === 1,
        seqno: dv.getBigUint64(4, false).toString(),
    };
    if (user !== TIPC_USER_LINK_CONFIG) return { ...common, nodeAddress: dv.getUint32(12, false) };
    need(b, 28, 'LINK_CONFIG encryption header', base);
    const id = b.subarray(12, 28);
    return { ...common, nodeId: hex(id), identity: nodeIdToString(id) };
}

// ------------------------------------------------------------------ link layers

/** Ethernet frame (optionally VLAN-tagged) carrying TIPC directly or over UDP. */
export function decodeEthernet(frame: Uint8Array, opts?: DecodeOptions): DecodedFrame {
    need(frame, 14, 'Ethernet header');
    const dv = view(frame);
    let off = 12;
    let type = dv.getUint16(off, false);
    const vlans: number[] = [];
    while (VLAN_TAGS.has(type)) {
        need(frame, off + 6, 'VLAN tag');
        vlans.push(dv.getUint16(off + 2, false) & 0xfff);
        off += 4;
        type = dv.getUint16(off, false);
        if (vlans.length > 8) throw new DecodeError('more than 8 VLAN tags', off);
    }
    const encapsulation: Encapsulation = {
        link: 'ethernet',
        dstMac: formatMac(frame.subarray(0, 6)),
        srcMac: formatMac(frame.subarray(6, 12)),
        ...(vlans.length ? { vlans } : {}),
    };
    return payloadByEthertype(type, frame.subarray(off + 2), off + 2, encapsulation, opts);
}

/** DLT_LINUX_SLL: 16-byte cooked header, protocol at 14. */
export function decodeSll(frame: Uint8Array, opts?: DecodeOptions): DecodedFrame {
    need(frame, 16, 'Linux cooked (SLL) header');
    const dv = view(frame);
    const pkttype = dv.getUint16(0, false);
    const halen = Math.min(dv.getUint16(4, false), 8);
    const encapsulation: Encapsulation = {
        link: 'sll',
        direction: PACKET_TYPES[pkttype] ?? 'unknown',
        ...(halen === 6 ? { srcMac: formatMac(frame.subarray(6, 12)) } : {}),
    };
    return payloadByEthertype(dv.getUint16(14, false), frame.subarray(16), 16, encapsulation, opts);
}

/** DLT_LINUX_SLL2: 20-byte cooked header, protocol at 0. */
export function decodeSll2(frame: Uint8Array, opts?: DecodeOptions): DecodedFrame {
    need(frame, 20, 'Linux cooked v2 (SLL2) header');
    const dv = view(frame);
    const pkttype = frame[10];
    const halen = Math.min(frame[11], 8);
    const encapsulation: Encapsulation = {
        link: 'sll2',
        direction: PACKET_TYPES[pkttype] ?? 'unknown',
        ifindex: dv.getUint32(4, false),
        ...(halen === 6 ? { srcMac: formatMac(frame.subarray(12, 18)) } : {}),
    };
    return payloadByEthertype(dv.getUint16(0, false), frame.subarray(20), 20, encapsulation, opts);
}

/** A bare IPv4/IPv6 packet (DLT_RAW) carrying UDP to/from a TIPC port. */
export function decodeIp(
    packet: Uint8Array,
    opts?: DecodeOptions,
    base = 0,
    encapsulation: Encapsulation = { link: 'ip' },
): DecodedFrame {
    need(packet, 1, 'IP header', base);
    const version = packet[0] >>> 4;
    if (version === 4) return decodeIPv4(packet, opts, base, encapsulation);
    if (version === 6) return decodeIPv6(packet, opts, base, encapsulation);
    throw new DecodeError(`IP version ${version} (expected 4 or 6)`, base);
}

/** A bare TIPC message (e.g. a UDP payload already extracted). */
export function decodeRawTipc(bytes: Uint8Array): DecodedFrame {
    return { encapsulation: { link: 'tipc' }, tipc: decodeTipc(bytes) };
}

function payloadByEthertype(
    type: number,
    payload: Uint8Array,
    base: number,
    encapsulation: Encapsulation,
    opts?: DecodeOptions,
): DecodedFrame {
    if (type === ETH_P_TIPC) return { encapsulation, tipc: decodeTipc(payload, base) };
    if (type === ETH_P_IP || type === ETH_P_IPV6) return decodeIp(payload, opts, base, encapsulation);
    throw new DecodeError(
        `ethertype 0x${type.toString(16).padStart(4, '0')} is neither TIPC (0x88ca) nor IP`,
        base - 2,
    );
}

function decodeIPv4(
    p: Uint8Array,
    opts: DecodeOptions | undefined,
    base: number,
    encapsulation: Encapsulation,
): DecodedFrame {
    need(p, 20, 'IPv4 header', base);
    const dv = view(p);
    const ihl = (p[0] & 0xf) * 4;
    if (ihl < 20) throw new DecodeError(`IPv4 header length ${ihl}`, base);
    need(p, ihl, 'IPv4 header', base);
    if ((dv.getUint16(6, false) & 0x3fff) !== 0) throw new DecodeError('fragmented IPv4 packet', base + 6);
    if (p[9] !== 17) throw new DecodeError(`IPv4 protocol ${p[9]} is not UDP`, base + 9);
    const total = Math.min(dv.getUint16(2, false), p.byteLength);
    const ip = { version: 4 as const, src: formatIPv4(p.subarray(12, 16)), dst: formatIPv4(p.subarray(16, 20)) };
    return decodeUdp(p.subarray(ihl, Math.max(total, ihl)), opts, base + ihl, { ...encapsulation, ip });
}

function decodeIPv6(
    p: Uint8Array,
    opts: DecodeOptions | undefined,
    base: number,
    encapsulation: Encapsulation,
): DecodedFrame {
    need(p, 40, 'IPv6 header', base);
    const dv = view(p);
    const payloadLen = dv.getUint16(4, false);
    let next = p[6];
    let off = 40;
    const ip = { version: 6 as const, src: formatIPv6(p.subarray(8, 24)), dst: formatIPv6(p.subarray(24, 40)) };
    // extension headers: hop-by-hop 0, routing 43, destination options 60, fragment 44
    for (let hops = 0; next === 0 || next === 43 || next === 60 || next === 44; hops++) {
        if (hops > 8) throw new DecodeError('too many IPv6 extension headers', base + off);
        need(p, off + 8, 'IPv6 extension header', base);
        if (next === 44 && (dv.getUint16(off + 2, false) & 0xfff9) !== 0)
            throw new DecodeError('fragmented IPv6 packet', base + off);
        const len = next === 44 ? 8 : (p[off + 1] + 1) * 8;
        next = p[off]!;
        off += len;
    }
    if (next !== 17) throw new DecodeError(`IPv6 next header ${next} is not UDP`, base + 6);
    const end = Math.min(40 + payloadLen, p.byteLength);
    need(p, off, 'IPv6 extension headers', base);
    return decodeUdp(p.subarray(off, Math.max(end, off)), opts, base + off, { ...encapsulation, ip });
}

function decodeUdp(
    u: Uint8Array,
    opts: DecodeOptions | undefined,
    base: number,
    encapsulation: Encapsulation,
): DecodedFrame {
    need(u, 8, 'UDP header', base);
    const dv = view(u);
    const srcPort = dv.getUint16(0, false);
    const dstPort = dv.getUint16(2, false);
    const ports = portSet(opts);
    if (!ports.has(srcPort) && !ports.has(dstPort))
        throw new DecodeError(`UDP ${srcPort} -> ${dstPort} is not a TIPC port (${[...ports].join(', ')})`, base);
    const len = dv.getUint16(4, false);
    const payload = u.subarray(8, len >= 8 ? Math.min(len, u.byteLength) : u.byteLength);
    return { encapsulation: { ...encapsulation, udp: { srcPort, dstPort } }, tipc: decodeTipc(payload, base + 8) };
}

// ------------------------------------------------------------------ dispatch

/** pcap/pcapng link types this decoder understands. */
export const LinkType = { EN10MB: 1, RAW: 101, LINUX_SLL: 113, IPV4: 228, IPV6: 229, LINUX_SLL2: 276 } as const;
/** Platform-specific DLT_RAW values that some captures carry. */
const RAW_ALIASES = new Set([12, 14]);

export function decodeLinkFrame(linkType: number, frame: Uint8Array, opts?: DecodeOptions): DecodedFrame {
    switch (linkType) {
        case LinkType.EN10MB:
            return decodeEthernet(frame, opts);
        case LinkType.LINUX_SLL:
            return decodeSll(frame, opts);
        case LinkType.LINUX_SLL2:
            return decodeSll2(frame, opts);
        case LinkType.RAW:
        case LinkType.IPV4:
        case LinkType.IPV6:
            return decodeIp(frame, opts);
        default:
            if (RAW_ALIASES.has(linkType)) return decodeIp(frame, opts);
            throw new DecodeError(
                `unsupported link type ${linkType} (expected Ethernet 1, raw IP 101, Linux SLL 113 or SLL2 276)`,
            );
    }
}

/**
 * Like decodeLinkFrame, but any DecodeError becomes null: for capture loops
 * that see all traffic and keep only TIPC. Other errors would be bugs and
 * still propagate.
 */
export function tryDecodeLinkFrame(linkType: number, frame: Uint8Array, opts?: DecodeOptions): DecodedFrame | null {
    try {
        return decodeLinkFrame(linkType, frame, opts);
    } catch (e) {
        if (e instanceof DecodeError) return null;
        throw e;
    }
}
