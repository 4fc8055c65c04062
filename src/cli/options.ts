/**
 * The words after a leaf: its positional value (if it takes one), then
 * key-value options as in iproute2's parse_opts(): keys by unique prefix, any
 * order, the last value of a repeated key wins, values never abbreviated.
 *
 * Divergences, on purpose: a key given last without its value is an error
 * (iproute2 silently treats it as absent and later reports e.g.
 * `error, missing link`), and leaves without options reject stray words
 * (iproute2 ignores them, so `nametable show type 1000` looks like a filter).
 */
import { UsageError } from '../errors.js';
import type { LeafNode, OptionSpec } from './registry.js';
import { explainMismatch, resolveWord, type Matchable } from './resolve.js';

export interface LeafArguments {
    readonly opts: Record<string, string | true>;
    readonly value?: string;
}

type NamedOption = OptionSpec & Matchable;

export function parseLeafArguments(leaf: LeafNode, words: readonly string[]): LeafArguments {
    const options: NamedOption[] = (leaf.options ?? []).map((option) => ({ ...option, name: option.key }));
    let i = 0;

    let value: string | undefined;
    if (leaf.value) {
        const first = words[0];
        const firstIsOptionKey = first !== undefined
            && (first.startsWith('--') || options.some((o) => o.name.startsWith(first)));
        if (first !== undefined && !(leaf.value.optional && firstIsOptionKey)) {
            leaf.value.validate?.(first, leaf.name);
            value = first;
            i = 1;
        } else if (!leaf.value.optional) {
            throw new UsageError(`error, missing value for "${leaf.name}"`);
        }
    }

    const opts: Record<string, string | true> = {};
    while (i < words.length) {
        const { key, inline } = splitLongOption(words[i]!);
        const option = resolveOption(key, options, words[i]!);
        if (!option.takesValue) {
            if (inline !== undefined) throw new UsageError(`error, option "${option.key}" takes no value`);
            opts[option.key] = true;
            i += 1;
            continue;
        }
        const optionValue = inline ?? words[i + 1];
        if (optionValue === undefined) throw new UsageError(`error, missing value for "${option.key}"`);
        option.validate?.(optionValue, option.key);
        opts[option.key] = optionValue;
        i += inline === undefined ? 2 : 1;
    }

    for (const option of options) {
        if (option.required && !(option.key in opts)) {
            const message = typeof option.required === 'string' ? option.required : `error, missing ${option.key}`;
            throw new UsageError(message);
        }
    }
    return value === undefined ? { opts } : { opts, value };
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
    const reason = explainMismatch(resolution, options, 'this command takes no options');
    throw new UsageError(`error, invalid option "${typed}" (${reason})`);
}
