// peer remove address Z.C.N | identity NODEID
import { defineCommand, defineGroup, value } from '../../cli/command.js';
import { anyText } from '../../cli/parsers.js';
import { UsageError } from '../../errors.js';
import { inSession } from '../session.js';
import { INVALID_NODE_ID, NODE_ID_VALUE } from '../specs.js';

export default [
    defineGroup({
        path: 'peer remove',
        summary: 'Forget a peer node that is down',
        help: `Usage: tipcx peer remove identity NODEID

The peer must be down (EBUSY otherwise); the own node cannot be removed.

Examples:
  tipcx peer remove identity node2
  tipcx peer remove identity d6babc1c1c6d00000000000000000000
`,
    }),
    defineCommand({
        path: 'peer remove address',
        hidden: true,
        summary: 'Forget a peer by legacy Z.C.N address',
        help: `Usage: tipcx peer remove address Z.C.N

Examples:
  tipcx peer remove address 1.1.2
`,
        value: value(anyText, { placeholder: 'ADDRESS', description: 'Z.C.N' }),
        namespaces: 'each',
        kernel: 'changes',
        async run(args, ctx) {
            const { parseLegacyAddress } = await import('../../tipc/node.js');
            const { removePeerByAddress } = await import('../../tipc/peer.js');
            // iproute2 falls back to atoi() and sends "1001002" as a decimal address
            // after printing a syntax error; tipcx takes Z.C.N only.
            const address = parseLegacyAddress(args.value);
            await inSession(ctx, (s) => removePeerByAddress(s, address, args.value));
        },
    }),
    defineCommand({
        path: 'peer remove identity',
        summary: 'Forget a peer by node identity',
        help: `Usage: tipcx peer remove identity NODEID

NODEID: ${NODE_ID_VALUE.description}.
An identity is accepted exactly as "node list" prints it: a short hex id
such as d6babc1c1c6d (which iproute2 reads as text) names the peer whose hex
identity it is.

Examples:
  tipcx peer remove identity node2
`,
        value: NODE_ID_VALUE,
        namespaces: 'each',
        kernel: 'changes',
        async run(args, ctx) {
            const { parseNodeId } = await import('../../netlink/identity.js');
            const { removePeerByIdentity } = await import('../../tipc/peer.js');
            const literal = parseNodeId(args.value);
            if (!literal) throw new UsageError(INVALID_NODE_ID(args.value));
            await inSession(ctx, (s) => removePeerByIdentity(s, args.value, literal));
        },
    }),
];
