// The TIPCv2 generic-netlink UAPI (include/uapi/linux/tipc_netlink.h, unchanged since
// Linux 5.10) as one declarative table. The codec and every decoded/encodable TypeScript
// type are derived from it, so a new attribute is added here and nowhere else.
//
// Every attribute carries its kernel C name (`c`, e.g. TIPC_NLA_LINK_NAME) and a
// one-line meaning (`doc`); ids and wire types were checked against the header, and
// test/unit/schema.test.ts checks that the names are unique per set, follow the
// header's id order, and (where the header is installed) match it name for name.
// The codec reads only `id`, `type` and `set`, when it builds its lookup tables.

/** Wire types. 'pad' marks alignment-only attributes the kernel emits before u64s. */
export type AttrType =
    'u8' | 'u16' | 'u32' | 'u64' | 's32' | 'string' | 'binary' | 'flag' | 'sockaddr' | 'u32array' | 'pad' | 'nested';

/** What the kernel calls an attribute and what it means; optional for schemas other than TIPC's. */
export interface AttrMeta {
    /** The enum constant in the kernel's UAPI header, e.g. `TIPC_NLA_LINK_NAME`. */
    readonly c?: string;
    /** One line: what the value is. */
    readonly doc?: string;
}

export type AttrSpec =
    | ({ readonly id: number; readonly type: Exclude<AttrType, 'nested'> } & AttrMeta)
    | ({ readonly id: number; readonly type: 'nested'; readonly set: string } & AttrMeta);

export type AttrSetSpec = { readonly [key: string]: AttrSpec };
export type SchemaSpec = { readonly [set: string]: AttrSetSpec };

export { TIPC_GENL } from './family.js';

export const TipcCmd = {
    UNSPEC: 0,
    LEGACY: 1,
    BEARER_DISABLE: 2,
    BEARER_ENABLE: 3,
    BEARER_GET: 4,
    BEARER_SET: 5,
    SOCK_GET: 6,
    PUBL_GET: 7,
    LINK_GET: 8,
    LINK_SET: 9,
    LINK_RESET_STATS: 10,
    MEDIA_GET: 11,
    MEDIA_SET: 12,
    NODE_GET: 13,
    NET_GET: 14,
    NET_SET: 15,
    NAME_TABLE_GET: 16,
    MON_SET: 17,
    MON_GET: 18,
    MON_PEER_GET: 19,
    PEER_REMOVE: 20,
    BEARER_ADD: 21,
    UDP_GET_REMOTEIP: 22,
    KEY_SET: 23,
    KEY_FLUSH: 24,
    ADDR_LEGACY_GET: 25,
} as const;
export type TipcCmd = (typeof TipcCmd)[keyof typeof TipcCmd];

/** The kernel's C name of a command: `TIPC_NL_` + its key. */
export const tipcCmdCName = (key: keyof typeof TipcCmd): string => `TIPC_NL_${key}`;

type Meta<C extends string> = { readonly c: C; readonly doc: string };
const scalar =
    <T extends Exclude<AttrType, 'nested'>>(type: T) =>
    <const C extends string>(id: number, c: C, doc: string): { readonly id: number; readonly type: T } & Meta<C> => ({
        id,
        type,
        c,
        doc,
    });
const u32 = scalar('u32');
const u64 = scalar('u64');
const str = scalar('string');
const bin = scalar('binary');
const flag = scalar('flag');
const pad = scalar('pad');
const sockaddr = scalar('sockaddr');
const u32array = scalar('u32array');
const nest = <const S extends string, const C extends string>(id: number, set: S, c: C, doc: string) =>
    ({ id, type: 'nested', set, c, doc }) as const;

/** Every set's attributes, in the header's id order. */
export const tipcSchema = {
    // TIPC_NLA_*: every top-level attribute is a nest.
    top: {
        bearer: nest(1, 'bearer', 'TIPC_NLA_BEARER', 'a bearer: name, properties, UDP options'),
        sock: nest(2, 'sock', 'TIPC_NLA_SOCK', 'a socket (SOCK_GET dump), or the socket a PUBL_GET asks about'),
        publ: nest(3, 'publ', 'TIPC_NLA_PUBL', 'a binding of one socket (PUBL_GET dump)'),
        link: nest(4, 'link', 'TIPC_NLA_LINK', 'a link, or the broadcast link'),
        media: nest(5, 'media', 'TIPC_NLA_MEDIA', 'a media type (eth, ib, udp) and its default properties'),
        node: nest(6, 'node', 'TIPC_NLA_NODE', 'a peer node (NODE_GET), or a key to install (KEY_SET)'),
        net: nest(7, 'net', 'TIPC_NLA_NET', "this namespace's network id, address and node identity"),
        nameTable: nest(8, 'nameTable', 'TIPC_NLA_NAME_TABLE', 'one name table entry (NAME_TABLE_GET dump)'),
        mon: nest(9, 'mon', 'TIPC_NLA_MON', 'the link monitor: threshold, or the state of one bearer'),
        monPeer: nest(10, 'monPeer', 'TIPC_NLA_MON_PEER', "one peer in a bearer's monitor list"),
    },
    // UDP_GET_REMOTEIP dump replies put TIPC_NLA_UDP_REMOTE (2) at top level, where 2
    // would otherwise mean SOCK: decode those payloads with this set instead of 'top'.
    udpRemoteIpReply: {
        remote: sockaddr(2, 'TIPC_NLA_UDP_REMOTE', 'one remote IP and port of a UDP bearer'),
    },
    bearer: {
        name: str(1, 'TIPC_NLA_BEARER_NAME', 'media:interface or media:name, e.g. eth:eth0, udp:b1'),
        prop: nest(2, 'prop', 'TIPC_NLA_BEARER_PROP', 'priority, tolerance, window, MTU'),
        domain: u32(3, 'TIPC_NLA_BEARER_DOMAIN', 'discovery domain: the legacy Z.C.N scope of peers to link with'),
        udpOpts: nest(4, 'udp', 'TIPC_NLA_BEARER_UDP_OPTS', 'local and remote address of a UDP bearer'),
    },
    udp: {
        local: sockaddr(1, 'TIPC_NLA_UDP_LOCAL', 'local IP and port (sockaddr_in or sockaddr_in6)'),
        remote: sockaddr(2, 'TIPC_NLA_UDP_REMOTE', 'remote IP and port: a peer, or the multicast group'),
        multiRemoteip: flag(
            3,
            'TIPC_NLA_UDP_MULTI_REMOTEIP',
            'the bearer sends to several remote IPs (list them with UDP_GET_REMOTEIP)',
        ),
    },
    // Attributes 5..12 only come from the sock_diag interface, not from SOCK_GET.
    sock: {
        addr: u32(1, 'TIPC_NLA_SOCK_ADDR', "this node's address (hash), where the socket lives"),
        ref: u32(2, 'TIPC_NLA_SOCK_REF', "the socket's port id"),
        con: nest(3, 'con', 'TIPC_NLA_SOCK_CON', 'the peer of a connected socket'),
        hasPubl: flag(4, 'TIPC_NLA_SOCK_HAS_PUBL', 'the socket has bindings (ask with PUBL_GET)'),
        stat: nest(5, 'sockStat', 'TIPC_NLA_SOCK_STAT', 'queue lengths, congestion and drops'),
        type: u32(6, 'TIPC_NLA_SOCK_TYPE', 'socket type (SOCK_RDM, SOCK_STREAM, ...)'),
        ino: u32(7, 'TIPC_NLA_SOCK_INO', "the socket's inode number"),
        uid: u32(8, 'TIPC_NLA_SOCK_UID', "the owner's user id"),
        tipcState: u32(9, 'TIPC_NLA_SOCK_TIPC_STATE', 'TIPC connection state (TIPC_OPEN, TIPC_ESTABLISHED, ...)'),
        cookie: u64(10, 'TIPC_NLA_SOCK_COOKIE', 'socket cookie'),
        pad: pad(11, 'TIPC_NLA_SOCK_PAD', 'alignment before the u64 cookie (no value)'),
        group: nest(12, 'sockGroup', 'TIPC_NLA_SOCK_GROUP', 'membership in a communication group'),
    },
    con: {
        flag: flag(1, 'TIPC_NLA_CON_FLAG', 'the connection was made to a service name (type and instance follow)'),
        node: u32(2, 'TIPC_NLA_CON_NODE', "the peer's node address (hash)"),
        sock: u32(3, 'TIPC_NLA_CON_SOCK', "the peer's port id"),
        type: u32(4, 'TIPC_NLA_CON_TYPE', 'service type connected to'),
        inst: u32(5, 'TIPC_NLA_CON_INST', 'service instance connected to'),
    },
    // 0-based enum in the UAPI (no UNSPEC), so type 0 is a real attribute here.
    sockStat: {
        rcvq: u32(0, 'TIPC_NLA_SOCK_STAT_RCVQ', 'messages in the receive queue'),
        sendq: u32(1, 'TIPC_NLA_SOCK_STAT_SENDQ', 'messages in the send queue'),
        linkCong: flag(2, 'TIPC_NLA_SOCK_STAT_LINK_CONG', 'sending is blocked by link congestion'),
        connCong: flag(3, 'TIPC_NLA_SOCK_STAT_CONN_CONG', 'sending is blocked by connection flow control'),
        drop: u32(4, 'TIPC_NLA_SOCK_STAT_DROP', 'messages dropped'),
    },
    // 0-based as well.
    sockGroup: {
        id: u32(0, 'TIPC_NLA_SOCK_GROUP_ID', 'group id (the service type the group is bound to)'),
        open: flag(1, 'TIPC_NLA_SOCK_GROUP_OPEN', 'the member may send to the group now (not blocked by congestion)'),
        nodeScope: flag(2, 'TIPC_NLA_SOCK_GROUP_NODE_SCOPE', 'the group is bound with node scope'),
        clusterScope: flag(3, 'TIPC_NLA_SOCK_GROUP_CLUSTER_SCOPE', 'the group is bound with cluster scope'),
        instance: u32(4, 'TIPC_NLA_SOCK_GROUP_INSTANCE', "this member's instance number"),
        bcSendNext: u32(5, 'TIPC_NLA_SOCK_GROUP_BC_SEND_NEXT', 'sequence number of the next group broadcast'),
    },
    publ: {
        type: u32(1, 'TIPC_NLA_PUBL_TYPE', 'service type'),
        lower: u32(2, 'TIPC_NLA_PUBL_LOWER', 'lowest instance of the bound range'),
        upper: u32(3, 'TIPC_NLA_PUBL_UPPER', 'highest instance of the bound range'),
        scope: u32(4, 'TIPC_NLA_PUBL_SCOPE', 'binding scope: 2 cluster, 3 node (1, zone, is legacy)'),
        node: u32(5, 'TIPC_NLA_PUBL_NODE', 'address (hash) of the node that bound it'),
        ref: u32(6, 'TIPC_NLA_PUBL_REF', 'port id of the bound socket'),
        key: u32(7, 'TIPC_NLA_PUBL_KEY', 'key that tells bindings of the same socket apart'),
    },
    nameTable: {
        publ: nest(1, 'publ', 'TIPC_NLA_NAME_TABLE_PUBL', 'one binding'),
    },
    link: {
        name: str(1, 'TIPC_NLA_LINK_NAME', 'link name, own-node:bearer-peer:bearer, or broadcast-link'),
        dest: u32(2, 'TIPC_NLA_LINK_DEST', "legacy: the kernel puts this node's own cluster mask here, not the peer"),
        mtu: u32(3, 'TIPC_NLA_LINK_MTU', 'link MTU'),
        broadcast: flag(4, 'TIPC_NLA_LINK_BROADCAST', 'this is the broadcast link'),
        up: flag(5, 'TIPC_NLA_LINK_UP', 'the link is up'),
        active: flag(6, 'TIPC_NLA_LINK_ACTIVE', 'the link carries traffic (else standby)'),
        prop: nest(7, 'prop', 'TIPC_NLA_LINK_PROP', 'priority, tolerance, window; broadcast mode and ratio'),
        stats: nest(8, 'stats', 'TIPC_NLA_LINK_STATS', 'the link counters'),
        rx: u32(9, 'TIPC_NLA_LINK_RX', 'next sequence number expected (rcv_nxt); 0 on the broadcast link'),
        tx: u32(10, 'TIPC_NLA_LINK_TX', 'next sequence number to send (snd_nxt); 0 on the broadcast link'),
    },
    media: {
        name: str(1, 'TIPC_NLA_MEDIA_NAME', 'media name: eth, ib or udp'),
        prop: nest(2, 'prop', 'TIPC_NLA_MEDIA_PROP', 'default priority, tolerance, window, MTU for new bearers'),
    },
    node: {
        addr: u32(1, 'TIPC_NLA_NODE_ADDR', 'node address (hash of the identity)'),
        up: flag(2, 'TIPC_NLA_NODE_UP', 'the node is reachable (a link to it is up)'),
        id: bin(3, 'TIPC_NLA_NODE_ID', '128-bit node identity; in KEY_SET, the node the key is for'),
        key: bin(4, 'TIPC_NLA_NODE_KEY', 'struct tipc_aead_key: algorithm name, length, key'),
        keyMaster: flag(5, 'TIPC_NLA_NODE_KEY_MASTER', 'the key is the cluster master key'),
        rekeying: u32(6, 'TIPC_NLA_NODE_REKEYING', 'rekeying interval in minutes (0 off, 0xffffffff now)'),
    },
    // NODEID/NODEID_W1 are the 16 identity bytes copied raw into two host-order u64s;
    // see identity.ts. The kernel aligns them with pad attributes of type 0.
    net: {
        id: u32(1, 'TIPC_NLA_NET_ID', 'network id: only nodes with the same one link up'),
        addr: u32(2, 'TIPC_NLA_NET_ADDR', "this node's address (hash)"),
        nodeid: u64(3, 'TIPC_NLA_NET_NODEID', 'node identity bytes 0..7'),
        nodeidW1: u64(4, 'TIPC_NLA_NET_NODEID_W1', 'node identity bytes 8..15'),
        addrLegacy: flag(5, 'TIPC_NLA_NET_ADDR_LEGACY', 'the address was set in the legacy Z.C.N form'),
    },
    mon: {
        activationThreshold: u32(1, 'TIPC_NLA_MON_ACTIVATION_THRESHOLD', 'cluster size from which the monitor is used'),
        ref: u32(2, 'TIPC_NLA_MON_REF', 'bearer id the record is about (MON_PEER_GET asks with it)'),
        active: flag(3, 'TIPC_NLA_MON_ACTIVE', 'the monitor is in use on this bearer'),
        bearerName: str(4, 'TIPC_NLA_MON_BEARER_NAME', 'bearer name'),
        peercnt: u32(5, 'TIPC_NLA_MON_PEERCNT', 'peers in the monitor list'),
        listgen: u32(6, 'TIPC_NLA_MON_LISTGEN', 'generation of the monitor list'),
    },
    monPeer: {
        addr: u32(1, 'TIPC_NLA_MON_PEER_ADDR', "the peer's node address (hash)"),
        domgen: u32(2, 'TIPC_NLA_MON_PEER_DOMGEN', "generation of the peer's domain record"),
        applied: u32(3, 'TIPC_NLA_MON_PEER_APPLIED', 'how many members of its domain record are applied'),
        upmap: u64(4, 'TIPC_NLA_MON_PEER_UPMAP', 'bitmap: which domain members the peer sees up'),
        members: u32array(5, 'TIPC_NLA_MON_PEER_MEMBERS', "node addresses of the peer's domain members"),
        up: flag(6, 'TIPC_NLA_MON_PEER_UP', 'the peer is up'),
        head: flag(7, 'TIPC_NLA_MON_PEER_HEAD', 'the peer heads a domain (monitored directly)'),
        local: flag(8, 'TIPC_NLA_MON_PEER_LOCAL', "the peer is in this node's own domain"),
        pad: pad(9, 'TIPC_NLA_MON_PEER_PAD', 'alignment before the u64 upmap (no value)'),
    },
    // Shared by link, media and bearer.
    prop: {
        prio: u32(1, 'TIPC_NLA_PROP_PRIO', 'priority: links use the highest-priority bearers'),
        tol: u32(2, 'TIPC_NLA_PROP_TOL', 'tolerance: ms of silence before a link is declared down'),
        win: u32(3, 'TIPC_NLA_PROP_WIN', 'window: packets sent before an acknowledgement'),
        mtu: u32(4, 'TIPC_NLA_PROP_MTU', 'MTU (UDP media and bearers only)'),
        broadcast: u32(5, 'TIPC_NLA_PROP_BROADCAST', 'broadcast link mode: 1 BROADCAST, 2 REPLICAST, 4 AUTOSELECT'),
        broadcastRatio: u32(6, 'TIPC_NLA_PROP_BROADCAST_RATIO', 'AUTOSELECT: % of peers from which broadcast is used'),
    },
    // iproute2's `link statistics show` prints all of these.
    stats: {
        rxInfo: u32(
            1,
            'TIPC_NLA_STATS_RX_INFO',
            'rx (rcv_nxt) when the counters were last reset: packets received = rx - rxInfo',
        ),
        rxFragments: u32(2, 'TIPC_NLA_STATS_RX_FRAGMENTS', 'fragments received'),
        rxFragmented: u32(3, 'TIPC_NLA_STATS_RX_FRAGMENTED', 'messages reassembled from fragments'),
        rxBundles: u32(4, 'TIPC_NLA_STATS_RX_BUNDLES', 'bundles received'),
        rxBundled: u32(5, 'TIPC_NLA_STATS_RX_BUNDLED', 'messages received in bundles'),
        txInfo: u32(
            6,
            'TIPC_NLA_STATS_TX_INFO',
            'tx (snd_nxt) when the counters were last reset: packets sent = tx - txInfo',
        ),
        txFragments: u32(7, 'TIPC_NLA_STATS_TX_FRAGMENTS', 'fragments sent'),
        txFragmented: u32(8, 'TIPC_NLA_STATS_TX_FRAGMENTED', 'messages sent fragmented'),
        txBundles: u32(9, 'TIPC_NLA_STATS_TX_BUNDLES', 'bundles sent'),
        txBundled: u32(10, 'TIPC_NLA_STATS_TX_BUNDLED', 'messages sent in bundles'),
        msgProfTot: u32(11, 'TIPC_NLA_STATS_MSG_PROF_TOT', 'divisor for the profile: msgLenCnt, or 1 while that is 0'),
        msgLenCnt: u32(
            12,
            'TIPC_NLA_STATS_MSG_LEN_CNT',
            'send-queue heads sampled (once per link timer tick) for the length profile',
        ),
        msgLenTot: u32(13, 'TIPC_NLA_STATS_MSG_LEN_TOT', 'total length of the sampled messages, bytes'),
        msgLenP0: u32(14, 'TIPC_NLA_STATS_MSG_LEN_P0', 'profile: messages up to 64 bytes'),
        msgLenP1: u32(15, 'TIPC_NLA_STATS_MSG_LEN_P1', 'profile: 65..256 bytes'),
        msgLenP2: u32(16, 'TIPC_NLA_STATS_MSG_LEN_P2', 'profile: 257..1024 bytes'),
        msgLenP3: u32(17, 'TIPC_NLA_STATS_MSG_LEN_P3', 'profile: 1025..4096 bytes'),
        msgLenP4: u32(18, 'TIPC_NLA_STATS_MSG_LEN_P4', 'profile: 4097..16384 bytes'),
        msgLenP5: u32(19, 'TIPC_NLA_STATS_MSG_LEN_P5', 'profile: 16385..32768 bytes'),
        msgLenP6: u32(20, 'TIPC_NLA_STATS_MSG_LEN_P6', 'profile: more than 32768 bytes'),
        rxStates: u32(21, 'TIPC_NLA_STATS_RX_STATES', 'state messages received'),
        rxProbes: u32(22, 'TIPC_NLA_STATS_RX_PROBES', 'probes received'),
        rxNacks: u32(23, 'TIPC_NLA_STATS_RX_NACKS', 'negative acknowledgements received'),
        rxDeferred: u32(24, 'TIPC_NLA_STATS_RX_DEFERRED', 'packets received out of order (deferred)'),
        txStates: u32(25, 'TIPC_NLA_STATS_TX_STATES', 'state messages sent'),
        txProbes: u32(26, 'TIPC_NLA_STATS_TX_PROBES', 'probes sent'),
        txNacks: u32(27, 'TIPC_NLA_STATS_TX_NACKS', 'negative acknowledgements sent'),
        txAcks: u32(28, 'TIPC_NLA_STATS_TX_ACKS', 'acknowledgements sent'),
        retransmitted: u32(29, 'TIPC_NLA_STATS_RETRANSMITTED', 'packets retransmitted'),
        duplicates: u32(30, 'TIPC_NLA_STATS_DUPLICATES', 'duplicate packets received'),
        linkCongs: u32(31, 'TIPC_NLA_STATS_LINK_CONGS', 'times the link was congested'),
        maxQueue: u32(32, 'TIPC_NLA_STATS_MAX_QUEUE', 'longest send queue seen'),
        avgQueue: u32(33, 'TIPC_NLA_STATS_AVG_QUEUE', 'average send queue length'),
    },
} as const satisfies { readonly [set: string]: { readonly [key: string]: AttrSpec & Required<AttrMeta> } };

export type TipcSchema = typeof tipcSchema;
export type TipcSet = keyof TipcSchema;
