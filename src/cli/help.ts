/**
 * Help output. Every level's text is hand-written in the registry; only the
 * top level is assembled here, because its object list must follow the tree
 * as tipcx-only words are added, and the global options and exit codes belong
 * to the framework rather than to any command.
 */
import { isGroup, visibleChildren, type CommandNode, type GroupNode } from './registry.js';

export const GLOBAL_OPTIONS_HELP = `Options (accepted anywhere on the line; long names may be abbreviated):
  -j, --json            print records as JSON (always an array of objects)
  -p, --pretty          indent JSON output (used with -j)
  -n, --netns NAME      act inside network namespace NAME (/run/netns/NAME)
      --all-netns[=pids]
                        run a read command in every named network namespace
                        (=pids: also those of running processes, as pid:N)
      --color[=WHEN]    colour text output: auto (default), always, never;
                        a non-empty NO_COLOR means never unless --color is given
  -h, --help            show help for the last command word given
  -V, --version         print the version and exit
  --                    stop reading options; later words starting with "-" are values`;

export const EXIT_STATUS_HELP = `Exit status:
  0    success
  1    the operation failed (the kernel refused, an object is missing, no answer)
  2    usage error (unknown word or option, missing or invalid value)
  3    environment problem (no TIPC in the kernel, no permission, no such namespace)
  130  interrupted (Ctrl-C)`;

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
        GLOBAL_OPTIONS_HELP,
        EXIT_STATUS_HELP,
        root.help.trimEnd(),
    ];
    return `${sections.filter((section) => section !== '').join('\n\n')}\n`;
}
