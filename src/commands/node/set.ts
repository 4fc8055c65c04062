// node set address Z.C.N | identity NODEID | netid|clusterid CLUSTERID (node set key: key.ts)
import { defineCommand, defineGroup, value } from '../../cli/command.js';
import { anyText, integerIn } from '../../cli/parsers.js';
import { UsageError } from '../../errors.js';
import { inSession } from '../session.js';
import { INVALID_NODE_ID, NODE_ID_VALUE } from '../specs.js';

const CLUSTER_ID_VALUE = value(integerIn(1, 9999), {
    placeholder: 'CLUSTERID',
    description: 'cluster (network) id, 1..9999',
});

/** netid is clusterid's old name: the same command under a hidden word. */
function setClusterId(words: { path: string; summary: string; help: string; hidden?: boolean }) {
    return defineCommand({
        ...words,
        value: CLUSTER_ID_VALUE,
        namespaces: 'each',
        kernel: 'changes',
        async run(args, ctx) {
            const { setOwnNet } = await import('../../tipc/node.js');
            await inSession(ctx, (s) => setOwnNet(s, { netid: args.value }));
        },
    });
}

export default [
    defineGroup({
        path: 'node set',
        summary: 'Set a local node parameter',
        help: `Usage: tipcx node set {identity NODEID | clusterid CLUSTERID
                      | key KEY [ARGS]...}

Properties:
  identity NODEID       the node identity (before the first bearer is up)
  clusterid CLUSTERID   the cluster id, 1..9999 (default 4711)
  key KEY               a symmetric encryption key ("node set key -h")

The kernel refuses identity and cluster id changes once the node has joined
a network (EPERM).

Examples:
  tipcx node set identity mynode-1
  tipcx node set clusterid 4712
  tipcx node set key this_is_a_master_key master
`,
    }),
    defineCommand({
        path: 'node set address',
        hidden: true,
        summary: 'Set the legacy Z.C.N address',
        help: `Usage: tipcx node set address Z.C.N

Legacy 32-bit addressing (zone 0..255, cluster and node 0..4095).

Examples:
  tipcx node set address 1.1.100
`,
        value: value(anyText, { placeholder: 'ADDRESS', description: 'Z.C.N' }),
        namespaces: 'each',
        kernel: 'changes',
        async run(args, ctx) {
            const { parseLegacyAddress, setOwnNet } = await import('../../tipc/node.js');
            const address = parseLegacyAddress(args.value);
            await inSession(ctx, (s) => setOwnNet(s, { address }));
        },
    }),
    defineCommand({
        path: 'node set identity',
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
        namespaces: 'each',
        kernel: 'changes',
        async run(args, ctx) {
            const { parseNodeId } = await import('../../netlink/identity.js');
            const { setOwnNet } = await import('../../tipc/node.js');
            const identity = parseNodeId(args.value);
            if (!identity) throw new UsageError(INVALID_NODE_ID(args.value));
            await inSession(ctx, (s) => setOwnNet(s, { identity }));
        },
    }),
    setClusterId({
        path: 'node set netid',
        hidden: true,
        summary: 'Set the cluster id (old name)',
        help: `Usage: tipcx node set netid CLUSTERID

Same as "node set clusterid".

Examples:
  tipcx node set netid 4712
`,
    }),
    setClusterId({
        path: 'node set clusterid',
        summary: 'Set the cluster id',
        help: `Usage: tipcx node set clusterid CLUSTERID

CLUSTERID: ${CLUSTER_ID_VALUE.description}.
Nodes only talk within one cluster id.

Examples:
  tipcx node set clusterid 4712
`,
    }),
];
