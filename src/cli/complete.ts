/**
 * Shell completion, written once in TypeScript. The per-shell scripts
 * (completions/, `tipcx completion SHELL`) are small and static: on every TAB
 * they call `tipcx __complete WORD...` with the words after `tipcx` (the last
 * one being the word under the cursor, possibly empty) and show what it
 * prints, one `candidate<TAB>description` per line.
 *
 * Why not yargs' completion protocol: it would need the tree mirrored into a
 * yargs instance, and yargs' own parser cannot follow iproute2's rules (see
 * global-flags.ts); walking the registry with the parser's own resolveWord
 * keeps "what TAB offers" and "what the parser accepts" the same code.
 *
 * Typed words resolve exactly as the parser resolves them (unique prefixes,
 * extension words losing to iproute2 words); live values (links, bearers,
 * media, peers) come from the kernel within a short budget and are silently
 * left out when TIPC is absent or slow. Nothing here loads the TUI, and the
 * kernel code is only imported when a live value is wanted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { COLOR_MODES } from '../render/color.js';
import { GLOBAL_FLAGS, NETNS_FLAG } from './global-flags.js';
import { walkLeafWords, type LeafWalk } from './options.js';
import { MEDIA_TYPES } from './parsers.js';
import {
    isGroup,
    visibleChildren,
    type CommandNode,
    type Completion,
    type GroupNode,
    type LeafNode,
    type LiveKind,
    type OptionSpec,
} from './registry.js';
import { resolveWord } from './resolve.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export interface Candidate {
    readonly value: string;
    readonly description?: string;
}

export type { LiveKind } from './registry.js';

/** Where live values come from; tests replace it. `netns` is the -n NAME typed so far. */
export type LiveSource = (kind: LiveKind, netns: string | undefined) => Promise<readonly string[]>;

export interface CompleteOptions {
    /** Live values; default: the kernel and /run/netns. */
    readonly live?: LiveSource;
    /** How long live values may take before completion gives up on them (ms). */
    readonly budgetMs?: number;
}

export const DEFAULT_BUDGET_MS = 300;

/**
 * Candidates for the last word of `words` (the words after `tipcx`). Never
 * throws for bad input: a line that does not parse has no candidates.
 */
export async function complete(
    words: readonly string[],
    tree: GroupNode,
    options: CompleteOptions = {},
): Promise<Candidate[]> {
    const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
    const live = options.live ?? kernelLiveSource(budgetMs);
    const current = words.length > 0 ? words[words.length - 1] : '';
    const typed = words.slice(0, -1);

    // Pull out global flags as the scanner would, remembering -n NAME.
    const commandWords: string[] = [];
    let netns: string | undefined;
    let flagsEnded = false;
    let wantsNetns = false;
    for (let i = 0; i < typed.length; i++) {
        const word = typed[i];
        if (!flagsEnded && word === '--') {
            flagsEnded = true;
            continue;
        }
        if (flagsEnded || !looksLikeFlag(word)) {
            commandWords.push(word);
            continue;
        }
        const netnsValue = netnsFlagValue(word);
        if (netnsValue === undefined) continue;
        if (netnsValue !== '') {
            netns = netnsValue;
        } else if (i + 1 < typed.length) {
            netns = typed[++i];
        } else {
            wantsNetns = true; // the word under the cursor is the namespace
        }
    }

    if (wantsNetns) return fromLive(live, 'netns', undefined, current, budgetMs);
    if (!flagsEnded && current.startsWith('-') && !/^-\d/.test(current)) return globalFlagCandidates(current);

    // Command words, resolved level by level like the parser does.
    let node: CommandNode = tree;
    let next = 0;
    while (isGroup(node) && next < commandWords.length) {
        const resolution: ReturnType<typeof resolveWord<CommandNode>> = resolveWord(commandWords[next], node.children);
        if (resolution.kind !== 'match') return [];
        node = resolution.item;
        next += 1;
    }
    if (isGroup(node)) {
        return visibleChildren(node)
            .filter((child) => child.name.startsWith(current))
            .map((child) => ({ value: child.name, description: firstLine(child.summary) }));
    }
    const leafWords = node.wordIsOption ? commandWords.slice(next - 1) : commandWords.slice(next);
    return leafCandidates(node, leafWords, current, { live, netns, budgetMs });
}

interface LeafContext {
    readonly live: LiveSource;
    readonly netns: string | undefined;
    readonly budgetMs: number;
}

async function leafCandidates(
    leaf: LeafNode,
    words: readonly string[],
    current: string,
    ctx: LeafContext,
): Promise<Candidate[]> {
    let walk: LeafWalk;
    // The value typed for each key so far (last one wins, as in the parser).
    const typedValues = new Map<string, string>();
    try {
        walk = walkLeafWords(
            leaf,
            words,
            (target, text) => {
                if ('key' in target) typedValues.set(target.key, text);
            },
            () => {},
        );
    } catch {
        return []; // a word the parser would reject ends completion
    }
    const { end } = walk;
    // The key is the last word typed: the word under the cursor is its value.
    if (end.expecting === 'optionValue') return valueCandidates(end.option.complete, current, ctx);
    const values = end.expecting === 'value' ? await valueCandidates(end.value.complete, current, ctx) : [];
    if (end.expecting === 'value' && !end.orKey) return values;
    // A key that belongs to other media than the one given is no candidate (localip after media eth).
    const fits = (o: OptionSpec): boolean => {
        const other = o.onlyWith === undefined ? undefined : typedValues.get(o.onlyWith.key);
        return other === undefined || o.onlyWith!.values.includes(other);
    };
    const keys = walk.options
        .filter((o) => !o.hidden && (o.repeatable || !walk.given.has(o.key)) && o.key.startsWith(current) && fits(o))
        .map((o) => ({ value: o.key, description: o.description }));
    return [...values, ...keys];
}

/** Values for an option key or a leaf's value, as its spec says. */
async function valueCandidates(
    completion: Completion | undefined,
    current: string,
    ctx: LeafContext,
): Promise<Candidate[]> {
    const { live, netns, budgetMs } = ctx;
    const fixed = (values: readonly string[]): Candidate[] =>
        values.filter((v) => v.startsWith(current)).map((value) => ({ value }));
    if (completion === undefined) return [];
    if (typeof completion !== 'string') return fixed(completion);
    const known = await fromLive(live, completion, netns, current, budgetMs);
    // Media names are known without the kernel too.
    return completion === 'media' && known.length === 0 ? fixed(MEDIA_TYPES) : known;
}

async function fromLive(
    live: LiveSource,
    kind: LiveKind,
    netns: string | undefined,
    current: string,
    budgetMs: number,
): Promise<Candidate[]> {
    const values = await withinBudget(live(kind, netns), budgetMs);
    return [...new Set(values)].filter((v) => v !== '' && v.startsWith(current)).map((value) => ({ value }));
}

/** Resolves with [] when `work` fails or outlasts the budget; never rejects. */
async function withinBudget(work: Promise<readonly string[]>, budgetMs: number): Promise<readonly string[]> {
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<readonly string[]>((resolve) => {
        timer = setTimeout(() => resolve([]), budgetMs);
    });
    try {
        return await Promise.race([work.catch(() => []), giveUp]);
    } finally {
        clearTimeout(timer);
    }
}

function globalFlagCandidates(current: string): Candidate[] {
    if (current.startsWith('--color=')) {
        return COLOR_MODES.map((mode) => `--color=${mode}`)
            .filter((v) => v.startsWith(current))
            .map((value) => ({ value }));
    }
    const names = GLOBAL_FLAGS.flatMap((flag) => [
        { value: `--${flag.name}`, description: flag.summary },
        ...(flag.short && current.length <= 2 ? [{ value: `-${flag.short}`, description: flag.summary }] : []),
    ]);
    return names.filter((c) => c.value.startsWith(current));
}

const LONG_FLAG_NAMES = GLOBAL_FLAGS.map((spec) => ({ name: `--${spec.name}`, spec }));

const looksLikeFlag = (word: string): boolean => word.length > 1 && word.startsWith('-') && !/^-\d/.test(word);

/**
 * For a flag word: undefined when it does not take the namespace, '' when the
 * namespace is the next word, or the namespace itself (`-nNAME`, `--netns=NAME`).
 */
function netnsFlagValue(word: string): string | undefined {
    if (word.startsWith('--')) {
        const eq = word.indexOf('=');
        const name = eq === -1 ? word : word.slice(0, eq);
        const resolution = resolveWord(name, LONG_FLAG_NAMES);
        if (resolution.kind !== 'match' || resolution.item.spec !== NETNS_FLAG) return undefined;
        return eq === -1 ? '' : word.slice(eq + 1);
    }
    // A short cluster: everything after `n` is its value (`-jnNAME`).
    const at = word.indexOf(NETNS_FLAG.short!, 1);
    if (at === -1) return undefined;
    return word.slice(at + 1);
}

function firstLine(text: string): string {
    return text.split('\n', 1)[0];
}

// ---------------------------------------------------------------- live values

/** Live values from the kernel and the file system, each attempt bounded by the budget. */
export function kernelLiveSource(budgetMs: number): LiveSource {
    return async (kind, netns) => {
        if (kind === 'netns') return namedNetns();
        if (kind === 'devices') return interfaceNames(netns);
        const { withSession } = await import('../tipc/session.js');
        const options = { timeoutMs: budgetMs, ...(netns === undefined ? {} : { netns: { name: netns } }) };
        return withSession(options, async (session) => {
            switch (kind) {
                case 'links': {
                    const { listLinks } = await import('../tipc/link.js');
                    return (await listLinks(session, { statistics: false })).map((link) => link.name);
                }
                case 'bearers':
                case 'udpBearers': {
                    const { listBearers } = await import('../tipc/bearer.js');
                    const names = (await listBearers(session)).map((bearer) => bearer.name);
                    return kind === 'bearers'
                        ? names
                        : names.filter((n) => n.startsWith('udp:')).map((n) => n.slice(4));
                }
                case 'media': {
                    const { listMedia } = await import('../tipc/media.js');
                    return (await listMedia(session)).map((media) => media.name);
                }
                case 'peers': {
                    const { listPeerNodes } = await import('../tipc/node.js');
                    return (await listPeerNodes(session)).map((peer) => peer.identity);
                }
            }
        });
    };
}

function namedNetns(): string[] {
    try {
        return readdirSync('/run/netns').sort();
    } catch {
        return [];
    }
}

/** Interface names of a namespace: /proc/thread-self/net/dev read while the thread is inside it. */
async function interfaceNames(netns: string | undefined): Promise<string[]> {
    const read = (): string => readFileSync('/proc/thread-self/net/dev', 'utf8');
    let text: string;
    if (netns === undefined) {
        text = read();
    } else {
        const { withNetns } = await import('../netlink/netns.js');
        text = withNetns({ name: netns }, read);
    }
    return text
        .split('\n')
        .slice(2)
        .map((line) => line.split(':', 1)[0].trim())
        .filter((name) => name !== '' && name !== 'lo')
        .sort();
}

// ---------------------------------------------------------------- the hidden command

/**
 * `tipcx __complete WORD...`: prints `candidate<TAB>description` lines and
 * always succeeds (a completion that fails must not disturb the shell).
 */
export async function runCompleteCommand(
    words: readonly string[],
    tree: GroupNode,
    stdout: { write(chunk: string): unknown },
    options: CompleteOptions = {},
): Promise<number> {
    let candidates: Candidate[];
    try {
        candidates = await complete(words, tree, options);
    } catch {
        candidates = [];
    }
    stdout.write(candidates.map((c) => (c.description ? `${c.value}\t${c.description}\n` : `${c.value}\n`)).join(''));
    return 0;
}

// ---------------------------------------------------------------- shell scripts

const HEADER = (shell: Shell): string =>
    `# ${shell} completion for tipcx. Generated by "tipcx completion ${shell}"; do not edit.\n` +
    '# The candidates come from "tipcx __complete WORD...", so they follow the installed tipcx.\n';

const BASH = `${HEADER('bash')}
_tipcx() {
    # Re-split the line on blanks only: link names (a:b-c:d) and --color=WHEN
    # stay one word for "tipcx __complete", whatever COMP_WORDBREAKS says.
    local line=\${COMP_LINE:0:COMP_POINT}
    local -a words
    read -ra words <<<"$line"
    [[ $line =~ [[:space:]]$ ]] && words+=("")
    local current=\${words[\${#words[@]}-1]}
    # Readline replaces only the text after the last COMP_WORDBREAKS character
    # (":" and "=" by default) of the word under the cursor, so each candidate
    # loses what comes before it (what bash-completion's
    # __ltrim_colon_completions does for ":" alone); otherwise TAB after
    # "node1:" would give "node1::…" and after "--color=" "--color==".
    local prefix=\${current%"\${current##*[\${COMP_WORDBREAKS}]}"}
    local candidate
    local -a lines
    mapfile -t lines < <(tipcx __complete "\${words[@]:1}" 2>/dev/null)
    COMPREPLY=()
    for candidate in "\${lines[@]}"; do
        candidate=\${candidate%%$'\\t'*}
        [[ $candidate == "$prefix"* ]] && COMPREPLY+=("\${candidate:\${#prefix}}")
    done
}
complete -F _tipcx tipcx
`;

const ZSH = `#compdef tipcx
${HEADER('zsh')}
_tipcx() {
    local -a lines values displays
    local line value
    lines=("\${(@f)$(tipcx __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
    for line in $lines; do
        [[ -z $line ]] && continue
        value=\${line%%$'\\t'*}
        values+=("$value")
        if [[ $line == *$'\\t'* ]]; then
            displays+=("$value  -- \${line#*$'\\t'}")
        else
            displays+=("$value")
        fi
    done
    (( \${#values} )) || return 1
    compadd -l -d displays -Q -- "\${values[@]}"
}

if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
    _tipcx "$@"
else
    compdef _tipcx tipcx
fi
`;

const FISH = `${HEADER('fish')}
function __tipcx_complete
    set -l words (commandline -opc)
    set -l current (commandline -ct)
    tipcx __complete $words[2..-1] "$current" 2>/dev/null
end
complete -c tipcx -f -a '(__tipcx_complete)'
`;

export function completionScript(shell: Shell): string {
    return { bash: BASH, zsh: ZSH, fish: FISH }[shell];
}

/** Where each script is installed from in the package (completions/). */
export const COMPLETION_FILES: Readonly<Record<Shell, string>> = {
    bash: 'completions/tipcx.bash',
    zsh: 'completions/_tipcx',
    fish: 'completions/tipcx.fish',
};
