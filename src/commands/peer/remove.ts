// peer remove address Z.C.N | identity NODEID
import { defineCommand } from '../../cli/registry.js';
import { UsageError } from '../../errors.js';
import { parseNodeId } from '../../netlink/identity.js';
import { parseLegacyAddress } from '../../tipc/node.js';
import { removePeerByAddress, removePeerByIdentity } from '../../tipc/peer.js';
import { inSession } from '../session.js';

export default defineCommand({
  async run(ctx) {
    const property = ctx.path.at(-1);
    const text = ctx.value;
    if (text === undefined) throw new UsageError(`error, missing value for "${property}"`);
    if (property === 'address') {
      // iproute2 falls back to atoi() and sends "1001002" as a decimal address
      // after printing a syntax error; tipcx takes Z.C.N only.
      const address = parseLegacyAddress(text);
      await inSession(ctx, (s) => removePeerByAddress(s, address, text));
      return;
    }
    const literal = parseNodeId(text);
    if (!literal) {
      throw new UsageError(`invalid node identity "${text}" (expected up to 16 characters of [0-9a-zA-Z-_.:@], or up to 32 hex digits)`);
    }
    await inSession(ctx, (s) => removePeerByIdentity(s, text, literal));
  },
});
