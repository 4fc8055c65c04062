// link monitor set threshold SIZE | link monitor get threshold
import { commandResult, defineCommand } from '../../../cli/registry.js';
import { UsageError } from '../../../errors.js';
import { thresholdText } from '../../../render/monitor.js';
import { getThreshold, setThreshold } from '../../../tipc/monitor.js';
import { inSession } from '../../session.js';

export default defineCommand({
  async run(ctx) {
    if (ctx.path.includes('set')) {
      if (ctx.value === undefined) throw new UsageError('error, missing value for "threshold"');
      const threshold = Number(ctx.value); // validated 0..4095 by the registry
      await inSession(ctx, (s) => setThreshold(s, threshold));
      return;
    }
    // iproute2 -j prints the invalid ["threshold":32]; this is [{"threshold":32}].
    const threshold = await inSession(ctx, getThreshold);
    return commandResult([{ threshold }], thresholdText);
  },
});
