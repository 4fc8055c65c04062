/**
 * The tipcx command tree: iproute2's tipc tree word for word (so every unique
 * prefix that works with `tipc` works here), plus tipcx-only words marked
 * `extension`.
 *
 * Data only. Command modules are reached through `load: () => import(…)` and
 * never imported statically, so help, version and completion load no netlink
 * code. A leaf without `load` reports "not implemented yet". Several leaves may
 * share one module (`link get priority|tolerance|window` → one file reading
 * `ctx.path`).
 *
 * Where iproute2 matches the property as a command word (`node get identity`,
 * `link set priority 5 link L`) it is a child node here, so prefix matching and
 * its ambiguities (`bearer get m` = mtu/media) are the same; the word after a
 * property that iproute2 takes as its value is the leaf's `value`.
 */
import type { CommandNode, GroupNode, LeafNode, OptionSpec, ValueSpec } from '../cli/registry.js';
import { U32_MAX, integerIn, mediaType, oneOf, textUpTo, wordOrIntegerIn } from '../cli/validators.js';

// ---------------------------------------------------------------- shared limits

// Kernel limits (tipc_netlink.h, net/tipc): link priority 0..31; tolerance
// 50..30000 ms; window 16..8191 (50..8191 since Linux 5.6 — the kernel judges).
const PRIORITY = integerIn(0, 31);
const TOLERANCE = integerIn(50, 30000);
const WINDOW = integerIn(16, 8191);
const MTU = integerIn(0, U32_MAX);
const PORT = integerIn(1, 65535);
const IF_NAME = textUpTo(15); // IFNAMSIZ 16 incl. NUL; also the udp bearer name limit
const LINK_NAME = textUpTo(67); // TIPC_MAX_LINK_NAME 68 incl. NUL

type Property = 'priority' | 'tolerance' | 'window' | 'mtu';

const PROPERTY_VALUES: Record<Property, ValueSpec> = {
    priority: { placeholder: 'PRIORITY', description: 'link priority, 0..31', validate: PRIORITY },
    tolerance: { placeholder: 'TOLERANCE', description: 'link tolerance in ms, 50..30000', validate: TOLERANCE },
    window: { placeholder: 'WINDOW', description: 'link window in packets, 16..8191', validate: WINDOW },
    mtu: { placeholder: 'MTU', description: 'MTU in bytes (udp only; the kernel wants at least 128)', validate: MTU },
};

// ---------------------------------------------------------------- option tables

const bearerMedia = (required: boolean): OptionSpec => ({
    key: 'media',
    takesValue: true,
    placeholder: 'MEDIA',
    description: 'eth, ib or udp',
    validate: mediaType,
    ...(required ? { required: 'error, missing bearer media' } : {}),
});
const DEVICE: OptionSpec = {
    key: 'device', takesValue: true, placeholder: 'DEVICE',
    description: 'network interface of an eth or ib bearer', validate: IF_NAME,
};
const NAME: OptionSpec = {
    key: 'name', takesValue: true, placeholder: 'NAME', description: 'name of a udp bearer', validate: IF_NAME,
};
/** media + device|name: how bearer enable/disable/set/get and monitor list name a bearer. */
const BEARER_ID: readonly OptionSpec[] = [bearerMedia(true), DEVICE, NAME];
/**
 * mtu exists for udp bearers only; `device` stays accepted (hidden) so that
 * `media eth device eth0` reaches the command's `error, not supported for media`.
 */
const bearerIdFor = (property: Property): readonly OptionSpec[] =>
    property === 'mtu' ? [bearerMedia(true), { ...DEVICE, hidden: true }, NAME] : BEARER_ID;

const LINK: OptionSpec = {
    key: 'link', takesValue: true, placeholder: 'LINK', description: 'link name, as shown by "link list"',
    validate: LINK_NAME, required: true,
};
const MEDIA_NAME: OptionSpec = {
    key: 'media', takesValue: true, placeholder: 'MEDIA', description: 'eth, ib or udp',
    validate: mediaType, required: 'error, missing media',
};

// ---------------------------------------------------------------- bearer

const bearerAdd: GroupNode = {
    name: 'add',
    summary: 'Add a remote IP (replicast peer) to a udp bearer',
    help: `Usage: tipcx bearer add media udp name NAME remoteip IP [remoteport PORT]

Adds one peer address to an enabled udp bearer, for networks without
multicast. Adding a known address again is a silent success. The kernel
offers no way to remove an address short of disabling the bearer.

Options:
  media udp          only udp bearers have remote addresses
  name NAME          the udp bearer (as given to "bearer enable")
  remoteip IP        peer IPv4 or IPv6 address
  remoteport PORT    peer UDP port (default 6118)

Examples:
  tipcx bearer add media udp name u1 remoteip 10.0.0.9
  tipcx bearer add media udp name u1 remoteip fd00::9 remoteport 6200
`,
    children: [
        {
            name: 'media',
            load: () => import('./bearer/add.js'),
            summary: 'Add a remote IP to a udp bearer',
            help: `Usage: tipcx bearer add media udp name NAME remoteip IP [remoteport PORT]

Options:
  media udp          only udp bearers have remote addresses
  name NAME          the udp bearer
  remoteip IP        peer IPv4 or IPv6 address
  remoteport PORT    peer UDP port (default 6118)

Examples:
  tipcx bearer add media udp name u1 remoteip 10.0.0.9
`,
            wordIsOption: true,
            options: [
                { key: 'media', takesValue: true, placeholder: 'udp', description: 'must be udp', validate: mediaType },
                { ...NAME, required: 'error, missing media name' },
                { key: 'remoteip', takesValue: true, placeholder: 'IP', description: 'peer address', required: 'error, missing remoteip' },
                { key: 'remoteport', takesValue: true, placeholder: 'PORT', description: 'peer UDP port (default 6118)', validate: PORT },
            ],
        },
    ],
};

const bearerEnable: LeafNode = {
    name: 'enable',
    load: () => import('./bearer/enable.js'),
    summary: 'Enable a bearer',
    help: `Usage: tipcx bearer enable [domain DOMAIN] [priority PRIORITY] media {eth|ib} device DEVICE
       tipcx bearer enable [domain DOMAIN] [priority PRIORITY] media udp name NAME
                           {localip IP | device DEVICE} [localport PORT]
                           [remoteip IP] [remoteport PORT]

Starts TIPC on a network interface (eth, ib) or a UDP socket (udp). At most
three bearers per namespace. The first bearer also fixes the node identity
if none was set. Options may come in any order.

Options:
  media MEDIA          eth, ib or udp
  device DEVICE        interface (eth, ib); for udp: use its first address
  name NAME            udp bearer name, 1..15 characters
  priority PRIORITY    link priority 0..31 (default: the media's)
  domain DOMAIN        discovery domain (legacy, decimal)
  localip IP           udp: local address to bind
  localport PORT       udp: local port (default 6118)
  remoteip IP          udp: peer or multicast address (default: a multicast
                       group derived from the cluster id)
  remoteport PORT      udp: remote port (default 6118)

Examples:
  tipcx bearer enable media eth device eth0
  tipcx bearer enable priority 5 media eth device eth1
  tipcx bearer enable media udp name u1 localip 10.0.0.1
  tipcx bearer enable media udp name u1 localip 10.0.0.1 remoteip 10.0.0.2
`,
    options: [
        ...BEARER_ID,
        { key: 'domain', takesValue: true, placeholder: 'DOMAIN', description: 'discovery domain', validate: integerIn(0, U32_MAX) },
        // 32 is the kernel's "use the media default" sentinel; iproute2 passes it through.
        { key: 'priority', takesValue: true, placeholder: 'PRIORITY', description: 'link priority', validate: integerIn(0, 32) },
        { key: 'localip', takesValue: true, placeholder: 'IP', description: 'udp local address' },
        { key: 'localport', takesValue: true, placeholder: 'PORT', description: 'udp local port', validate: PORT },
        { key: 'remoteip', takesValue: true, placeholder: 'IP', description: 'udp remote address' },
        { key: 'remoteport', takesValue: true, placeholder: 'PORT', description: 'udp remote port', validate: PORT },
    ],
};

const bearerDisable: LeafNode = {
    name: 'disable',
    load: () => import('./bearer/disable.js'),
    summary: 'Disable a bearer',
    help: `Usage: tipcx bearer disable media {eth|ib} device DEVICE
       tipcx bearer disable media udp name NAME

Stops the bearer; its links go down at once.

Examples:
  tipcx bearer disable media eth device eth0
  tipcx bearer disable media udp name u1
`,
    options: BEARER_ID,
};

function bearerSetProperty(property: Property): LeafNode {
    const value = PROPERTY_VALUES[property];
    return {
        name: property,
        load: () => import('./bearer/set.js'),
        summary: `Set the bearer ${property}`,
        help: `${bearerUsage(`bearer set ${property} ${value.placeholder}`, property)}

${value.placeholder}: ${value.description}.
${property === 'tolerance' || property === 'mtu'
        ? 'Existing links of the bearer take the new value at once.'
        : 'Only links created after the change use the new value.'}

Examples:
  tipcx bearer set ${property} ${exampleValue(property)} media ${property === 'mtu' ? 'udp name u1' : 'eth device eth0'}
`,
        value,
        options: bearerIdFor(property),
    };
}

const bearerSet: GroupNode = {
    name: 'set',
    summary: 'Set a bearer property (priority, tolerance, window, mtu)',
    help: `Usage: tipcx bearer set PROPERTY VALUE media {eth|ib} device DEVICE
       tipcx bearer set PROPERTY VALUE media udp name NAME

Properties:
  priority PRIORITY    link priority, 0..31
  tolerance TOLERANCE  link tolerance in ms, 50..30000
  window WINDOW        link window in packets
  mtu MTU              MTU in bytes (udp bearers only)

Examples:
  tipcx bearer set tolerance 3000 media eth device eth0
  tipcx bearer set mtu 1400 media udp name u1
`,
    children: (['priority', 'tolerance', 'window', 'mtu'] as const).map(bearerSetProperty),
};

function bearerGetProperty(property: Property): LeafNode {
    return {
        name: property,
        load: () => import('./bearer/get.js'),
        summary: `Show the bearer ${property}`,
        help: `${bearerUsage(`bearer get ${property}`, property)}

Prints the bearer's ${property} as a number${property === 'mtu' ? ' (udp bearers only)' : ''}.

Examples:
  tipcx bearer get ${property} media ${property === 'mtu' ? 'udp name u1' : 'eth device eth0'}
`,
        options: bearerIdFor(property),
    };
}

const bearerGetMedia: LeafNode = {
    name: 'media',
    load: () => import('./bearer/get.js'),
    summary: "Show a udp bearer's local or remote addresses",
    help: `Usage: tipcx bearer get media udp name NAME {localip|localport|remoteip|remoteport}

Prints one UDP setting of a udp bearer. "remoteip" on a replicast bearer
lists every peer address added with "bearer add", one per line.

Examples:
  tipcx bearer get media udp name u1 localip
  tipcx bearer get media udp name u1 remoteip
`,
    wordIsOption: true,
    options: [
        { key: 'media', takesValue: true, placeholder: 'udp', description: 'must be udp', validate: mediaType },
        { ...NAME, required: 'error, missing media name' },
        { key: 'localip', takesValue: false, description: 'local address' },
        { key: 'localport', takesValue: false, description: 'local port' },
        { key: 'remoteip', takesValue: false, description: 'remote address(es)' },
        { key: 'remoteport', takesValue: false, description: 'remote port' },
    ],
};

const bearerGet: GroupNode = {
    name: 'get',
    summary: "Show a bearer property or a udp bearer's addresses",
    help: `Usage: tipcx bearer get PROPERTY media {eth|ib} device DEVICE
       tipcx bearer get PROPERTY media udp name NAME
       tipcx bearer get media udp name NAME {localip|localport|remoteip|remoteport}

Properties:
  priority     link priority
  tolerance    link tolerance in ms
  window       link window in packets
  mtu          MTU in bytes (udp bearers only)

"m" is ambiguous here (mtu, media), as in iproute2.

Examples:
  tipcx bearer get priority media eth device eth0
  tipcx bearer get media udp name u1 remoteip
`,
    children: [...(['priority', 'tolerance', 'window', 'mtu'] as const).map(bearerGetProperty), bearerGetMedia],
};

const bearerList: LeafNode = {
    name: 'list',
    load: () => import('./bearer/list.js'),
    summary: 'List enabled bearers',
    help: `Usage: tipcx bearer list

Prints one bearer name per line, as media:interface (eth:eth0, udp:u1).

Examples:
  tipcx bearer list
  tipcx -j bearer list
`,
};

const bearer: GroupNode = {
    name: 'bearer',
    summary: 'Show or modify bearers',
    help: `Usage: tipcx bearer COMMAND [ARGS]...

A bearer attaches TIPC to a network interface (eth, ib) or a UDP socket (udp).

Commands:
  add        add a remote IP (replicast peer) to a udp bearer
  enable     enable a bearer
  disable    disable a bearer
  set        set a bearer property (priority, tolerance, window, mtu)
  get        show a bearer property or a udp bearer's addresses
  list       list enabled bearers

Examples:
  tipcx bearer list
  tipcx bearer enable media eth device eth0
  tipcx bearer get tolerance media eth device eth0
`,
    children: [bearerAdd, bearerEnable, bearerDisable, bearerSet, bearerGet, bearerList],
};

// ---------------------------------------------------------------- link

function linkGetProperty(property: Exclude<Property, 'mtu'>): LeafNode {
    return {
        name: property,
        load: () => import('./link/get.js'),
        summary: `Show the link ${property}`,
        help: `Usage: tipcx link get ${property} link LINK

Prints the link's ${property} as a number; with -j: [{"${property}":N}].

Examples:
  tipcx link get ${property} link 1001001:eth0-1001002:eth0
  tipcx -j link get ${property} link 1001001:eth0-1001002:eth0
`,
        options: [LINK],
    };
}

const linkGetBroadcast: LeafNode = {
    name: 'broadcast',
    load: () => import('./link/get.js'),
    summary: 'Show how multicast is sent (broadcast, replicast, autoselect)',
    help: `Usage: tipcx link get broadcast

Prints BROADCAST, REPLICAST, or AUTOSELECT with its ratio.

Examples:
  tipcx link get broadcast
  tipcx -j link get broadcast
`,
};

const linkGet: GroupNode = {
    name: 'get',
    summary: 'Show a link property',
    help: `Usage: tipcx link get PROPERTY link LINK
       tipcx link get broadcast

Properties:
  priority     link priority
  tolerance    link tolerance in ms
  window       link window in packets
  broadcast    how multicast traffic is sent (no link needed)

Examples:
  tipcx link get tolerance link 1001001:eth0-1001002:eth0
  tipcx link get broadcast
`,
    children: [...(['priority', 'tolerance', 'window'] as const).map(linkGetProperty), linkGetBroadcast],
};

function linkSetProperty(property: Exclude<Property, 'mtu'>): LeafNode {
    const value = PROPERTY_VALUES[property];
    return {
        name: property,
        load: () => import('./link/set.js'),
        summary: `Set the link ${property}`,
        help: `Usage: tipcx link set ${property} ${value.placeholder} link LINK

${value.placeholder}: ${value.description}.

Examples:
  tipcx link set ${property} ${exampleValue(property)} link 1001001:eth0-1001002:eth0
`,
        value,
        options: [LINK],
    };
}

const linkSetBroadcast: LeafNode = {
    name: 'broadcast',
    load: () => import('./link/set.js'),
    summary: 'Choose how multicast is sent',
    help: `Usage: tipcx link set broadcast {BROADCAST | REPLICAST | AUTOSELECT [ratio PERCENT]}
       tipcx link set broadcast ratio PERCENT

Modes (upper case, as in iproute2; unique prefixes such as AUTO work):
  BROADCAST      always send multicast as one broadcast
  REPLICAST      always send one copy per destination node
  AUTOSELECT     broadcast when destinations exceed PERCENT of the cluster
  ratio PERCENT  the AUTOSELECT threshold, 1..100 (default 10)

Examples:
  tipcx link set broadcast REPLICAST
  tipcx link set broadcast AUTOSELECT ratio 25
`,
    options: [
        { key: 'BROADCAST', takesValue: false, description: 'broadcast only' },
        { key: 'REPLICAST', takesValue: false, description: 'replicast only' },
        { key: 'AUTOSELECT', takesValue: false, description: 'choose by ratio' },
        { key: 'ratio', takesValue: true, placeholder: 'PERCENT', description: 'AUTOSELECT threshold', validate: integerIn(1, 100) },
    ],
};

const linkSet: GroupNode = {
    name: 'set',
    summary: 'Set a link property',
    help: `Usage: tipcx link set PROPERTY VALUE link LINK
       tipcx link set broadcast {BROADCAST | REPLICAST | AUTOSELECT [ratio PERCENT]}

Properties:
  priority PRIORITY    link priority, 0..31
  tolerance TOLERANCE  link tolerance in ms, 50..30000
  window WINDOW        link window in packets
  broadcast MODE       how multicast traffic is sent

Examples:
  tipcx link set tolerance 3000 link 1001001:eth0-1001002:eth0
  tipcx link set broadcast AUTOSELECT ratio 25
`,
    children: [...(['priority', 'tolerance', 'window'] as const).map(linkSetProperty), linkSetBroadcast],
};

const linkStatistics: GroupNode = {
    name: 'statistics',
    summary: 'Show or reset link statistics',
    help: `Usage: tipcx link statistics {show [link {LINK|SUBSTRING|all}] | reset link LINK}

Commands:
  show     show counters of every link, or of the links whose name
           contains SUBSTRING (with "link", broadcast receiver links too)
  reset    zero the counters of one link

Examples:
  tipcx link statistics show
  tipcx -j -p link stat show link all
  tipcx link statistics reset link 1001001:eth0-1001002:eth0
`,
    children: [
        {
            name: 'show',
            load: () => import('./link/statistics-show.js'),
            summary: 'Show link counters',
            help: `Usage: tipcx link statistics show [link {LINK|SUBSTRING|all}]

Without "link": the broadcast link and every unicast link. With "link": also
the per-peer broadcast receiver links, filtered by name substring ("all" = no
filter).

Examples:
  tipcx link statistics show
  tipcx link statistics show link eth0
  tipcx -j link statistics show link all
`,
            options: [{ ...LINK, required: false, placeholder: 'LINK|SUBSTRING|all', description: 'filter by link name' }],
        },
        {
            name: 'reset',
            load: () => import('./link/statistics-reset.js'),
            summary: "Zero one link's counters",
            help: `Usage: tipcx link statistics reset link LINK

LINK may also be broadcast-link, or broadcast-link:PEER for a receiver link.

Examples:
  tipcx link statistics reset link 1001001:eth0-1001002:eth0
  tipcx link statistics reset link broadcast-link
`,
            options: [LINK],
        },
    ],
};

const linkMonitor: GroupNode = {
    name: 'monitor',
    summary: 'Show or set the kernel neighbour monitoring',
    help: `Usage: tipcx link monitor COMMAND [ARGS]...

The kernel's neighbour-monitoring algorithm (link supervision), not a live
view; for live statistics see "tipcx top".

Commands:
  set       set a monitor property (threshold)
  get       show a monitor property (threshold)
  list      list the monitored cluster members per bearer
  summary   show the local node's monitor state per bearer

"s" is ambiguous here (set, summary), as in iproute2.

Examples:
  tipcx link monitor summary
  tipcx link monitor set threshold 64
`,
    children: [
        {
            name: 'set',
            summary: 'Set a monitor property',
            help: `Usage: tipcx link monitor set threshold SIZE

Properties:
  threshold SIZE   cluster size from which overlapping-ring monitoring
                   replaces full mesh, 0..4095 (default 32)

Examples:
  tipcx link monitor set threshold 64
`,
            children: [
                {
                    name: 'threshold',
                    load: () => import('./link/monitor/threshold.js'),
                    summary: 'Set the monitor activation threshold',
                    help: `Usage: tipcx link monitor set threshold SIZE

SIZE: cluster size from which overlapping-ring monitoring is used, 0..4095.

Examples:
  tipcx link monitor set threshold 64
`,
                    value: { placeholder: 'SIZE', description: 'activation threshold, 0..4095', validate: integerIn(0, 4095) },
                },
            ],
        },
        {
            name: 'get',
            summary: 'Show a monitor property',
            help: `Usage: tipcx link monitor get threshold

Properties:
  threshold   cluster size from which overlapping-ring monitoring is used

Examples:
  tipcx link monitor get threshold
`,
            children: [
                {
                    name: 'threshold',
                    load: () => import('./link/monitor/threshold.js'),
                    summary: 'Show the monitor activation threshold',
                    help: `Usage: tipcx link monitor get threshold

Examples:
  tipcx link monitor get threshold
  tipcx -j link monitor get threshold
`,
                },
            ],
        },
        {
            name: 'list',
            load: () => import('./link/monitor/list.js'),
            summary: 'List monitored cluster members',
            help: `Usage: tipcx link monitor list [media {eth|ib} device DEVICE | media udp name NAME]

Shows, per bearer (or for the one bearer given), each peer's state as the
monitoring algorithm sees it.

Examples:
  tipcx link monitor list
  tipcx link monitor list media eth device eth0
`,
            options: [bearerMedia(false), DEVICE, NAME],
        },
        {
            name: 'summary',
            load: () => import('./link/monitor/summary.js'),
            summary: "Show the local node's monitor state",
            help: `Usage: tipcx link monitor summary

Per bearer: table generation, cluster size and algorithm in use.

Examples:
  tipcx link monitor summary
  tipcx -j link monitor summary
`,
        },
    ],
};

const link: GroupNode = {
    name: 'link',
    summary: 'Show or modify links',
    help: `Usage: tipcx link COMMAND [ARGS]...

Commands:
  list         list links and whether they are up
  get          show a link property
  set          set a link property
  statistics   show or reset link counters
  monitor      show or set the kernel neighbour monitoring

"s" is ambiguous here (set, statistics), as in iproute2.

Examples:
  tipcx link list
  tipcx l l
  tipcx link statistics show link all
`,
    children: [
        {
            name: 'list',
            summary: 'List links and their state',
            load: () => import('./link/list.js'),
            help: `Usage: tipcx link list

Prints "NAME: up|down" per link, the broadcast link first.

Examples:
  tipcx link list
  tipcx -j link list
`,
        },
        linkGet,
        linkSet,
        linkStatistics,
        linkMonitor,
    ],
};

// ---------------------------------------------------------------- media

function mediaGetProperty(property: Property): LeafNode {
    return {
        name: property,
        load: () => import('./media/get.js'),
        summary: `Show the media ${property}`,
        help: `Usage: tipcx media get ${property} media MEDIA

Prints the ${property} new bearers of MEDIA (eth, ib, udp) start with${property === 'mtu' ? ' (udp only)' : ''}.

Examples:
  tipcx media get ${property} media ${property === 'mtu' ? 'udp' : 'eth'}
`,
        options: [MEDIA_NAME],
    };
}

function mediaSetProperty(property: Property): LeafNode {
    const value = PROPERTY_VALUES[property];
    return {
        name: property,
        load: () => import('./media/set.js'),
        summary: `Set the media ${property}`,
        help: `Usage: tipcx media set ${property} ${value.placeholder} media MEDIA

${value.placeholder}: ${value.description}.
Only bearers enabled later use it.

Examples:
  tipcx media set ${property} ${exampleValue(property)} media ${property === 'mtu' ? 'udp' : 'eth'}
`,
        value,
        options: [MEDIA_NAME],
    };
}

const media: GroupNode = {
    name: 'media',
    summary: 'Show or modify media',
    help: `Usage: tipcx media COMMAND [ARGS]...

Media (eth, ib, udp) hold the defaults that new bearers start with.

Commands:
  list    list media types the kernel supports
  get     show a media default (priority, tolerance, window, mtu)
  set     set a media default

Examples:
  tipcx media list
  tipcx media get tolerance media eth
  tipcx media set mtu 1400 media udp
`,
    children: [
        {
            name: 'list',
            load: () => import('./media/list.js'),
            summary: 'List media types',
            help: `Usage: tipcx media list

Examples:
  tipcx media list
`,
        },
        {
            name: 'get',
            summary: 'Show a media default',
            help: `Usage: tipcx media get PROPERTY media MEDIA

Properties:
  priority     link priority
  tolerance    link tolerance in ms
  window       link window in packets
  mtu          MTU in bytes (udp only)

Examples:
  tipcx media get priority media eth
`,
            children: (['priority', 'tolerance', 'window', 'mtu'] as const).map(mediaGetProperty),
        },
        {
            name: 'set',
            summary: 'Set a media default',
            help: `Usage: tipcx media set PROPERTY VALUE media MEDIA

Properties:
  priority PRIORITY    link priority, 0..31
  tolerance TOLERANCE  link tolerance in ms, 50..30000
  window WINDOW        link window in packets
  mtu MTU              MTU in bytes (udp only)

Examples:
  tipcx media set tolerance 3000 media eth
`,
            children: (['priority', 'tolerance', 'window', 'mtu'] as const).map(mediaSetProperty),
        },
    ],
};

// ---------------------------------------------------------------- nametable

const nametable: GroupNode = {
    name: 'nametable',
    summary: 'Show the name table',
    help: `Usage: tipcx nametable show

Commands:
  show    list every service binding in the cluster

Examples:
  tipcx nametable show
`,
    children: [
        {
            name: 'show',
            load: () => import('./nametable/show.js'),
            summary: 'List service bindings',
            help: `Usage: tipcx nametable show

Columns: Type Lower Upper Scope Port Node.

Examples:
  tipcx nametable show
  tipcx -j nametable show | jq '.[] | select(.type == 1000)'
`,
        },
    ],
};

// ---------------------------------------------------------------- node

const NODE_ID_VALUE: ValueSpec = {
    placeholder: 'NODEID',
    description: 'up to 16 name characters [0-9a-zA-Z-_.:@], or up to 32 hex digits',
};
const CLUSTER_ID_VALUE: ValueSpec = {
    placeholder: 'CLUSTERID', description: 'cluster (network) id, 1..9999', validate: integerIn(1, 9999),
};

const nodeGet: GroupNode = {
    name: 'get',
    summary: 'Show a local node parameter',
    help: `Usage: tipcx node get {identity | clusterid}

Properties:
  identity     the node's 128-bit identity and its 32-bit hash
  clusterid    the cluster (network) id

Examples:
  tipcx node get identity
  tipcx node get clusterid
`,
    children: [
        {
            name: 'address',
            load: () => import('./node/get.js'),
            hidden: true,
            summary: "Show the node's 32-bit address (legacy)",
            help: `Usage: tipcx node get address

Prints the own 32-bit address (the identity hash) in hex.

Examples:
  tipcx node get address
`,
        },
        {
            name: 'identity',
            load: () => import('./node/get.js'),
            summary: "Show the node's identity and hash",
            help: `Usage: tipcx node get identity

Examples:
  tipcx node get identity
  tipcx -n ns1 node get identity
`,
        },
        {
            name: 'netid',
            load: () => import('./node/get.js'),
            hidden: true,
            summary: 'Show the cluster id (old name)',
            help: `Usage: tipcx node get netid

Same as "node get clusterid".

Examples:
  tipcx node get netid
`,
        },
        {
            name: 'clusterid',
            load: () => import('./node/get.js'),
            summary: 'Show the cluster id',
            help: `Usage: tipcx node get clusterid

Examples:
  tipcx node get clusterid
`,
        },
    ],
};

const nodeSetKey: LeafNode = {
    name: 'key',
    load: () => import('./node/key.js'),
    summary: 'Set a symmetric encryption key',
    help: `Usage: tipcx node set key KEY [algname ALGNAME] [nodeid NODEID | master] [rekeying {MINUTES|now}]
       tipcx node set key rekeying {MINUTES|now}

KEY is AES key plus 4-byte salt (16, 24 or 32 octets + 4), as ASCII text or
hex after 0x. Without nodeid or master it becomes the cluster key.

Options:
  algname ALGNAME     cipher (default "gcm(aes)", the only one the kernel has)
  nodeid NODEID       per-node key for this node (TX) or a peer (RX)
  master              use KEY as the cluster master key
  rekeying MINUTES    rekeying interval; 0 disables; "now" rekeys at once

Examples:
  tipcx node set key this_is_a_master_key master
  tipcx node set key 0x746869735F69735F615F6B657931365F73616C74
  tipcx node set key this_is_a_key16_salt nodeid 1001002
  tipcx node set key rekeying 600
`,
    value: { placeholder: 'KEY', description: 'key and salt, ASCII or 0x-hex', optional: true },
    options: [
        { key: 'algname', takesValue: true, placeholder: 'ALGNAME', description: 'cipher algorithm' },
        { key: 'nodeid', takesValue: true, placeholder: 'NODEID', description: 'per-node key target' },
        { key: 'master', takesValue: false, description: 'cluster master key' },
        {
            key: 'rekeying', takesValue: true, placeholder: 'MINUTES|now', description: 'rekeying interval',
            // 0xFFFFFFFF is the kernel's "now" sentinel, so the largest interval is one less.
            validate: wordOrIntegerIn(['now'], 0, U32_MAX - 1),
        },
    ],
};

const nodeSet: GroupNode = {
    name: 'set',
    summary: 'Set a local node parameter',
    help: `Usage: tipcx node set {identity NODEID | clusterid CLUSTERID | key KEY [ARGS]...}

Properties:
  identity NODEID       the node identity (before the first bearer is enabled)
  clusterid CLUSTERID   the cluster id, 1..9999 (default 4711)
  key KEY               a symmetric encryption key ("node set key -h")

The kernel refuses identity and cluster id changes once the node has joined
a network (EPERM).

Examples:
  tipcx node set identity mynode-1
  tipcx node set clusterid 4712
  tipcx node set key this_is_a_master_key master
`,
    children: [
        {
            name: 'address',
            load: () => import('./node/set.js'),
            hidden: true,
            summary: 'Set the legacy Z.C.N address',
            help: `Usage: tipcx node set address Z.C.N

Legacy 32-bit addressing (zone 0..255, cluster and node 0..4095).

Examples:
  tipcx node set address 1.1.100
`,
            value: { placeholder: 'ADDRESS', description: 'Z.C.N' },
        },
        {
            name: 'identity',
            load: () => import('./node/set.js'),
            summary: 'Set the node identity',
            help: `Usage: tipcx node set identity NODEID

NODEID: ${NODE_ID_VALUE.description}.
Short name-like ids are taken as text ("1001002" is seven characters, not
hex); give 17..32 hex digits for a hex identity.

Examples:
  tipcx node set identity mynode-1
  tipcx node set identity 0123456789abcdef0123456789abcdef
`,
            value: NODE_ID_VALUE,
        },
        {
            name: 'netid',
            load: () => import('./node/set.js'),
            hidden: true,
            summary: 'Set the cluster id (old name)',
            help: `Usage: tipcx node set netid CLUSTERID

Same as "node set clusterid".

Examples:
  tipcx node set netid 4712
`,
            value: CLUSTER_ID_VALUE,
        },
        {
            name: 'clusterid',
            load: () => import('./node/set.js'),
            summary: 'Set the cluster id',
            help: `Usage: tipcx node set clusterid CLUSTERID

CLUSTERID: ${CLUSTER_ID_VALUE.description}. Nodes only talk within one cluster id.

Examples:
  tipcx node set clusterid 4712
`,
            value: CLUSTER_ID_VALUE,
        },
        nodeSetKey,
    ],
};

const node: GroupNode = {
    name: 'node',
    summary: 'Show or modify node parameters',
    help: `Usage: tipcx node COMMAND [ARGS]...

Commands:
  list     list cluster nodes and whether they are up
  get      show a local node parameter (identity, clusterid)
  set      set a local node parameter (identity, clusterid, key)
  flush    remove local node parameters (key)

Examples:
  tipcx node list
  tipcx node get identity
  tipcx node set clusterid 4712
`,
    children: [
        {
            name: 'list',
            summary: 'List cluster nodes',
            load: () => import('./node/list.js'),
            help: `Usage: tipcx node list

Columns: Node Identity, Hash, State.

Examples:
  tipcx node list
  tipcx --all-netns node list
`,
        },
        nodeGet,
        nodeSet,
        {
            name: 'flush',
            summary: 'Remove local node parameters',
            help: `Usage: tipcx node flush key

Properties:
  key    remove every symmetric key (TX and RX)

Examples:
  tipcx node flush key
`,
            children: [
                {
                    name: 'key',
                    load: () => import('./node/flush.js'),
                    summary: 'Remove all symmetric keys',
                    help: `Usage: tipcx node flush key

Examples:
  tipcx node flush key
`,
                },
            ],
        },
    ],
};

// ---------------------------------------------------------------- peer

const peer: GroupNode = {
    name: 'peer',
    summary: 'Peer node operations',
    help: `Usage: tipcx peer remove identity NODEID

Commands:
  remove    forget a peer node that is down

Examples:
  tipcx peer remove identity d6babc1c1c6d00000000000000000000
`,
    children: [
        {
            name: 'remove',
            summary: 'Forget a peer node that is down',
            help: `Usage: tipcx peer remove identity NODEID

The peer must be down (EBUSY otherwise); the own node cannot be removed.

Examples:
  tipcx peer remove identity node2
  tipcx peer remove identity d6babc1c1c6d00000000000000000000
`,
            children: [
                {
                    name: 'address',
                    load: () => import('./peer/remove.js'),
                    hidden: true,
                    summary: 'Forget a peer by legacy Z.C.N address',
                    help: `Usage: tipcx peer remove address Z.C.N

Examples:
  tipcx peer remove address 1.1.2
`,
                    value: { placeholder: 'ADDRESS', description: 'Z.C.N' },
                },
                {
                    name: 'identity',
                    load: () => import('./peer/remove.js'),
                    summary: 'Forget a peer by node identity',
                    help: `Usage: tipcx peer remove identity NODEID

NODEID: ${NODE_ID_VALUE.description}. An identity is accepted exactly as
"node list" prints it: a short hex id such as d6babc1c1c6d (which iproute2
reads as text) names the peer whose hex identity it is.

Examples:
  tipcx peer remove identity node2
`,
                    value: NODE_ID_VALUE,
                },
            ],
        },
    ],
};

// ---------------------------------------------------------------- socket

const socket: GroupNode = {
    name: 'socket',
    summary: 'Show sockets',
    help: `Usage: tipcx socket list

Commands:
  list    list TIPC sockets with their bindings or connections

Examples:
  tipcx socket list
`,
    children: [
        {
            name: 'list',
            load: () => import('./socket/list.js'),
            summary: 'List sockets',
            help: `Usage: tipcx socket list

Examples:
  tipcx socket list
  tipcx -n ns1 socket list
`,
        },
    ],
};

// ---------------------------------------------------------------- tipcx additions

// Placeholders until their authors give them children, options and `load`;
// `extension` keeps `l`, `p`, `s` meaning link, peer, socket as in iproute2.
function extensionWord(name: string, summary: string, description: string): LeafNode {
    return {
        name,
        summary,
        extension: true,
        help: `Usage: tipcx ${name}

${description}

Examples:
  tipcx ${name}
`,
    };
}

// `lab` and `sandbox`: clusters built for you, on this kernel or a disposable one.
const LAB_PREFIX: OptionSpec = {
    key: 'prefix', takesValue: true, placeholder: 'NAME',
    description: 'namespace names NAME1..NAMEn, identities the same (default lab)', extension: true,
};
const labUp: LeafNode = {
    name: 'up',
    load: () => import('./lab/up.js'),
    summary: 'Create N namespaces joined by a bridge, with TIPC identities and bearers',
    help: `Usage: tipcx lab up [nodes N] [media {eth|udp}] [prefix NAME] [netid ID] [bridge NAME]

Creates namespaces NAME1..NAMEn (identities the same), joins them by veths
to one bridge, enables an eth bearer on each eth0 (or, with media udp, gives
each eth0 an address in 10.211.0.0/16 and enables a udp bearer on it), sets
the net id, and waits until every namespace has a link up to every other.
Idempotent: running it again with the same options only checks and reports.
What it created is recorded in /run/tipcx (or $TIPCX_STATE_DIR), so that
"lab down" removes exactly that. It refuses to start when a namespace or
interface name it needs already exists and was not created by it. Needs root
and a kernel with TIPC. Progress goes to stderr.

Options:
  nodes N         number of namespaces, 1..250 (default 3)
  media MEDIA     eth (default) or udp
  prefix NAME     namespace and identity prefix (default lab)
  netid ID        TIPC network id, 1..9999 (default: the kernel's, 4711)
  bridge NAME     bridge interface (default NAME-br)

Examples:
  tipcx lab up nodes 8
  tipcx lab up nodes 64 prefix big
  tipcx -j lab up nodes 4 media udp netid 1234 prefix u
`,
    options: [
        { key: 'nodes', takesValue: true, placeholder: 'N', description: 'number of namespaces, 1..250', validate: integerIn(1, 250), extension: true },
        { key: 'media', takesValue: true, placeholder: 'MEDIA', description: 'eth or udp', validate: oneOf(['eth', 'udp'], 'media'), extension: true },
        LAB_PREFIX,
        { key: 'netid', takesValue: true, placeholder: 'ID', description: 'TIPC network id, 1..9999', validate: integerIn(1, 9999), extension: true },
        { key: 'bridge', takesValue: true, placeholder: 'NAME', description: 'bridge interface (default NAME-br)', validate: IF_NAME, extension: true },
    ],
};
const labDown: LeafNode = {
    name: 'down',
    load: () => import('./lab/down.js'),
    summary: 'Remove exactly what "lab up" created',
    help: `Usage: tipcx lab down [prefix NAME]

Removes the namespaces, veths and bridge recorded by "lab up" (every lab,
or only the one with prefix NAME), then the state file. An object that has
since been replaced by someone else's of the same name is left alone and
reported. A state file changed by hand is refused: nothing is removed.

Options:
  prefix NAME     only the lab created with this prefix

Examples:
  tipcx lab down
  tipcx lab down prefix big
`,
    options: [LAB_PREFIX],
};
const labStatus: LeafNode = {
    name: 'status',
    load: () => import('./lab/status.js'),
    summary: 'Show the labs "lab up" created and their links',
    help: `Usage: tipcx lab status

Shows every lab recorded in /run/tipcx (or $TIPCX_STATE_DIR): its
namespaces, node addresses, bearers and how many links are up.

Examples:
  tipcx lab status
  tipcx -j -p lab status
`,
};
const lab: GroupNode = {
    name: 'lab',
    summary: 'Build a TIPC cluster of network namespaces on this kernel',
    extension: true,
    help: `Usage: tipcx lab {up|down|status}

Builds the cluster people otherwise script by hand: N namespaces on a
bridge, identities, net id and bearers set, all links up; and removes it
again, exactly. Needs root and a kernel with TIPC; on a machine without,
use "tipcx sandbox".

Commands:
  up        create the namespaces and wait for all links
  down      remove what "lab up" created
  status    show what "lab up" created

Examples:
  tipcx lab up nodes 8
  tipcx lab status
  tipcx lab down
`,
    children: [labUp, labDown, labStatus],
};
const sandbox: LeafNode = {
    name: 'sandbox',
    load: () => import('./sandbox.js'),
    summary: 'Boot a disposable VM with a TIPC kernel and run a lab cluster in it',
    extension: true,
    help: `Usage: tipcx sandbox [nodes N] [remote-nodes M] [command 'COMMAND ...']

For machines whose kernel has no TIPC (laptops, containers, CI): boots a
disposable QEMU VM with Debian's stock kernel (this machine's root shared
read-only), runs "tipcx lab up nodes N prefix node" inside, and with
remote-nodes M a second VM whose M namespaces (remote1..remoteM) reach the
first over a virtual NIC joined by a loopback socket. Then it runs COMMAND
in the first VM (a shell command line, in namespace node1's host). Without
a command: on a terminal, an interactive shell in the VM (exit it to power
off); otherwise it prints what node1 sees (node list, link list) and exits.
The first run installs qemu-system-x86, busybox-static, kmod and cpio with
apt-get and downloads Debian's kernel package (~70 MB, cached in
~/.cache/tipcx).

Options:
  nodes N            namespaces in the VM, 1..64 (default 3)
  remote-nodes M     namespaces in a second VM, 0..16 (default 0)
  command COMMAND    run this shell command line in the VM, then exit

COMMAND is one word for tipcx: quote a command line with spaces, e.g.
tipcx sandbox command 'tipcx -n node1 link list'.

Examples:
  tipcx sandbox
  tipcx sandbox nodes 3 remote-nodes 1
  tipcx sandbox nodes 2 command hostname
`,
    options: [
        { key: 'nodes', takesValue: true, placeholder: 'N', description: 'namespaces in the VM, 1..64', validate: integerIn(1, 64), extension: true },
        { key: 'remote-nodes', takesValue: true, placeholder: 'M', description: 'namespaces in a second VM, 0..16', validate: integerIn(0, 16), extension: true },
        { key: 'command', takesValue: true, placeholder: 'COMMAND', description: 'shell command line to run in the VM', extension: true },
    ],
};

// Mirrors SORT_COLUMNS in src/top/options.ts (this file imports only cli/ modules).
const TOP_SORT_COLUMNS = ['name', 'ns', 'peer', 'state', 'rx', 'tx', 'retrans', 'nak', 'dup', 'cong', 'queue'];

const additions: readonly CommandNode[] = [
    {
        name: 'crossover',
        summary: 'Tell whether namespaces reach each other through the kernel shortcut',
        extension: true,
        load: () => import('./crossover.js'),
        options: [
            { key: 'wait', takesValue: true, placeholder: 'SECONDS', description: 'longest wait for discovery frames (default 65)', validate: integerIn(0, 3600), extension: true },
            { key: 'probe', takesValue: false, description: 'also send a burst to each peer and watch the link TX counter', extension: true },
            { key: 'dev', takesValue: true, placeholder: 'DEVICE', description: 'capture on this interface only', extension: true },
        ],
        help: `Usage: tipcx crossover [wait SECONDS] [probe] [dev DEVICE]
       (with -n NS, --all-netns, -j as anywhere)

Since Linux 5.5, TIPC sends data between namespaces of one kernel directly,
socket to socket, bypassing the bearer and the link, when the peer's discovery
frames prove it is local: the peer's identity and net id equal a namespace's
on this host, and the hash the peer sends (discovery word 13) equals the hash
that namespace sends itself. The kernel shows none of this; tipcx gathers it.

One row per namespace and peer (current namespace, -n NS, or every namespace
with --all-netns). Verdicts:
  crossover       up; a local namespace has the peer's identity and net id,
                  and the hash the peer sends equals the hash it sends itself
  local-unproven  identity and net id match a local namespace; no proof seen
                  yet (raise wait, or the frames are encrypted)
  mismatch        a frame claiming a local identity carried another hash
                  (possible spoof): never shown as crossover
  remote          no namespace on this host has that identity and net id
  down            the peer is not up
  unsupported     the kernel predates crossover (no tipc_node_pre_cleanup_net
                  in /proc/kallsyms)

Proofs come from discovery frames captured with packet sockets in every
namespace with a TIPC identity (needs root). Discovery repeats every second
while a bearer has no peer, but only every 60 s once links are up, so the
command waits up to 'wait' seconds. Namespaces, bearers and peers that appear
meanwhile are picked up. It returns sooner once every peer is up and crossover,
mismatch or remote, and nothing of this changed for 3 s (or since it started).
Given 'wait S', it also waits for what is not there yet (a script may start
it, then build the cluster; -n NS may name a namespace not made yet): some
peer must exist and every namespace with a bearer must have one. Progress
goes to stderr. wait 0 looks once, without capture (local peers stay
local-unproven).

Options:
  wait SECONDS   longest wait for discovery frames, 0..3600 (default 65)
  probe          send 200 data messages to each up peer and report whether the
                 link TX counter moved (crossover traffic leaves it flat);
                 a warning when this disagrees with the hashes
  dev DEVICE     capture on DEVICE only (in each namespace)

Examples:
  tipcx crossover
  tipcx --all-netns crossover wait 5
  tipcx -n ns1 crossover wait 30
  tipcx -n ns1 -j -p crossover probe
`,
    },
    {
        name: 'proof',
        summary: 'Decode and check the hash_mix proof in discovery messages',
        extension: true,
        load: () => import('./proof.js'),
        options: [
            { key: 'dev', takesValue: true, placeholder: 'DEVICE', description: 'capture on this interface only', extension: true },
            { key: 'pcap', takesValue: true, placeholder: 'FILE', description: 'read a pcap/pcapng file instead of capturing', extension: true },
            { key: 'wait', takesValue: true, placeholder: 'SECONDS', description: 'capture this long (default 65; 0 = until Ctrl-C)', validate: integerIn(0, 3600), extension: true },
        ],
        help: `Usage: tipcx proof [dev DEVICE] [wait SECONDS]
       tipcx [-j] proof pcap FILE

Captures TIPC discovery frames (Ethernet ethertype 0x88ca, UDP port 6118) and
prints every sender's hash_mix proof: identity, net id, the hash (discovery
word 13), its bearer address, the namespaces that received it, and the
namespace on this host that sends the same identity and hash itself (learnt
from the frames each namespace transmits). That namespace is the one the
kernel would deliver to directly (netns crossover).

Live capture runs in the current namespace, -n NS, or every namespace with
--all-netns, from this process, and needs root. Senders are printed as they
arrive ("+" new, "~" seen somewhere new or matched to its own namespace), then
a table; with -j one JSON object per line (event new, updated, final). The
kernel repeats discovery every 60 s once links are up, every second while a
bearer has no peer: the wait is announced on stderr.

Options:
  dev DEVICE     capture on DEVICE only (default: every interface but lo)
  wait SECONDS   how long to capture, 0..3600 (default 65; 0 = until Ctrl-C)
  pcap FILE      decode a pcap or pcapng file (Ethernet, Linux cooked v1/v2,
                 raw IP) instead of capturing; prints a JSON array with -j

Examples:
  tipcx --all-netns proof wait 5
  tipcx -n ns1 proof dev eth0
  tipcx -j proof pcap discovery.pcap
`,
    },
    {
        name: 'top',
        summary: 'Live link statistics',
        extension: true,
        load: () => import('./top.js'),
        help: `Usage: tipcx top [interval SECONDS] [count N] [sort COLUMN] [reverse]
                 [filter REGEX] [read-only]
       (with -n NS or --all-netns for other namespaces, -j for NDJSON)

A live monitor of TIPC links: one row per link, grouped by peer, with packet
rates over the last 2, 10 and 40 samples, state, crossover verdict, a
sparkline and full statistics for the selected link, and a log of what
changed (links up/down/reset, namespaces appearing and vanishing, the tipc
module unloaded and back). It keeps running through all of these.

On a terminal it is interactive (press ? for keys). When stdout is not a
terminal, or with -j, it prints one JSON object per interval (NDJSON).

Crossover peers: traffic between namespaces of this host may take the
kernel's netns shortcut and bypass the link, so that link's counters stay
flat however busy the peer is; such rows say so.

Options:
  interval SECONDS  time between samples, 0.1..3600 (default 1)
  count N           stop after N samples (NDJSON; the first comes after one
                    interval so that it has rates)
  sort COLUMN       ${TOP_SORT_COLUMNS.join(', ')}
                    (rates sort largest first)
  reverse           invert the sort order
  filter REGEX      show links whose namespace, name or peer match; a leading
                    ! keeps those that do not (totals still count every link)
  read-only         disable the r key (reset link statistics)

Examples:
  tipcx top
  tipcx --all-netns top sort tx
  tipcx -n ns1 top filter '!broadcast' interval 0.5
  tipcx --all-netns -j top count 5
`,
        options: [
            // Seconds may be fractional (0.5): checked by the command itself, before anything is sent.
            { key: 'interval', takesValue: true, placeholder: 'SECONDS', description: 'time between samples, 0.1..3600' },
            { key: 'count', takesValue: true, placeholder: 'N', description: 'stop after N samples', validate: integerIn(1, U32_MAX) },
            { key: 'sort', takesValue: true, placeholder: 'COLUMN', description: 'sort column', validate: oneOf(TOP_SORT_COLUMNS, 'sort column') },
            { key: 'reverse', takesValue: false, description: 'invert the sort order' },
            { key: 'filter', takesValue: true, placeholder: 'REGEX', description: 'show matching links; !REGEX inverts' },
            { key: 'read-only', takesValue: false, description: 'no statistics reset from the UI' },
        ],
    },
    lab,
    sandbox,
    completion(),
];

function completion(): LeafNode {
    return {
        name: 'completion',
        summary: 'Print a shell completion script',
        extension: true,
        load: () => import('./completion.js'),
        help: `Usage: tipcx completion {bash|zsh|fish}

Prints a completion script. On every TAB it asks "tipcx __complete" for the
words that fit, so candidates follow this command tree and include live
values (links, bearers, media, peers, namespaces after -n) when TIPC is there.

Install:
  bash   tipcx completion bash > /etc/bash_completion.d/tipcx
  zsh    tipcx completion zsh > "\${fpath[1]}/_tipcx"
  fish   tipcx completion fish > ~/.config/fish/completions/tipcx.fish

Examples:
  tipcx completion bash > /etc/bash_completion.d/tipcx
  tipcx completion fish > ~/.config/fish/completions/tipcx.fish
`,
        value: { placeholder: 'SHELL', description: 'bash, zsh or fish', validate: oneOf(['bash', 'zsh', 'fish'], 'shell') },
    };
}

// ---------------------------------------------------------------- root

export const commandTree: GroupNode = {
    name: 'tipcx',
    summary: "TIPC cluster tool: everything iproute2's tipc does, plus netns crossover verdicts,\nhash_mix proofs and live link statistics.",
    help: `Command words and option keys may be shortened to any unique prefix, as with
iproute2: "tipcx l l" is "tipcx link list". "tipcx OBJECT -h" lists an
object's commands; -h works anywhere on the line. Options are key-value words
("interval 2"); the long-flag spelling works too ("--interval 2", "--interval=2").

Examples:
  tipcx link list
  tipcx -j -p link statistics show link all
  tipcx -n ns1 node get identity
  tipcx bearer enable media eth device eth0
  tipcx node set key this_is_a_master_key master
`,
    children: [bearer, link, media, nametable, node, peer, socket, ...additions] satisfies CommandNode[],
};

/** Usage lines for a bearer property command; mtu exists for udp bearers only. */
function bearerUsage(words: string, property: Property): string {
    const udp = `tipcx ${words} media udp name NAME`;
    return property === 'mtu' ? `Usage: ${udp}` : `Usage: tipcx ${words} media {eth|ib} device DEVICE\n       ${udp}`;
}

function exampleValue(property: Property): string {
    return { priority: '5', tolerance: '3000', window: '100', mtu: '1400' }[property];
}
