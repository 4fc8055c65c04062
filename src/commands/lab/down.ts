// lab down [prefix NAME]: removes exactly what `lab up` recorded.
import { commandResult, defineCommand } from '../../cli/command.js';
import { LAB_NAMESPACES, LAB_PREFIX } from './up.js';

export default [
    defineCommand({
        path: 'lab down',
        summary: 'Remove exactly what "lab up" created',
        help: `Usage: tipcx lab down [prefix NAME]

Removes the namespaces, veths and bridge recorded by "lab up" (every lab,
or only the one with prefix NAME), then the state file. An object that has
since been replaced by someone else's of the same name is left alone and
reported. A state file changed by hand is refused: nothing is removed.

Options:
  prefix NAME     only the lab created with this prefix

Examples:
  tipcx lab down
  tipcx lab down prefix big
`,
        options: { prefix: LAB_PREFIX },
        namespaces: LAB_NAMESPACES,
        kernel: 'changes',
        async run(args, ctx) {
            const { labDown, stateDir } = await import('../../lab/cluster.js');
            const { labDownText } = await import('../../render/lab.js');
            const removed = labDown({
                stateDir: stateDir(ctx.env),
                ...(args.prefix !== undefined && { prefix: args.prefix }),
            });
            return commandResult(removed, labDownText);
        },
    }),
];
