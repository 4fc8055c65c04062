/**
 * The TIPC topology service's wire format (include/uapi/linux/tipc.h): what a
 * subscriber sends (struct tipc_subscr, 28 bytes) and what the server answers
 * (struct tipc_event, 48 bytes). Pure encoding and decoding, no sockets.
 *
 * Byte order: the server takes a subscription in either byte order and
 * answers in the same one. It tells them apart by the filter word: if none of
 * TIPC_SUB_PORTS, TIPC_SUB_SERVICE, TIPC_SUB_CANCEL is set when read in host
 * order, it swaps every field (net/tipc/subscr.h, tipc_sub_read). Network
 * order therefore works on any host, and is what this codec writes and reads.
 */

/** The topology server's own service type; it binds {1, 1} (TIPC_TOP_SRV). */
export const TIPC_TOP_SRV = 1;
/** Service type of peer node state: instance = the peer's 32-bit address (TIPC_NODE_STATE). */
export const TIPC_NODE_STATE = 0;
/** Service type of link state: instance = the peer's address (TIPC_LINK_STATE). */
export const TIPC_LINK_STATE = 2;
/** First service type free for users (TIPC_RESERVED_TYPES). */
export const TIPC_RESERVED_TYPES = 64;

/** Subscription timeout meaning "never" (TIPC_WAIT_FOREVER). */
export const TIPC_WAIT_FOREVER = 0xffff_ffff;
/** An event per matching publication (TIPC_SUB_PORTS). */
export const TIPC_SUB_PORTS = 0x01;
/** Only first publication / last withdrawal of the range (TIPC_SUB_SERVICE). */
export const TIPC_SUB_SERVICE = 0x02;
/** Cancels the subscription sent with the same fields (TIPC_SUB_CANCEL). */
export const TIPC_SUB_CANCEL = 0x04;

/** struct tipc_event.event values. */
export const TIPC_PUBLISHED = 1;
export const TIPC_WITHDRAWN = 2;
export const TIPC_SUBSCR_TIMEOUT = 3;

/**
 * Subscriptions one network namespace's topology server accepts in all
 * (TIPC_MAX_SUBSCR in net/tipc/subscr.h, counted per namespace in
 * net/tipc/topsrv.c). Past it the server closes the subscriber's connection.
 */
export const TIPC_MAX_SUBSCR = 65535;

export const SUBSCR_SIZE = 28;
export const EVENT_SIZE = 48;
export const USR_HANDLE_SIZE = 8;

/** A service range {type, lower, upper} (struct tipc_service_range). */
export interface ServiceRange {
    readonly type: number;
    readonly lower: number;
    readonly upper: number;
}

export interface Subscription {
    readonly range: ServiceRange;
    /** Milliseconds; TIPC_WAIT_FOREVER for none. */
    readonly timeoutMs: number;
    readonly filter: number;
    /** Up to 8 bytes the server echoes back in every event of this subscription. */
    readonly handle: Uint8Array;
}

/** One struct tipc_event, decoded. */
export interface TopologyMessage {
    /** TIPC_PUBLISHED, TIPC_WITHDRAWN or TIPC_SUBSCR_TIMEOUT. */
    readonly event: number;
    readonly foundLower: number;
    readonly foundUpper: number;
    /** port.ref: the publishing socket's port (for link state: the link id, bearer ids). */
    readonly port: number;
    /** port.node: the publishing node's 32-bit address. */
    readonly node: number;
    /** The subscription this event answers, as sent. */
    readonly subscription: Subscription;
}

export class TopologyCodecError extends Error {}

/** struct tipc_subscr in network byte order. */
export function encodeSubscription(s: Subscription): Buffer {
    if (s.handle.length > USR_HANDLE_SIZE) throw new TopologyCodecError('a subscription handle is at most 8 bytes');
    const b = Buffer.alloc(SUBSCR_SIZE);
    b.writeUInt32BE(s.range.type >>> 0, 0);
    b.writeUInt32BE(s.range.lower >>> 0, 4);
    b.writeUInt32BE(s.range.upper >>> 0, 8);
    b.writeUInt32BE(s.timeoutMs >>> 0, 12);
    b.writeUInt32BE(s.filter >>> 0, 16);
    b.set(s.handle, 20);
    return b;
}

function decodeSubscriptionAt(b: Buffer, at: number): Subscription {
    return {
        range: { type: b.readUInt32BE(at), lower: b.readUInt32BE(at + 4), upper: b.readUInt32BE(at + 8) },
        timeoutMs: b.readUInt32BE(at + 12),
        filter: b.readUInt32BE(at + 16),
        handle: Uint8Array.from(b.subarray(at + 20, at + 28)),
    };
}

/** struct tipc_subscr, as encodeSubscription writes it. */
export function decodeSubscription(b: Buffer): Subscription {
    if (b.length !== SUBSCR_SIZE)
        throw new TopologyCodecError(`a subscription is ${SUBSCR_SIZE} bytes, not ${b.length}`);
    return decodeSubscriptionAt(b, 0);
}

/** One struct tipc_event (exactly 48 bytes, as the server sends each in a message of its own). */
export function decodeTopologyMessage(b: Buffer): TopologyMessage {
    if (b.length !== EVENT_SIZE)
        throw new TopologyCodecError(`a topology event is ${EVENT_SIZE} bytes, the server sent ${b.length}`);
    const event = b.readUInt32BE(0);
    if (event !== TIPC_PUBLISHED && event !== TIPC_WITHDRAWN && event !== TIPC_SUBSCR_TIMEOUT)
        throw new TopologyCodecError(`unknown topology event ${event}`);
    return {
        event,
        foundLower: b.readUInt32BE(4),
        foundUpper: b.readUInt32BE(8),
        port: b.readUInt32BE(12),
        node: b.readUInt32BE(16),
        subscription: decodeSubscriptionAt(b, 20),
    };
}

/** struct tipc_event, for tests and fakes of the server. */
export function encodeTopologyMessage(m: TopologyMessage): Buffer {
    const b = Buffer.alloc(EVENT_SIZE);
    b.writeUInt32BE(m.event >>> 0, 0);
    b.writeUInt32BE(m.foundLower >>> 0, 4);
    b.writeUInt32BE(m.foundUpper >>> 0, 8);
    b.writeUInt32BE(m.port >>> 0, 12);
    b.writeUInt32BE(m.node >>> 0, 16);
    encodeSubscription(m.subscription).copy(b, 20);
    return b;
}

/**
 * The local bearer id of a link-state publication: the kernel publishes
 * {TIPC_LINK_STATE, peer, peer} with port.ref = the node's link id, whose low
 * 16 bits are this node's bearer id (net/tipc/node.c, tipc_node_write_unlock).
 */
export function linkBearerId(port: number): number {
    return port & 0xffff;
}
