// bearer list
import { commandResult, defineCommand } from '../../cli/command.js';
import { inSession } from '../session.js';

export default [
    defineCommand({
        path: 'bearer list',
        summary: 'List enabled bearers',
        help: `Usage: tipcx bearer list

Prints one bearer name per line, as media:interface (eth:eth0, udp:u1).

Examples:
  tipcx bearer list
  tipcx -j bearer list
`,
        namespaces: 'each',
        kernel: 'reads',
        async run(_args, ctx) {
            const { listBearers } = await import('../../tipc/bearer.js');
            const { bearerListText } = await import('../../render/bearer.js');
            const bearers = await inSession(ctx, listBearers);
            return commandResult(bearers, bearerListText);
        },
    }),
];
