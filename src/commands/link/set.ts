// link set priority|tolerance|window VALUE link LINK ; link set broadcast MODE [ratio N]
import { defineCommand } from '../../cli/registry.js';
import { UsageError } from '../../errors.js';
import { BroadcastMode, setBroadcastSetting, setLinkProperty, type BroadcastModeName, type LinkProperty } from '../../tipc/link.js';
import { inSession } from '../session.js';

export default defineCommand({
  async run(ctx) {
    const property = ctx.path.at(-1);
    if (property === 'broadcast') {
      // iproute2 silently prefers BROADCAST > REPLICAST > AUTOSELECT; two modes are a typo here.
      const modes = (Object.keys(BroadcastMode) as BroadcastModeName[]).filter((m) => ctx.opts[m] === true);
      if (modes.length > 1) throw new UsageError(`error, give one broadcast mode, not ${modes.join(' and ')}`);
      const ratio = typeof ctx.opts.ratio === 'string' ? Number(ctx.opts.ratio) : undefined;
      if (modes.length === 0 && ratio === undefined) {
        throw new UsageError('error, missing broadcast mode (expected BROADCAST, REPLICAST, AUTOSELECT [ratio PERCENT] or ratio PERCENT)');
      }
      await inSession(ctx, (s) => setBroadcastSetting(s, { mode: modes[0], ratio }));
      return;
    }
    if (ctx.value === undefined) throw new UsageError(`error, missing value for "${property}"`);
    // the registry validated the range
    await inSession(ctx, (s) => setLinkProperty(s, ctx.opts.link as string, property as LinkProperty, Number(ctx.value)));
  },
});
