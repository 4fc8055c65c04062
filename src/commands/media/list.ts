// media list
import { commandResult, defineCommand } from '../../cli/command.js';
import { inSession } from '../session.js';

export default [
    defineCommand({
        path: 'media list',
        summary: 'List media types',
        help: `Usage: tipcx media list

Examples:
  tipcx media list
`,
        namespaces: 'each',
        kernel: 'reads',
        async run(_args, ctx) {
            const { listMedia } = await import('../../tipc/media.js');
            const { mediaListRecords, mediaListText } = await import('../../render/media.js');
            const media = await inSession(ctx, listMedia);
            return commandResult(mediaListRecords(media), mediaListText);
        },
    }),
];
