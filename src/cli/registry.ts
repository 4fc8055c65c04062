/**
 * The command registry: the runtime shape of tipcx's command tree, and the
 * one place the tree is assembled from the registration lists in
 * src/commands/index.ts (the top-level words) and each object's index.ts.
 *
 * Commands are written with the typed API in command.ts; what the framework
 * walks (parser, help, man page, completion) is the erased shape below. Every
 * command module keeps netlink out of its static imports (its handler imports
 * the operations with `await import`), so parsing, help, version and
 * completion never load it.
 */
import type { Iproute2Value } from '../render/iproute2-json.js';

/** Anything text can be written to: process.stdout, or a buffer in tests. */
export interface Writer {
    write(chunk: string): unknown;
    /**
     * The text as UTF-8 bytes, where the writer takes them as they are
     * (standard output): text made as bytes then goes out without being made
     * a string and encoded again. The bytes are handed over: the caller does
     * not touch them again.
     */
    writeBytes?(bytes: Uint8Array): unknown;
}

/**
 * Turns one value word into the value the handler receives, or throws a
 * UsageError (exit 2) naming the word and what is accepted. `label` is the
 * option key or the leaf word the value belongs to.
 */
export type Parser<T> = (text: string, label: string) => T;

/** Values only the running system knows, offered by completion. */
export type LiveKind = 'links' | 'bearers' | 'udpBearers' | 'devices' | 'media' | 'peers' | 'netns';

/** What TAB offers for a value: live names (a LiveKind) or fixed words. */
export type Completion = Exclude<LiveKind, 'netns'> | readonly string[];

/** One key of a leaf's key-value option table (iproute2's `struct opt`). */
export interface OptionSpec {
    /** Canonical key; users may type any unique prefix of it. */
    readonly key: string;
    /** true: `key VALUE`; false: a bare flag word such as `master`. */
    readonly takesValue: boolean;
    /** Present when `takesValue`. */
    readonly parse?: Parser<unknown>;
    /** Value placeholder shown in help, e.g. `LINK`. */
    readonly placeholder?: string;
    readonly description: string;
    /**
     * Reject the command line when the key is absent: `true` reports
     * `missing KEY`; a string is reported verbatim (iproute2's wording,
     * e.g. `missing bearer media`, which scripts may grep for).
     */
    readonly required?: true | string;
    /** The key may be given several times; the handler gets every value, in order (`service A service B`). */
    readonly repeatable?: boolean;
    /** Accepted but not advertised (iproute2 keeps some legacy keys quiet). */
    readonly hidden?: boolean;
    /** tipcx-only key: loses unique-prefix contests to iproute2 keys. */
    readonly extension?: boolean;
    readonly complete?: Completion;
    /** Completion offers the key only when this other option is absent or has one of these values. */
    readonly onlyWith?: OnlyWith;
}

/** `localip` belongs to `media udp`: { key: 'media', values: ['udp'] }. */
export interface OnlyWith {
    readonly key: string;
    readonly values: readonly string[];
}

/**
 * The word right after a leaf word that iproute2 takes as that leaf's value:
 * `link set priority VALUE …`, `node set identity NODEID`.
 */
export interface ValueSpec {
    readonly placeholder: string;
    readonly description: string;
    readonly parse: Parser<unknown>;
    /**
     * The value may be left out. It is then taken only when the word is not a
     * (prefix of an) option key: `node set key rekeying now` has no KEY, as in
     * iproute2.
     */
    readonly optional?: boolean;
    readonly complete?: Completion;
}

interface NodeBase {
    /** The full command word; users may type any unique prefix of it. */
    readonly name: string;
    /** One line, no trailing period: shown in the parent's listing. */
    readonly summary: string;
    /**
     * Hand-written help printed for `-h` at this level (iproute2 rule: generated
     * help neglects the special cases). Starts with `Usage: tipcx …`, ends with
     * an `Examples:` section.
     */
    readonly help: string;
    /** Accepted but left out of listings (`node set address` and friends). */
    readonly hidden?: boolean;
    /** tipcx-only word: loses unique-prefix contests to iproute2 words. */
    readonly extension?: boolean;
    /**
     * Ctrl-C is this command's normal end (a capture that runs until it): it
     * finishes its output and exits 0, as tcpdump does. A second Ctrl-C kills.
     */
    readonly endsOnInterrupt?: boolean;
}

/** A level that only dispatches to its children (`link`, `link statistics`). */
export interface GroupNode extends NodeBase {
    readonly children: readonly CommandNode[];
}

/**
 * How a command treats network namespaces:
 * - `each`: it acts in one namespace, the current one or `-n NAME`; with
 *   `--all-netns` the framework runs it once per namespace if it only reads
 *   (all-netns.ts) and refuses it if it changes state;
 * - `own`: it spans namespaces itself and gets `-n`/`--all-netns` as they are;
 * - `{ none: why }`: namespaces do not apply; `-n`/`--all-netns` is a usage
 *   error saying why (`creates its own namespaces`).
 */
export type NamespaceContract = 'each' | 'own' | { readonly none: string };

/** What a command does to kernel state; `none`: it needs no kernel (help-like, or a kernel of its own). */
export type KernelContract = 'reads' | 'changes' | 'none';

/** Parsed values by canonical key (flags are booleans), plus `value` for the leaf's value. */
export type ParsedArgs = Readonly<Record<string, unknown>>;

/** A runnable command (`link list`, `link get priority`). */
export interface LeafNode extends NodeBase {
    /** Declared so `'children' in node` / `node.children` narrows cleanly. */
    readonly children?: undefined;
    readonly options: readonly OptionSpec[];
    readonly value?: ValueSpec;
    /**
     * The word that selected this leaf is parsed again as its first option key,
     * as iproute2 does for `bearer add media udp …` and `bearer get media udp …`
     * (it rewinds optind). Only meaningful when `options` has that key.
     */
    readonly wordIsOption?: boolean;
    /** The contracts for these arguments (`proof pcap FILE` reads a file, live `proof` reads every namespace). */
    kernelFor(args: ParsedArgs): KernelContract;
    namespacesFor(args: ParsedArgs): NamespaceContract;
    run(args: ParsedArgs, ctx: CommandContext): Promise<CommandResult | void>;
}

export type CommandNode = GroupNode | LeafNode;

export function isGroup(node: CommandNode): node is GroupNode {
    // by its descriptor, not a read: a group whose commands are asked for on first read (buildCommandTree) is not asked here
    const children = Object.getOwnPropertyDescriptor(node, 'children');
    return children !== undefined && (children.get !== undefined || children.value !== undefined);
}

/** Children a listing or an "expected one of" message should mention. */
export function visibleChildren(node: GroupNode): CommandNode[] {
    return node.children.filter((child) => !child.hidden);
}

/** What the framework hands to a leaf's `run`, next to its parsed arguments. */
export interface CommandContext {
    /** -j: the framework prints `records` as JSON instead of `text(records)`. */
    readonly json: boolean;
    /** -p: indent JSON (no effect without -j, as in iproute2). */
    readonly pretty: boolean;
    /** -n NAME: the command must act inside this network namespace. */
    readonly netns?: string;
    /** --all-netns, for commands that span namespaces themselves (contract `own`). */
    readonly allNetns: boolean;
    /** --all-netns=pids: every namespace of a running process too, not only named ones. */
    readonly allNetnsPids?: boolean;
    /**
     * The namespace to act in when it has no /run/netns name (a process's, found
     * by --all-netns=pids); takes precedence over `netns`.
     */
    readonly netnsRef?: import('../netlink/netns.js').NetnsRef;
    /** Whether text output may be coloured; always false with -j. */
    readonly color: boolean;
    readonly stdout: Writer;
    readonly stderr: Writer;
    readonly env: Readonly<Record<string, string | undefined>>;
    /** Aborted on SIGINT; long-running commands stop and may return early. */
    readonly signal: AbortSignal;
}

/**
 * A command's text: a string, or UTF-8 bytes where a renderer writes bytes
 * (thousands of records, src/render/text-buffer.ts), which go to standard
 * output as they are instead of being made a string and encoded back.
 */
export type CommandText = string | Uint8Array;

/** The text as a string. */
export function textString(text: CommandText): string {
    return typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString();
}

/** The texts one after the other (one text as it is). */
export function joinTexts(texts: readonly CommandText[]): CommandText {
    if (texts.length === 1) return texts[0];
    return texts.every((t) => typeof t === 'string') ? texts.join('') : Buffer.concat(texts.map(bytesOf));
}

const bytesOf = (text: CommandText): Uint8Array => (typeof text === 'string' ? Buffer.from(text) : text);

/** Writes a text: bytes as bytes where the writer takes them. */
export function writeText(out: Writer, text: CommandText): void {
    if (typeof text === 'string') out.write(text);
    else if (out.writeBytes) out.writeBytes(text);
    else out.write(textString(text));
}

/**
 * What a command returns: one data model, two renderings (iproute2's
 * PRINT_ANY idea). The framework prints `records` as a JSON array with -j,
 * otherwise `text(records)` verbatim (include the trailing newline).
 * `streamed: true` means the command already wrote its output itself.
 */
export interface CommandResult<R extends object = object> {
    readonly records: readonly R[];
    // Method syntax on purpose: it keeps CommandResult<LinkRecord> assignable to
    // CommandResult<object> (method parameters are checked bivariantly).
    text(records: readonly R[]): CommandText;
    /**
     * `--json=iproute2`: the records in the shape `tipc -j` prints
     * (src/render/iproute2-json.ts). Absent where iproute2 has no JSON: its
     * `-j` prints text there, and so does tipcx.
     */
    iproute2?(records: readonly R[]): Iproute2Value[];
    readonly streamed?: true;
}

/**
 * Builds a CommandResult with `text`'s parameter typed from `records`
 * (an inline `{ records, text: (rs) => … }` inside run() infers `object`):
 * `return commandResult(links, (rs) => rs.map((l) => `${l.name}: up\n`).join(''))`.
 */
export function commandResult<R extends object>(
    records: readonly R[],
    text: (records: readonly R[]) => CommandText,
    iproute2?: (records: readonly R[]) => Iproute2Value[],
): CommandResult<R> {
    return iproute2 ? { records, text, iproute2 } : { records, text };
}

// ---------------------------------------------------------------- assembling the tree

/** A group or a leaf with the full words that reach it, as registered in src/commands/ (index.ts files). */
export type Registration =
    | { readonly kind: 'leaf'; readonly path: readonly string[]; readonly node: LeafNode }
    | {
          readonly kind: 'group';
          readonly path: readonly string[];
          readonly node: Omit<GroupNode, 'children'>;
          /**
           * The group's commands (full paths), when they are registered in a
           * module of their own: they are asked for, and their part of the
           * tree assembled and checked, when the group's children are first
           * read. The bundle runs each such module only then
           * (commandsOnFirstUse in src/cli/bundle.ts), so that a command line
           * pays for the definitions of its own object only.
           */
          readonly commands?: () => readonly Registration[];
      };

/**
 * The tree from the registration list: each entry hangs under the group whose
 * path is its path minus the last word, in list order. Throws at load time on
 * a path registered twice, an entry whose group is not registered, and a group
 * nothing hangs under, so a mistake in the list cannot ship. A group with
 * `commands` of its own is checked so when its children are first read
 * (test/unit/cli-registry.test.ts reads them all).
 */
export function buildCommandTree(root: Omit<GroupNode, 'children'>, registrations: readonly Registration[]): GroupNode {
    return { ...root, children: assemble([], registrations) };
}

/** The children of the group at `base`, from registrations whose paths all start with it. */
function assemble(base: readonly string[], registrations: readonly Registration[]): CommandNode[] {
    const top = base.join(' ');
    const children = new Map<string, CommandNode[]>([[top, []]]);
    const seen = new Set<string>();
    for (const r of registrations) {
        const path = r.path.join(' ');
        if (seen.has(path)) throw new Error(`command tree: "${path}" is registered twice`);
        seen.add(path);
        if (r.kind === 'group' && r.commands === undefined) children.set(path, []);
    }
    for (const r of registrations) {
        const parent = r.path.slice(0, -1).join(' ');
        const siblings = children.get(parent);
        if (!siblings) throw new Error(`command tree: "${r.path.join(' ')}" has no registered group "${parent}"`);
        // The group's children array is shared, so entries registered after the group still land in it.
        siblings.push(r.kind === 'group' ? groupNode(r, children.get(r.path.join(' '))) : r.node);
    }
    for (const [path, below] of children) {
        if (below.length === 0) throw new Error(`command tree: group "${path}" has no commands`);
    }
    return children.get(top)!;
}

function groupNode(r: Extract<Registration, { kind: 'group' }>, below: CommandNode[] | undefined): GroupNode {
    const { commands } = r;
    if (commands === undefined) return { ...r.node, children: below! };
    let loaded: CommandNode[] | undefined;
    const node = { ...r.node } as GroupNode;
    Object.defineProperty(node, 'children', {
        enumerable: true,
        get: () => (loaded ??= assemble(r.path, commands())),
    });
    return node;
}
