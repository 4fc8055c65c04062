/**
 * The words after a leaf: its positional value (if it takes one), then
 * key-value options as in iproute2's parse_opts(): keys by unique prefix, any
 * order, the last value of a repeated key wins (unless the key is declared
 * repeatable: then every value is kept), values never abbreviated.
 * One walk (walkLeafWords) serves the parser and completion, so what TAB
 * offers is what the parser accepts.
 *
 * Divergences, on purpose: a key given last without its value is an error
 * (iproute2 silently treats it as absent and later reports e.g.
 * `missing link`), and leaves without options reject stray words
 * (iproute2 ignores them, so `nametable show type 1000` looks like a filter).
 */
import { UsageError, quoted } from '../errors.js';
import type { LeafNode, OptionSpec, ParsedArgs, ValueSpec } from './registry.js';
import { LONG_FLAG_NAMES } from './global-flags.js';
import { didYouMean, explainMismatch, resolveWord, type Matchable } from './resolve.js';

type NamedOption = OptionSpec & Matchable;

/** Where the words ran out: what the next word would be. */
export type LeafWordsEnd =
    | { readonly expecting: 'value'; readonly value: ValueSpec; readonly orKey: boolean }
    | { readonly expecting: 'optionValue'; readonly option: OptionSpec }
    | { readonly expecting: 'key' };

export interface LeafWalk {
    readonly options: readonly NamedOption[];
    /** Options given so far, by canonical key. */
    readonly given: ReadonlySet<string>;
    readonly end: LeafWordsEnd;
}

/**
 * Walks `words` against the leaf's value and option table, calling `accept`
 * for each value word as it comes (so the first bad word is the one
 * reported) and `acceptFlag` for each flag. Throws a UsageError for a word
 * that is no option key.
 */
export function walkLeafWords(
    leaf: LeafNode,
    words: readonly string[],
    accept: (target: OptionSpec | ValueSpec, text: string) => void,
    acceptFlag: (option: OptionSpec) => void,
): LeafWalk {
    const options: NamedOption[] = leaf.options.map((option) => ({ ...option, name: option.key }));
    const given = new Set<string>();
    let i = 0;
    if (leaf.value) {
        const first = words[0];
        if (first === undefined)
            return {
                options,
                given,
                end: { expecting: 'value', value: leaf.value, orKey: leaf.value.optional === true },
            };
        const firstIsOptionKey = first.startsWith('--') || options.some((o) => o.name.startsWith(first));
        if (!(leaf.value.optional && firstIsOptionKey)) {
            accept(leaf.value, first);
            i = 1;
        }
    }
    while (i < words.length) {
        const { key, inline } = splitLongOption(words[i]);
        const option = resolveOption(key, options, words[i]);
        given.add(option.key);
        if (!option.takesValue) {
            if (inline !== undefined) throw new UsageError(`option "${option.key}" takes no value`);
            acceptFlag(option);
            i += 1;
            continue;
        }
        const optionValue = inline ?? words[i + 1];
        if (optionValue === undefined) return { options, given, end: { expecting: 'optionValue', option } };
        accept(option, optionValue);
        i += inline === undefined ? 2 : 1;
    }
    return { options, given, end: { expecting: 'key' } };
}

/** The leaf's arguments, parsed: values by canonical key, flags true or false, `value` for the leaf's value. */
export function parseLeafArguments(leaf: LeafNode, words: readonly string[]): ParsedArgs {
    const initial: [string, unknown][] = [
        ...leaf.options.filter((o) => !o.takesValue).map((o): [string, unknown] => [o.key, false]),
        ...leaf.options.filter((o) => o.repeatable).map((o): [string, unknown] => [o.key, []]),
    ];
    const args: Record<string, unknown> = Object.fromEntries(initial);
    const walk = walkLeafWords(
        leaf,
        words,
        (target, text) => {
            if ('key' in target && target.repeatable)
                (args[target.key] as unknown[]).push(target.parse!(text, target.key));
            else if ('key' in target) args[target.key] = target.parse!(text, target.key);
            else args.value = target.parse(text, leaf.name);
        },
        (option) => void (args[option.key] = true),
    );
    const { end } = walk;
    if (end.expecting === 'optionValue') throw new UsageError(`missing value for "${end.option.key}"`);
    if (end.expecting === 'value' && !end.orKey) throw new UsageError(`missing value for "${leaf.name}"`);
    for (const option of leaf.options) {
        if (option.required && !walk.given.has(option.key)) {
            throw new UsageError(typeof option.required === 'string' ? option.required : `missing ${option.key}`);
        }
    }
    return args;
}

/** `--key=value` / `--key` (long-flag spelling) -> key and inline value; other words as they are. */
function splitLongOption(word: string): { key: string; inline?: string } {
    if (!word.startsWith('--') || word.length < 3) return { key: word };
    const eq = word.indexOf('=');
    return eq === -1 ? { key: word.slice(2) } : { key: word.slice(2, eq), inline: word.slice(eq + 1) };
}

function resolveOption(key: string, options: readonly NamedOption[], typed: string): NamedOption {
    const resolution = resolveWord(key, options);
    if (resolution.kind === 'match') return resolution.item;
    const reason = explainMismatch(resolution, options, 'this command takes no options', key);
    // `--colour` after a command: maybe a global flag mistyped rather than a key.
    const flagGuess =
        resolution.kind === 'unknown' && typed.startsWith('--') && !reason.includes('did you mean')
            ? didYouMean(typed.split('=')[0], LONG_FLAG_NAMES)
            : undefined;
    throw new UsageError(`invalid option ${quoted(typed)} (${flagGuess ? `${flagGuess} ` : ''}${reason})`);
}
