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
 * The one-line reason appended to `invalid command "x"`: which words clash,
 * or which are accepted (hidden ones are accepted but not advertised), led by
 * a did-you-mean when `typed` is close to one of them.
 */
export function explainMismatch<T extends Matchable>(
    resolution: Resolution<T>,
    candidates: readonly T[],
    nothingAccepted: string,
    typed?: string,
): string {
    if (resolution.kind === 'ambiguous') {
        return `ambiguous: ${resolution.matches.map((m) => m.name).join(', ')}`;
    }
    const advertised = candidates.filter((candidate) => !candidate.hidden).map((c) => c.name);
    const accepted = advertised.length > 0 ? `expected one of: ${advertised.join(', ')}` : nothingAccepted;
    const guess = typed === undefined ? undefined : didYouMean(typed, advertised);
    return guess === undefined ? accepted : `${guess} ${accepted}`;
}

/**
 * `did you mean "link"?` when `typed` is one typo away from one or more of
 * `names` (a letter missing, extra, changed, or two swapped: `lnk`, `lsit`,
 * `--colour`); two typos are allowed from 6 characters on. Undefined when
 * nothing is that close.
 */
export function didYouMean(typed: string, names: readonly string[]): string | undefined {
    const allowed = typed.length >= 6 ? 2 : 1;
    let best = allowed;
    let closest: string[] = [];
    for (const name of names) {
        const distance = typoDistance(typed, name);
        if (distance > allowed) continue;
        if (distance < best || closest.length === 0) [best, closest] = [distance, [name]];
        else if (distance === best) closest.push(name);
    }
    if (closest.length === 0 || best === 0) return undefined;
    return `did you mean ${closest.map((name) => `"${name}"`).join(' or ')}?`;
}

/** Edits (insert, delete, substitute, swap two neighbours) turning `a` into `b` (optimal string alignment). */
export function typoDistance(a: string, b: string): number {
    const rows = a.length + 1;
    const cols = b.length + 1;
    const d: number[][] = Array.from({ length: rows }, (_, i) =>
        Array.from({ length: cols }, (__, j) => (i === 0 ? j : j === 0 ? i : 0)),
    );
    for (let i = 1; i < rows; i++) {
        for (let j = 1; j < cols; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.length][b.length];
}
