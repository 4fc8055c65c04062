/**
 * Turns argv into what main() should do. Pure: no I/O, throws UsageError
 * (exit 2) for anything the user typed wrong.
 *
 * Order, as in iproute2: global flags are pulled out first (anywhere in argv),
 * then command words are resolved level by level, then the leaf's value and
 * key-value options. `-h` stops at the deepest level that resolved and shows
 * its help, even if a later option is wrong; a word that names no command is
 * a usage error even under -h. The word `help` asks for help wherever no
 * command takes it, as in ip(8).
 */
import { UsageError, quoted } from '../errors.js';
import { LONG_FLAG_NAMES, scanGlobalFlags, type GlobalFlags } from './global-flags.js';
import { parseLeafArguments } from './options.js';
import { isGroup, type CommandNode, type GroupNode, type LeafNode, type ParsedArgs } from './registry.js';
import { didYouMean, explainMismatch, resolveWord, type Resolution } from './resolve.js';

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
    const scanned = scanGlobalFlags(argv);
    const { words } = scanned;
    let { flags } = scanned;
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
        if (resolution.kind !== 'match' && word === HELP_WORD) {
            // `tipcx help`, `tipcx link help`, `tipcx help link` as `ip help` and `ip link help`:
            // the word is free for a command to take, so it means help only where none does.
            flags = { ...flags, help: true };
            next += 1;
            continue;
        }
        if (resolution.kind !== 'match') {
            // Even under -h: help for a word that does not exist would hide the typo (`tipcx bogus -h`).
            if (word.startsWith('--')) {
                const guess = didYouMean(word.split('=')[0], LONG_FLAG_NAMES);
                throw new UsageError(
                    `invalid option ${quoted(word)} (${guess ? `${guess} ` : ''}not a global option, and no command was given yet)`,
                );
            }
            const reason = explainMismatch(resolution, node.children, 'nothing is accepted here', word);
            throw new UsageError(`invalid command ${quoted(word)} (${reason})`);
        }
        node = resolution.item;
        path.push(node.name);
        next += 1;
    }

    // iproute2 rewinds so the leaf's own word is read again as its first key
    // (`bearer add m udp …`: `m` selected the leaf and is also the media key).
    const leafWords = node.wordIsOption ? words.slice(next - 1) : words.slice(next);

    // Options are not checked under -h: `bearer enable media udp -h` is a help request.
    if (flags.help || isHelpWord(node, words.slice(next))) return { kind: 'help', flags, node, path };

    return { kind: 'run', flags, leaf: node, path, args: parseLeafArguments(node, leafWords) };
}

/** The word that asks for help where no command or option takes it. */
export const HELP_WORD = 'help';

/** `tipcx link list help`: the leaf's only word is `help`, and it is neither its value nor one of its keys. */
function isHelpWord(leaf: LeafNode, words: readonly string[]): boolean {
    if (words.length !== 1 || words[0] !== HELP_WORD || leaf.value !== undefined) return false;
    const keys = leaf.options.map((option) => ({ name: option.key }));
    return resolveWord(HELP_WORD, keys).kind === 'unknown';
}
