/**
 * Turns argv into what main() should do. Pure: no I/O, throws UsageError
 * (exit 2) for anything the user typed wrong.
 *
 * Order, as in iproute2: global flags are pulled out first (anywhere in argv),
 * then command words are resolved level by level, then the leaf's value and
 * key-value options. `-h` stops at the deepest level that resolved and shows
 * its help, even if a later word is wrong.
 */
import { UsageError } from '../errors.js';
import { scanGlobalFlags, type GlobalFlags } from './global-flags.js';
import { parseLeafArguments } from './options.js';
import { isGroup, type CommandNode, type GroupNode, type LeafNode, type ParsedArgs } from './registry.js';
import { explainMismatch, resolveWord, type Resolution } from './resolve.js';

export type ParseOutcome =
    | { readonly kind: 'version'; readonly flags: GlobalFlags }
    /** -h: help of `node` on stdout, exit 0. */
    | {
          readonly kind: 'help';
          readonly flags: GlobalFlags;
          readonly node: CommandNode;
          readonly path: readonly string[];
      }
    /** A level with children but no word for it: its help on stderr, exit 2. */
    | {
          readonly kind: 'incomplete';
          readonly flags: GlobalFlags;
          readonly node: GroupNode;
          readonly path: readonly string[];
      }
    | {
          readonly kind: 'run';
          readonly flags: GlobalFlags;
          readonly leaf: LeafNode;
          readonly path: readonly string[];
          readonly args: ParsedArgs;
      };

export function parseCommandLine(argv: readonly string[], root: GroupNode): ParseOutcome {
    const { flags, words } = scanGlobalFlags(argv);
    // -V answers before anything else is looked at, like `ip -V whatever`.
    if (flags.version) return { kind: 'version', flags };

    let node: CommandNode = root;
    const path: string[] = [];
    let next = 0;
    while (isGroup(node)) {
        const word = words[next];
        if (word === undefined) {
            return flags.help ? { kind: 'help', flags, node, path } : { kind: 'incomplete', flags, node, path };
        }
        const resolution: Resolution<CommandNode> = resolveWord(word, node.children);
        if (resolution.kind !== 'match') {
            if (flags.help) return { kind: 'help', flags, node, path };
            if (word.startsWith('--'))
                throw new UsageError(
                    `error, invalid option "${word}" (not a global option, and no command was given yet)`,
                );
            const reason = explainMismatch(resolution, node.children, 'nothing is accepted here');
            throw new UsageError(`error, invalid command "${word}" (${reason})`);
        }
        node = resolution.item;
        path.push(node.name);
        next += 1;
    }

    // Options are not checked under -h: `bearer enable media udp -h` is a help request.
    if (flags.help) return { kind: 'help', flags, node, path };

    // iproute2 rewinds so the leaf's own word is read again as its first key
    // (`bearer add m udp …`: `m` selected the leaf and is also the media key).
    const leafWords = node.wordIsOption ? words.slice(next - 1) : words.slice(next);
    return { kind: 'run', flags, leaf: node, path, args: parseLeafArguments(node, leafWords) };
}
