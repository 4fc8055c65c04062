// node get address | identity | netid | clusterid
import { commandResult, defineCommand } from '../../cli/registry.js';
import {
  clusterIdRecords, clusterIdText, nodeAddressRecords, nodeAddressText, nodeIdentityRecords, nodeIdentityText,
} from '../../render/node.js';
import { getOwnAddress, getOwnNet } from '../../tipc/node.js';
import { inSession } from '../session.js';

export default defineCommand<object>({
  async run(ctx) {
    const property = ctx.path.at(-1);
    return inSession(ctx, async (s) => {
      if (property === 'address') return commandResult(nodeAddressRecords(getOwnAddress(s)), nodeAddressText);
      const net = await getOwnNet(s);
      if (property === 'identity') return commandResult(nodeIdentityRecords(net.identity, getOwnAddress(s)), nodeIdentityText);
      return commandResult(clusterIdRecords(net.netid), clusterIdText);
    });
  },
});
