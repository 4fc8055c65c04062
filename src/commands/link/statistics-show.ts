// link statistics show [link LINK|SUBSTRING|all]
import { commandResult, defineCommand } from '../../cli/registry.js';
import { linkStatisticsFrom, linkStatisticsText } from '../../render/link.js';
import { dumpLinkStatistics } from '../../tipc/link.js';
import { inSession } from '../session.js';

export default defineCommand({
  async run(ctx) {
    const filter = typeof ctx.opts.link === 'string' ? ctx.opts.link : undefined;
    // any "link" option also asks for the broadcast receiver links, as tipc does
    const links = await inSession(ctx, (s) => dumpLinkStatistics(s, filter !== undefined));
    const shown = filter === undefined || filter === 'all' ? links : links.filter((l) => l.name.includes(filter));
    return commandResult(shown.map(linkStatisticsFrom), linkStatisticsText);
  },
});
