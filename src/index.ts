/**
 * tipcx as a library: `import { withSession, listLinks } from 'tipcx'`.
 *
 * The same operations the CLI runs (src/tipc: no printing, typed records,
 * kernel refusals as OperationError sentences), the schema-first TIPC netlink
 * codec, node identity helpers, crossover verdicts and discovery frame
 * decoding. Every operation takes a TipcSession, opened in the current or a
 * named network namespace. See docs/library.md.
 */

// Sessions and namespaces
export { TipcSession, withSession, type SessionOptions, type ErrnoSentences } from './tipc/session.js';
export { listNamedNetns, withNetns, type NetnsRef } from './netlink/netns.js';

// Errors, with the CLI's exit code on each
export {
    ExitCode,
    TipcxError,
    UsageError,
    OperationError,
    FailureError,
    EnvironmentError,
    TimeoutError,
    InterruptedError,
} from './errors.js';

// Operations
export {
    listPeerNodes,
    getOwnNet,
    getOwnAddress,
    setOwnNet,
    type PeerNode,
    type OwnNet,
    type NetChange,
} from './tipc/node.js';
export {
    listBearers,
    enableBearer,
    disableBearer,
    bearerName,
    udpEndpoints,
    getBearer,
    getBearerProperty,
    setBearerProperty,
    addRemoteIp,
    listRemoteIps,
    type Bearer,
    type BearerEnable,
    type BearerProperty,
    type BearerRecord,
    type Media,
    type UdpEndpoints,
} from './tipc/bearer.js';
export {
    listLinks,
    getLink,
    getLinkProperty,
    setLinkProperty,
    getBroadcastSetting,
    setBroadcastSetting,
    dumpLinkStatistics,
    resetLinkStatistics,
    BROADCAST_LINK,
    type Link,
    type LinkProperty,
    type BroadcastSetting,
} from './tipc/link.js';
export { listMedia, getMediaProperty, setMediaProperty, type MediaRecord, type MediaProperty } from './tipc/media.js';
export { showNameTable, type NameTable, type Publication } from './tipc/nametable.js';
export { listSockets, type TipcSocketInfo } from './tipc/socket.js';

// The topology as a stream of events (tipcx events)
export {
    watchTopology,
    crossoverVerdictLookup,
    type TopologyEvent,
    type NodeEvent,
    type LinkEvent,
    type ServiceEvent,
    type NamespaceEvent,
    type ConnectionEvent,
    type EventOrigin,
    type EventKinds,
    type EventScope,
    type WatchOptions,
    type PeerVerdict,
} from './tipc/events.js';
export {
    encodeSubscription,
    decodeSubscription,
    decodeTopologyMessage,
    encodeTopologyMessage,
    TopologyCodecError,
    TIPC_TOP_SRV,
    TIPC_NODE_STATE,
    TIPC_LINK_STATE,
    TIPC_MAX_SUBSCR,
    TIPC_WAIT_FOREVER,
    TIPC_SUB_PORTS,
    TIPC_SUB_SERVICE,
    TIPC_SUB_CANCEL,
    TIPC_PUBLISHED,
    TIPC_WITHDRAWN,
    TIPC_SUBSCR_TIMEOUT,
    type ServiceRange,
    type Subscription,
    type TopologyMessage,
} from './tipc/topology.js';

// Crossover verdicts (netns shortcut) and discovery frames
export {
    VERDICTS,
    decideVerdict,
    gatherCrossover,
    crossoverSupported,
    type Verdict,
    type VerdictInput,
    type CrossoverRow,
    type GatherOptions,
} from './tipc/crossover.js';
export {
    decodeLinkFrame,
    tryDecodeLinkFrame,
    decodeEthernet,
    decodeTipc,
    DecodeError,
    LinkType,
    type DecodedFrame,
    type DiscoveryFrame,
    type TipcFrame,
} from './discovery/frame.js';
export { readCapture, type CapturedPacket } from './discovery/pcap.js';

// The codec, schema and identities
export {
    encodeMessage,
    decodeMessage,
    encodeAttrs,
    decodeAttrs,
    genlHeader,
    UNKNOWN,
    CodecError,
    type Decoded,
    type Encodable,
    type TipcMessage,
    type SockAddr,
} from './netlink/codec.js';
export { TipcCmd, TIPC_GENL, tipcSchema, type TipcSchema, type TipcSet } from './netlink/schema.js';
export { parseNodeId, nodeIdToString, formatHash, NODE_ID_LEN } from './netlink/identity.js';
