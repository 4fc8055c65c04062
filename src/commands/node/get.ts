// node get address | identity | netid | clusterid
import { commandResult, defineCommand, defineGroup } from '../../cli/command.js';
import { inSession } from '../session.js';

/** netid is clusterid's old name: the same command under a hidden word. */
function getClusterId(words: { path: string; summary: string; help: string; hidden?: boolean }) {
    return defineCommand({
        ...words,
        namespaces: 'each',
        kernel: 'reads',
        async run(_args, ctx) {
            const { getOwnNet } = await import('../../tipc/node.js');
            const { clusterIdRecords, clusterIdText } = await import('../../render/node.js');
            const net = await inSession(ctx, getOwnNet);
            return commandResult(clusterIdRecords(net.netid), clusterIdText);
        },
    });
}

export default [
    defineGroup({
        path: 'node get',
        summary: 'Show a local node parameter',
        help: `Usage: tipcx node get {identity | clusterid}

Properties:
  identity     the node's 128-bit identity and its 32-bit hash
  clusterid    the cluster (network) id

Examples:
  tipcx node get identity
  tipcx node get clusterid
`,
    }),
    defineCommand({
        path: 'node get address',
        hidden: true,
        summary: "Show the node's 32-bit address (legacy)",
        help: `Usage: tipcx node get address

Prints the own 32-bit address (the identity hash) in hex.

Examples:
  tipcx node get address
`,
        namespaces: 'each',
        kernel: 'reads',
        async run(_args, ctx) {
            const { getOwnAddress } = await import('../../tipc/node.js');
            const { nodeAddressRecords, nodeAddressText } = await import('../../render/node.js');
            const address = await inSession(ctx, async (s) => getOwnAddress(s));
            return commandResult(nodeAddressRecords(address), nodeAddressText);
        },
    }),
    defineCommand({
        path: 'node get identity',
        summary: "Show the node's identity and hash",
        help: `Usage: tipcx node get identity

Examples:
  tipcx node get identity
  tipcx -n ns1 node get identity
`,
        namespaces: 'each',
        kernel: 'reads',
        async run(_args, ctx) {
            const { getOwnAddress, getOwnNet } = await import('../../tipc/node.js');
            const { nodeIdentityRecords, nodeIdentityText } = await import('../../render/node.js');
            const { identity, address } = await inSession(ctx, async (s) => ({
                identity: (await getOwnNet(s)).identity,
                address: getOwnAddress(s),
            }));
            return commandResult(nodeIdentityRecords(identity, address), nodeIdentityText);
        },
    }),
    getClusterId({
        path: 'node get netid',
        hidden: true,
        summary: 'Show the cluster id (old name)',
        help: `Usage: tipcx node get netid

Same as "node get clusterid".

Examples:
  tipcx node get netid
`,
    }),
    getClusterId({
        path: 'node get clusterid',
        summary: 'Show the cluster id',
        help: `Usage: tipcx node get clusterid

Examples:
  tipcx node get clusterid
`,
    }),
];
