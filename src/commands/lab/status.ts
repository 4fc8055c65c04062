// lab status: every lab recorded in the state directory, as the kernel sees it now.
import { commandResult, defineCommand } from '../../cli/command.js';
import { LAB_NAMESPACES } from './up.js';

export default [
    defineCommand({
        path: 'lab status',
        summary: 'Show the labs "lab up" created and their links',
        help: `Usage: tipcx lab status

Shows every lab recorded in /run/tipcx (or $TIPCX_STATE_DIR): its
namespaces, node addresses, bearers and how many links are up.

Examples:
  tipcx lab status
  tipcx -j -p lab status
`,
        namespaces: LAB_NAMESPACES,
        kernel: 'reads',
        async run(_args, ctx) {
            const { labStatus, stateDir } = await import('../../lab/cluster.js');
            const { labTableText } = await import('../../render/lab.js');
            const records = await labStatus({ stateDir: stateDir(ctx.env) });
            return commandResult(records, (rs) => labTableText(rs, ctx.color));
        },
    }),
];
