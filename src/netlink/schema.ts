// The TIPCv2 generic-netlink UAPI (include/uapi/linux/tipc_netlink.h, unchanged since
// Linux 5.10) as one declarative table. The codec and every decoded/encodable TypeScript
// type are derived from it, so a new attribute is added here and nowhere else.

/** Wire types. 'pad' marks alignment-only attributes the kernel emits before u64s. */
export type AttrType =
  | 'u8' | 'u16' | 'u32' | 'u64' | 's32'
  | 'string' | 'binary' | 'flag' | 'sockaddr' | 'u32array' | 'pad' | 'nested';

export type AttrSpec =
  | { readonly id: number; readonly type: Exclude<AttrType, 'nested'> }
  | { readonly id: number; readonly type: 'nested'; readonly set: string };

export type AttrSetSpec = { readonly [key: string]: AttrSpec };
export type SchemaSpec = { readonly [set: string]: AttrSetSpec };

export const TIPC_GENL = { name: 'TIPCv2', version: 1 } as const;

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

const u32 = (id: number) => ({ id, type: 'u32' }) as const;
const u64 = (id: number) => ({ id, type: 'u64' }) as const;
const str = (id: number) => ({ id, type: 'string' }) as const;
const bin = (id: number) => ({ id, type: 'binary' }) as const;
const flag = (id: number) => ({ id, type: 'flag' }) as const;
const pad = (id: number) => ({ id, type: 'pad' }) as const;
const sockaddr = (id: number) => ({ id, type: 'sockaddr' }) as const;
const u32array = (id: number) => ({ id, type: 'u32array' }) as const;
const nest = <S extends string>(id: number, set: S) => ({ id, type: 'nested', set }) as const;

export const tipcSchema = {
  // TIPC_NLA_*: every top-level attribute is a nest.
  top: {
    bearer: nest(1, 'bearer'),
    sock: nest(2, 'sock'),
    publ: nest(3, 'publ'),
    link: nest(4, 'link'),
    media: nest(5, 'media'),
    node: nest(6, 'node'),
    net: nest(7, 'net'),
    nameTable: nest(8, 'nameTable'),
    mon: nest(9, 'mon'),
    monPeer: nest(10, 'monPeer'),
  },
  // UDP_GET_REMOTEIP dump replies put TIPC_NLA_UDP_REMOTE (2) at top level, where 2
  // would otherwise mean SOCK: decode those payloads with this set instead of 'top'.
  udpRemoteIpReply: {
    remote: sockaddr(2),
  },
  bearer: {
    name: str(1),
    prop: nest(2, 'prop'),
    domain: u32(3),
    udpOpts: nest(4, 'udp'),
  },
  udp: {
    local: sockaddr(1),
    remote: sockaddr(2),
    multiRemoteip: flag(3),
  },
  // Attributes 5..12 only come from the sock_diag interface, not from SOCK_GET.
  sock: {
    addr: u32(1),
    ref: u32(2),
    con: nest(3, 'con'),
    hasPubl: flag(4),
    stat: nest(5, 'sockStat'),
    type: u32(6),
    ino: u32(7),
    uid: u32(8),
    tipcState: u32(9),
    cookie: u64(10),
    pad: pad(11),
    group: nest(12, 'sockGroup'),
  },
  con: {
    flag: flag(1),
    node: u32(2),
    sock: u32(3),
    type: u32(4),
    inst: u32(5),
  },
  // 0-based enum in the UAPI (no UNSPEC), so type 0 is a real attribute here.
  sockStat: {
    rcvq: u32(0),
    sendq: u32(1),
    linkCong: flag(2),
    connCong: flag(3),
    drop: u32(4),
  },
  // 0-based as well.
  sockGroup: {
    id: u32(0),
    open: flag(1),
    nodeScope: flag(2),
    clusterScope: flag(3),
    instance: u32(4),
    bcSendNext: u32(5),
  },
  publ: {
    type: u32(1),
    lower: u32(2),
    upper: u32(3),
    scope: u32(4),
    node: u32(5),
    ref: u32(6),
    key: u32(7),
  },
  nameTable: {
    publ: nest(1, 'publ'),
  },
  link: {
    name: str(1),
    dest: u32(2),
    mtu: u32(3),
    broadcast: flag(4),
    up: flag(5),
    active: flag(6),
    prop: nest(7, 'prop'),
    stats: nest(8, 'stats'),
    rx: u32(9),
    tx: u32(10),
  },
  media: {
    name: str(1),
    prop: nest(2, 'prop'),
  },
  node: {
    addr: u32(1),
    up: flag(2),
    id: bin(3),
    key: bin(4), // struct tipc_aead_key
    keyMaster: flag(5),
    rekeying: u32(6),
  },
  // NODEID/NODEID_W1 are the 16 identity bytes copied raw into two host-order u64s;
  // see identity.ts. The kernel aligns them with pad attributes of type 0.
  net: {
    id: u32(1),
    addr: u32(2),
    nodeid: u64(3),
    nodeidW1: u64(4),
    addrLegacy: flag(5),
  },
  mon: {
    activationThreshold: u32(1),
    ref: u32(2),
    active: flag(3),
    bearerName: str(4),
    peercnt: u32(5),
    listgen: u32(6),
  },
  monPeer: {
    addr: u32(1),
    domgen: u32(2),
    applied: u32(3),
    upmap: u64(4),
    members: u32array(5),
    up: flag(6),
    head: flag(7),
    local: flag(8),
    pad: pad(9),
  },
  // Shared by link, media and bearer.
  prop: {
    prio: u32(1),
    tol: u32(2),
    win: u32(3),
    mtu: u32(4),
    broadcast: u32(5),
    broadcastRatio: u32(6),
  },
  stats: {
    rxInfo: u32(1),
    rxFragments: u32(2),
    rxFragmented: u32(3),
    rxBundles: u32(4),
    rxBundled: u32(5),
    txInfo: u32(6),
    txFragments: u32(7),
    txFragmented: u32(8),
    txBundles: u32(9),
    txBundled: u32(10),
    msgProfTot: u32(11),
    msgLenCnt: u32(12),
    msgLenTot: u32(13),
    msgLenP0: u32(14),
    msgLenP1: u32(15),
    msgLenP2: u32(16),
    msgLenP3: u32(17),
    msgLenP4: u32(18),
    msgLenP5: u32(19),
    msgLenP6: u32(20),
    rxStates: u32(21),
    rxProbes: u32(22),
    rxNacks: u32(23),
    rxDeferred: u32(24),
    txStates: u32(25),
    txProbes: u32(26),
    txNacks: u32(27),
    txAcks: u32(28),
    retransmitted: u32(29),
    duplicates: u32(30),
    linkCongs: u32(31),
    maxQueue: u32(32),
    avgQueue: u32(33),
  },
} as const satisfies SchemaSpec;

export type TipcSchema = typeof tipcSchema;
export type TipcSet = keyof TipcSchema;
