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
import { UsageError } from '../netlink/errors.js';
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
        const firstIsOptionKey = first !== undefined && options.some((o) => o.name.startsWith(first));
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
        const option = resolveOption(words[i]!, options);
        if (!option.takesValue) {
            opts[option.key] = true;
            i += 1;
            continue;
        }
        const optionValue = words[i + 1];
        if (optionValue === undefined) throw new UsageError(`error, missing value for "${option.key}"`);
        option.validate?.(optionValue, option.key);
        opts[option.key] = optionValue;
        i += 2;
    }

    for (const option of options) {
        if (option.required && !(option.key in opts)) {
            const message = typeof option.required === 'string' ? option.required : `error, missing ${option.key}`;
            throw new UsageError(message);
        }
    }
    return value === undefined ? { opts } : { opts, value };
}

function resolveOption(word: string, options: readonly NamedOption[]): NamedOption {
    const resolution = resolveWord(word, options);
    if (resolution.kind === 'match') return resolution.item;
    const reason = explainMismatch(resolution, options, 'this command takes no options');
    throw new UsageError(`error, invalid option "${word}" (${reason})`);
}
