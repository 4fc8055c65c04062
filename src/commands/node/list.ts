import { commandResult, defineCommand } from '../../cli/registry.js';
import { nodeListText } from '../../render/node.js';
import { listPeerNodes } from '../../tipc/node.js';
import { inSession } from '../session.js';

export default defineCommand({
  async run(ctx) {
    const nodes = await inSession(ctx, listPeerNodes);
    return commandResult(nodes, (records) => nodeListText(records, ctx.color));
  },
});
