// socket list
import { commandResult, defineCommand } from '../../cli/command.js';
import { inSession } from '../session.js';

export default [
    defineCommand({
        path: 'socket list',
        summary: 'List sockets',
        help: `Usage: tipcx socket list

Examples:
  tipcx socket list
  tipcx -n ns1 socket list
`,
        namespaces: 'each',
        kernel: 'reads',
        async run(_args, ctx) {
            const { listSockets } = await import('../../tipc/socket.js');
            const { socketListText, socketRecords } = await import('../../render/socket.js');
            const sockets = await inSession(ctx, listSockets);
            return commandResult(socketRecords(sockets), socketListText);
        },
    }),
];
