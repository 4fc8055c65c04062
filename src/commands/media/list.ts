import { commandResult, defineCommand } from '../../cli/registry.js';
import { mediaListRecords, mediaListText } from '../../render/media.js';
import { listMedia } from '../../tipc/media.js';
import { inSession } from '../session.js';

export default defineCommand({
  async run(ctx) {
    const media = await inSession(ctx, listMedia);
    return commandResult(mediaListRecords(media), mediaListText);
  },
});
