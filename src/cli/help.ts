/**
 * Help output. Every level's text is hand-written in the registry; only the
 * top level is assembled here, because its object list must follow the tree
 * as tipcx-only words are added, and the global options and exit codes belong
 * to the framework rather than to any command (the options block is generated
 * from the flag table in global-flags.ts).
 */
import { errorLine } from '../errors.js';
import { globalOptionsHelp } from './global-flags.js';
import { isGroup, visibleChildren, type CommandNode, type GroupNode } from './registry.js';

export const EXIT_STATUS_HELP = `Exit status:
  0    success
  1    the operation failed (the kernel refused, an object is missing,
       no answer)
  2    usage error (unknown word or option, missing or invalid value)
  3    environment problem (no TIPC in the kernel, no permission,
       no such namespace)
  130  interrupted (Ctrl-C)`;

/**
 * What a level with children but no word for it prints on stderr (exit 2):
 * what may follow, in the error style, and where the full help is.
 */
export function renderIncomplete(node: GroupNode, path: readonly string[]): string {
    const what = path.length === 0 ? 'missing object' : `missing command after "tipcx ${path.join(' ')}"`;
    const words = visibleChildren(node).map((child) => child.name);
    const command = ['tipcx', ...path].join(' ');
    return `${errorLine(`${what} (expected one of: ${words.join(', ')})`)}\n"${command} help" or "${command} -h" shows the help.\n`;
}

/** Help for a level; `path` empty means the top level. Always ends with a newline. */
export function renderHelp(node: CommandNode, path: readonly string[]): string {
    const text = path.length === 0 && isGroup(node) ? renderTopLevelHelp(node) : node.help;
    return text.endsWith('\n') ? text : `${text}\n`;
}

function renderTopLevelHelp(root: GroupNode): string {
    const objects = visibleChildren(root);
    const classic = objects.filter((child) => !child.extension);
    const additions = objects.filter((child) => child.extension);
    const width = Math.max(...objects.map((child) => child.name.length)) + 2;
    const list = (nodes: readonly CommandNode[]): string =>
        nodes.map((child) => `  ${child.name.padEnd(width)}${child.summary}`).join('\n');

    const sections = [
        `Usage: tipcx [OPTIONS] OBJECT COMMAND [ARGS]...\n\n${root.summary}`,
        `Objects (as in iproute2's tipc):\n${list(classic)}`,
        additions.length > 0 ? `tipcx additions:\n${list(additions)}` : '',
        globalOptionsHelp(),
        EXIT_STATUS_HELP,
        root.help.trimEnd(),
    ];
    return `${sections.filter((section) => section !== '').join('\n\n')}\n`;
}
