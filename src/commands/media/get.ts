// media get priority|tolerance|window|mtu media MEDIA
import { commandResult, defineCommand } from '../../cli/registry.js';
import { UsageError } from '../../errors.js';
import { valueLinesText } from '../../render/bearer.js';
import { getMediaProperty, type MediaProperty } from '../../tipc/media.js';
import { inSession } from '../session.js';

export default defineCommand({
  async run(ctx) {
    const property = ctx.path.at(-1) as MediaProperty;
    const media = ctx.opts.media as string;
    if (property === 'mtu' && media !== 'udp') {
      throw new UsageError(`error, not supported for media ${media} (mtu exists for udp only)`);
    }
    const value = await inSession(ctx, (s) => getMediaProperty(s, media, property));
    return commandResult([{ [property]: value } as Record<MediaProperty, number>], valueLinesText(property));
  },
});
