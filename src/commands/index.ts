/**
 * The tipcx command tree: iproute2's tipc tree word for word (so every unique
 * prefix that works with `tipc` works here; a property such as `link set
 * priority` is a leaf of its own), plus tipcx-only words marked `extension`.
 * Each command, with its options, help and handler, is a file under
 * src/commands/ that loads netlink only when it runs; this file holds the
 * top-level words in listing order: the objects, whose commands their own
 * index.ts lists (asked for when a command line walks into the object:
 * src/cli/registry.ts, Registration), and the tipcx words that are commands.
 */
import { defineGroup } from '../cli/command.js';
import { buildCommandTree, type GroupNode } from '../cli/registry.js';
import { commands as bearerCommands } from './bearer/index.js';
import { commands as labCommands } from './lab/index.js';
import { commands as linkCommands } from './link/index.js';
import { commands as mediaCommands } from './media/index.js';
import { commands as nametableCommands } from './nametable/index.js';
import { commands as nodeCommands } from './node/index.js';
import { commands as peerCommands } from './peer/index.js';
import { commands as socketCommands } from './socket/index.js';
import completion from './completion.js';
import crossover from './crossover.js';
import events from './events.js';
import exporter from './exporter.js';
import proof from './proof.js';
import sandbox from './sandbox.js';
import top from './top.js';

const objects = {
    bearer: defineGroup(
        {
            path: 'bearer',
            summary: 'Show or modify bearers',
            help: `Usage: tipcx bearer COMMAND [ARGS]...

A bearer attaches TIPC to a network interface (eth, ib) or a UDP socket
(udp).

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
        },
        bearerCommands,
    ),
    link: defineGroup(
        {
            path: 'link',
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
        },
        linkCommands,
    ),
    media: defineGroup(
        {
            path: 'media',
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
        },
        mediaCommands,
    ),
    nametable: defineGroup(
        {
            path: 'nametable',
            summary: 'Show the name table',
            help: `Usage: tipcx nametable show

Commands:
  show    list every service binding in the cluster

Examples:
  tipcx nametable show
`,
        },
        nametableCommands,
    ),
    node: defineGroup(
        {
            path: 'node',
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
        },
        nodeCommands,
    ),
    peer: defineGroup(
        {
            path: 'peer',
            summary: 'Peer node operations',
            help: `Usage: tipcx peer remove identity NODEID

Commands:
  remove    forget a peer node that is down

Examples:
  tipcx peer remove identity d6babc1c1c6d00000000000000000000
`,
        },
        peerCommands,
    ),
    socket: defineGroup(
        {
            path: 'socket',
            summary: 'Show sockets',
            help: `Usage: tipcx socket list

Commands:
  list    list TIPC sockets with their bindings or connections

Examples:
  tipcx socket list
`,
        },
        socketCommands,
    ),
    lab: defineGroup(
        {
            path: 'lab',
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
        },
        labCommands,
    ),
};

export const commandTree: GroupNode = buildCommandTree(
    {
        name: 'tipcx',
        summary:
            "TIPC cluster tool: everything iproute2's tipc does, plus netns crossover\nverdicts, hash_mix proofs and live link statistics.",
        help: `Command words and option keys may be shortened to any unique prefix, as with
iproute2: "tipcx l l" is "tipcx link list". "tipcx OBJECT -h" lists an
object's commands; -h works anywhere on the line, and so does the word "help"
("tipcx link help"). Options are key-value words ("interval 2"); the
long-flag spelling works too ("--interval 2", "--interval=2").

Examples:
  tipcx link list
  tipcx -j -p link statistics show link all
  tipcx -n ns1 node get identity
  tipcx bearer enable media eth device eth0
  tipcx node set key this_is_a_master_key master
`,
    },
    [
        objects.bearer,
        objects.link,
        objects.media,
        objects.nametable,
        objects.node,
        objects.peer,
        objects.socket,
        ...crossover,
        ...events,
        ...proof,
        ...top,
        ...exporter,
        objects.lab,
        ...sandbox,
        ...completion,
    ],
);
