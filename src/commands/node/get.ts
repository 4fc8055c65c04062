// node get address | identity | netid | clusterid
import { commandResult, defineCommand } from '../../cli/registry.js';
import { formatHash } from '../../netlink/identity.js';
import { clusterIdRecords, clusterIdText, nodeAddressRecords, nodeAddressText, nodeIdentityText } from '../../render/node.js';
import { getOwnAddress, getOwnNet } from '../../tipc/node.js';
import { inSession } from '../session.js';

export default defineCommand<object>({
  async run(ctx) {
    const property = ctx.path.at(-1);
    return inSession(ctx, async (s) => {
      if (property === 'address') return commandResult(nodeAddressRecords(getOwnAddress(s)), nodeAddressText);
      const net = await getOwnNet(s);
      if (property === 'identity') {
        const address = getOwnAddress(s);
        return commandResult([{ identity: net.identity, hash: formatHash(address), address }], ([r]) =>
          nodeIdentityText(r!.identity, r!.address));
      }
      return commandResult(clusterIdRecords(net.netid), clusterIdText);
    });
  },
});
