// node flush key
import { defineCommand } from '../../cli/registry.js';
import { flushKeys } from '../../tipc/key.js';
import { inSession } from '../session.js';

export default defineCommand({
  async run(ctx) {
    await inSession(ctx, flushKeys);
  },
});
