// bearer set priority|tolerance|window|mtu VALUE media …
import { defineCommand } from '../../cli/registry.js';
import { UsageError } from '../../errors.js';
import { bearerName, setBearerProperty, type BearerProperty } from '../../tipc/bearer.js';
import { inSession } from '../session.js';

const str = (v: string | true | undefined) => (typeof v === 'string' ? v : undefined);

export default defineCommand({
  async run(ctx) {
    const property = ctx.path.at(-1) as BearerProperty;
    if (ctx.value === undefined) throw new UsageError(`error, missing value for "${property}"`);
    const media = str(ctx.opts.media);
    if (property === 'mtu' && media !== 'udp') {
      throw new UsageError(`error, not supported for media ${media} (mtu exists for udp bearers only)`);
    }
    const name = bearerName(media, str(ctx.opts.device), str(ctx.opts.name));
    // the registry validated the range
    await inSession(ctx, (s) => setBearerProperty(s, name, property, Number(ctx.value)));
  },
});
