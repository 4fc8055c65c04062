// link get priority|tolerance|window link LINK ; link get broadcast
import { commandResult, defineCommand } from '../../cli/registry.js';
import { valueLinesText } from '../../render/bearer.js';
import { broadcastSettingText } from '../../render/link.js';
import { getBroadcastSetting, getLinkProperty, type LinkProperty } from '../../tipc/link.js';
import { inSession } from '../session.js';

export default defineCommand<object>({
  async run(ctx) {
    const property = ctx.path.at(-1);
    if (property === 'broadcast') {
      const setting = await inSession(ctx, getBroadcastSetting);
      return commandResult([setting], broadcastSettingText);
    }
    const p = property as LinkProperty;
    const value = await inSession(ctx, (s) => getLinkProperty(s, ctx.opts.link as string, p));
    return commandResult([{ [p]: value } as Record<LinkProperty, number>], valueLinesText(p));
  },
});
