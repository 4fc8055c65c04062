// node set address | identity | netid | clusterid
import { defineCommand } from '../../cli/registry.js';
import { UsageError } from '../../errors.js';
import { parseNodeId } from '../../netlink/identity.js';
import { parseLegacyAddress, setOwnNet, type NetChange } from '../../tipc/node.js';
import { inSession } from '../session.js';

function change(property: string | undefined, value: string): NetChange {
  switch (property) {
    case 'identity': {
      const identity = parseNodeId(value);
      if (!identity) {
        throw new UsageError(`invalid node identity "${value}" (expected up to 16 characters of [0-9a-zA-Z-_.:@], or up to 32 hex digits)`);
      }
      return { identity };
    }
    case 'address':
      return { address: parseLegacyAddress(value) };
    default:
      // netid and clusterid: the registry validated the range
      return { netid: Number(value) };
  }
}

export default defineCommand({
  async run(ctx) {
    const property = ctx.path.at(-1);
    if (ctx.value === undefined) throw new UsageError(`error, missing value for "${property}"`);
    const net = change(property, ctx.value);
    await inSession(ctx, (s) => setOwnNet(s, net));
  },
});
