import { commandResult, defineCommand } from '../../cli/registry.js';
import { bearerListText } from '../../render/bearer.js';
import { listBearers } from '../../tipc/bearer.js';
import { inSession } from '../session.js';

export default defineCommand({
  async run(ctx) {
    const bearers = await inSession(ctx, listBearers);
    return commandResult(bearers, bearerListText);
  },
});
