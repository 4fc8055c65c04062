// link monitor list [media {eth|ib} device DEV | media udp name NAME]
import { commandResult, defineCommand } from '../../../cli/registry.js';
import { monitorListRecords, monitorListText } from '../../../render/monitor.js';
import { bearerName } from '../../../tipc/bearer.js';
import { monitorList } from '../../../tipc/monitor.js';
import { inSession } from '../../session.js';

export default defineCommand({
  async run(ctx) {
    const { media, device, name } = ctx.opts as Record<string, string | undefined>;
    const bearer = media === undefined ? undefined : bearerName(media, device, name);
    const bearers = await inSession(ctx, (s) => monitorList(s, bearer));
    return commandResult(monitorListRecords(bearers), monitorListText);
  },
});
