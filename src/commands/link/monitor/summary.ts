import { commandResult, defineCommand } from '../../../cli/registry.js';
import { monitorSummaryRecords, monitorSummaryText } from '../../../render/monitor.js';
import { monitorSummary } from '../../../tipc/monitor.js';
import { inSession } from '../../session.js';

export default defineCommand({
  async run(ctx) {
    const summaries = await inSession(ctx, monitorSummary);
    return commandResult(monitorSummaryRecords(summaries), monitorSummaryText);
  },
});
