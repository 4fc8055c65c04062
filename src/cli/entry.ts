/**
 * What bin/tipcx runs (and what the release bundle is built from): the hidden
 * `__complete` command for shell completion, otherwise main(). `__complete`
 * is answered here, before the parser, because its words are the user's
 * half-typed line (flags included) rather than arguments for tipcx.
 */
import { commandTree } from '../commands/index.js';
import { runCompleteCommand } from './complete.js';
import { standardOutput } from './io.js';
import { main, type CliIo } from './main.js';

/** `observe.commandParsed` hears which command runs (bin/tipcx's code cache, main.ts's commandKey). */
export async function run(argv: readonly string[], observe: Pick<CliIo, 'commandParsed'> = {}): Promise<number> {
    if (argv[0] === '__complete') {
        observe.commandParsed?.('complete');
        // Slow machines (an emulated VM) may need longer than the default to load the netlink code.
        const budgetMs = Number(process.env.TIPCX_COMPLETE_BUDGET_MS) || undefined;
        const code = await runCompleteCommand(
            argv.slice(1),
            commandTree,
            standardOutput(),
            budgetMs ? { budgetMs } : {},
        );
        // A kernel request that outlived the budget must not keep the shell waiting (the words are written: writes are synchronous).
        process.exit(code);
    }
    return main(argv, observe.commandParsed ? { commandParsed: observe.commandParsed } : {});
}
