// `tipcx completion SHELL`: the static script that asks `tipcx __complete` on every TAB.
import { completionScript, type Shell } from '../cli/complete.js';
import { commandResult, defineCommand } from '../cli/registry.js';

export default defineCommand({
    async run(ctx) {
        const shell = ctx.value as Shell; // validated by the registry
        return commandResult([{ shell, script: completionScript(shell) }], (records) => records[0]!.script);
    },
});
