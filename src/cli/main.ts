/**
 * The CLI entry point. main() returns the exit code instead of exiting, so the
 * same code runs from bin/tipcx and in-process from tests.
 *
 * Nothing here imports netlink: help, version and usage errors stay fast and
 * work on machines without TIPC. Only the handler that runs loads the kernel code.
 */
import { commandTree } from '../commands/index.js';
import { ExitCode, reportError } from '../errors.js';
import { executeLeaf } from './execute.js';
import { renderHelp, renderIncomplete } from './help.js';
import { withProcessDefaults, type CliIo } from './io.js';
import { parseCommandLine, type ParseOutcome } from './parse.js';
import type { GroupNode } from './registry.js';
import { readVersion } from './version.js';

export type { CliIo } from './io.js';

export async function main(argv: readonly string[], io?: Partial<CliIo>): Promise<number> {
    return runCli(argv, withProcessDefaults(io), commandTree);
}

/** main() with the command tree as a parameter, for tests with a fake tree. */
export async function runCli(argv: readonly string[], io: CliIo, tree: GroupNode): Promise<number> {
    try {
        const outcome = parseCommandLine(argv, tree);
        io.commandParsed?.(commandKey(outcome));
        switch (outcome.kind) {
            case 'version':
                io.stdout.write(`tipcx ${readVersion()}\n`);
                return ExitCode.OK;
            case 'help':
                io.stdout.write(renderHelp(outcome.node, outcome.path));
                return ExitCode.OK;
            case 'incomplete':
                // iproute2 prints the level's whole help and exits 255; tipcx says in
                // two lines what may follow and exits 2, its code for "usage error".
                io.stderr.write(renderIncomplete(outcome.node, outcome.path));
                return ExitCode.USAGE;
            case 'run': {
                return await executeLeaf(outcome, io);
            }
        }
    } catch (err) {
        return reportError(err, io);
    }
}

/**
 * Which code a command line runs, in a few words: `version`, `help link`,
 * `run link list`, `run link list --all-netns` (all-netns.ts runs too).
 */
export function commandKey(outcome: ParseOutcome): string {
    if (outcome.kind === 'version') return 'version';
    const words = [outcome.kind, ...outcome.path];
    if (outcome.kind === 'run' && outcome.flags.allNetns) words.push('--all-netns');
    return words.join(' ');
}
