import { defineCommand } from '../../cli/registry.js';
import { bearerName, disableBearer } from '../../tipc/bearer.js';
import { inSession } from '../session.js';

export default defineCommand({
  async run(ctx) {
    const { media, device, name } = ctx.opts;
    const bearer = bearerName(media as string | undefined, device as string | undefined, name as string | undefined);
    await inSession(ctx, (s) => disableBearer(s, bearer));
  },
});
