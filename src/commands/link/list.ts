import { commandResult, defineCommand } from '../../cli/registry.js';
import { linkListText } from '../../render/link.js';
import { listLinks } from '../../tipc/link.js';
import { inSession } from '../session.js';

export default defineCommand({
  async run(ctx) {
    const links = await inSession(ctx, (s) => listLinks(s, { statistics: false }));
    return commandResult(links.map((l) => ({ name: l.name, up: l.up })), (records) => linkListText(records, ctx.color));
  },
});
