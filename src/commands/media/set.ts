// media set priority|tolerance|window|mtu VALUE media MEDIA
import { defineCommand } from '../../cli/registry.js';
import { UsageError } from '../../errors.js';
import { setMediaProperty, type MediaProperty } from '../../tipc/media.js';
import { inSession } from '../session.js';

export default defineCommand({
  async run(ctx) {
    const property = ctx.path.at(-1) as MediaProperty;
    if (ctx.value === undefined) throw new UsageError(`error, missing value for "${property}"`);
    const media = ctx.opts.media as string;
    if (property === 'mtu' && media !== 'udp') {
      throw new UsageError(`error, not supported for media ${media} (mtu exists for udp only)`);
    }
    // the registry validated the range
    await inSession(ctx, (s) => setMediaProperty(s, media, property, Number(ctx.value)));
  },
});
