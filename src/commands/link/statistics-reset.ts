// link statistics reset link LINK
import { defineCommand } from '../../cli/registry.js';
import { resetLinkStatistics } from '../../tipc/link.js';
import { inSession } from '../session.js';

export default defineCommand({
  async run(ctx) {
    await inSession(ctx, (s) => resetLinkStatistics(s, ctx.opts.link as string));
  },
});
