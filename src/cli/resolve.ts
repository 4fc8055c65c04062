/**
 * iproute2's unique-prefix matching (tipc/cmdl.c), shared by command words,
 * option keys and long global flags.
 *
 * One tipcx addition: words marked `extension` (tipcx-only) are only tried when
 * no iproute2 word matches the prefix. Without that tier, adding `lab` would
 * break `tipc l l` (= link list) and `proof` would break `tipc p remove …`, so a
 * drop-in replacement could not grow new top-level words.
 */

export interface Matchable {
    readonly name: string;
    readonly extension?: boolean;
    readonly hidden?: boolean;
}

export type Resolution<T> =
    | { readonly kind: 'match'; readonly item: T }
    | { readonly kind: 'ambiguous'; readonly matches: readonly T[] }
    | { readonly kind: 'unknown' };

export function resolveWord<T extends Matchable>(word: string, candidates: readonly T[]): Resolution<T> {
    // An exact match wins even if the word is also a prefix of a longer one.
    const exact = candidates.find((candidate) => candidate.name === word);
    if (exact) return { kind: 'match', item: exact };

    const tiers = [
        candidates.filter((candidate) => !candidate.extension),
        candidates.filter((candidate) => candidate.extension),
    ];
    for (const tier of tiers) {
        // Case-sensitive, like iproute2 (`AUTOSELECT` is not `autoselect`).
        const matches = tier.filter((candidate) => candidate.name.startsWith(word));
        if (matches.length === 1) return { kind: 'match', item: matches[0] };
        if (matches.length > 1) return { kind: 'ambiguous', matches };
    }
    return { kind: 'unknown' };
}

/**
 * The one-line reason appended to `error, invalid command "x"`: which words
 * clash, or which are accepted (hidden ones are accepted but not advertised).
 */
export function explainMismatch<T extends Matchable>(
    resolution: Resolution<T>,
    candidates: readonly T[],
    nothingAccepted: string,
): string {
    if (resolution.kind === 'ambiguous') {
        return `ambiguous: ${resolution.matches.map((m) => m.name).join(', ')}`;
    }
    const advertised = candidates.filter((candidate) => !candidate.hidden).map((c) => c.name);
    return advertised.length > 0 ? `expected one of: ${advertised.join(', ')}` : nothingAccepted;
}
