/**
 * The command registry: the declarative shape of tipcx's command tree and the
 * contract a leaf command module implements.
 *
 * The tree (src/commands/index.ts) is pure data plus lazy `load` thunks, so
 * parsing, help, version and completion never pull in netlink code; only the
 * one leaf that actually runs is imported.
 */

/** Anything text can be written to: process.stdout, or a buffer in tests. */
export interface Writer {
    write(chunk: string): unknown;
}

/**
 * Checks one value word; throws a UsageError (exit 2) naming the value and what
 * is accepted. `label` is the option key or the leaf word the value belongs to.
 * Validators only check: commands receive the original string.
 */
export type Validator = (value: string, label: string) => void;

/** One key of a leaf's key-value option table (iproute2's `struct opt`). */
export interface OptionSpec {
    /** Canonical key; users may type any unique prefix of it. */
    readonly key: string;
    /** true: `key VALUE`; false: a bare flag word such as `master`. */
    readonly takesValue: boolean;
    /** Value placeholder shown in help and completion, e.g. `LINK`. */
    readonly placeholder?: string;
    readonly description: string;
    readonly validate?: Validator;
    /**
     * Reject the command line when the key is absent: `true` reports
     * `error, missing KEY`; a string is reported verbatim (iproute2's wording,
     * e.g. `error, missing bearer media`, which scripts may grep for).
     */
    readonly required?: boolean | string;
    /** Accepted but not advertised (iproute2 keeps some legacy keys quiet). */
    readonly hidden?: boolean;
    /** tipcx-only key: loses unique-prefix contests to iproute2 keys. */
    readonly extension?: boolean;
}

/**
 * The word right after a leaf word that iproute2 takes as that leaf's value:
 * `link set priority VALUE …`, `node set identity NODEID`.
 */
export interface ValueSpec {
    readonly placeholder: string;
    readonly description: string;
    readonly validate?: Validator;
    /**
     * The value may be left out. It is then taken only when the word is not a
     * (prefix of an) option key: `node set key rekeying now` has no KEY, as in
     * iproute2.
     */
    readonly optional?: boolean;
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
}

/** A level that only dispatches to its children (`link`, `link statistics`). */
export interface GroupNode extends NodeBase {
    readonly children: readonly CommandNode[];
}

/** A runnable command (`link list`, `link get priority`). */
export interface LeafNode extends NodeBase {
    /** Declared so `'children' in node` / `node.children` narrows cleanly. */
    readonly children?: undefined;
    readonly options?: readonly OptionSpec[];
    readonly value?: ValueSpec;
    /**
     * The word that selected this leaf is parsed again as its first option key,
     * as iproute2 does for `bearer add media udp …` and `bearer get media udp …`
     * (it rewinds optind). Only meaningful when `options` has that key.
     */
    readonly wordIsOption?: boolean;
    /**
     * Lazy import of the implementing module, e.g.
     * `load: () => import('./link/list.js')`. Several leaves may share one
     * module and tell themselves apart by `ctx.path`. Absent: the leaf reports
     * "not implemented yet" (exit 1).
     */
    readonly load?: () => Promise<{ default: CommandModule }>;
}

export type CommandNode = GroupNode | LeafNode;

export function isGroup(node: CommandNode): node is GroupNode {
    return node.children !== undefined;
}

/** Children a listing or an "expected one of" message should mention. */
export function visibleChildren(node: GroupNode): CommandNode[] {
    return node.children.filter((child) => !child.hidden);
}

/** What the framework hands to a leaf's `run`. */
export interface CommandContext {
    /** Resolved full words, e.g. ['link', 'get', 'priority'] for `l g p`. */
    readonly path: readonly string[];
    /** Option values by canonical key; flags are `true`. Last value wins. */
    readonly opts: Readonly<Record<string, string | true>>;
    /** The leaf's positional value word (see LeafNode.value), if given. */
    readonly value?: string;
    /** -j: the framework prints `records` as JSON instead of `text(records)`. */
    readonly json: boolean;
    /** -p: indent JSON (no effect without -j, as in iproute2). */
    readonly pretty: boolean;
    /** -n NAME: the command must act inside this network namespace. */
    readonly netns?: string;
    /** --all-netns: the command must act in every named network namespace. */
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
 * What a command returns: one data model, two renderings (iproute2's
 * PRINT_ANY idea). The framework prints `records` as a JSON array with -j,
 * otherwise `text(records)` verbatim (include the trailing newline).
 * `streamed: true` means the command already wrote its output itself.
 */
export interface CommandResult<R extends object = object> {
    readonly records: readonly R[];
    // Method syntax on purpose: it keeps CommandResult<LinkRecord> assignable to
    // CommandResult<object> (method parameters are checked bivariantly).
    text(records: readonly R[]): string;
    readonly streamed?: true;
}

/** The default export of every command module. Returning void = streamed. */
export interface CommandModule {
    run(ctx: CommandContext): Promise<CommandResult | void>;
}

/**
 * Typed identity helper for command modules:
 * `export default defineCommand({ async run(ctx) { … return { records, text } } })`.
 */
export function defineCommand<R extends object>(module: {
    run(ctx: CommandContext): Promise<CommandResult<R> | void>;
}): CommandModule {
    return module as CommandModule;
}

/**
 * Builds a CommandResult with `text`'s parameter typed from `records`
 * (an inline `{ records, text: (rs) => … }` inside run() infers `object`):
 * `return commandResult(links, (rs) => rs.map((l) => `${l.name}: up\n`).join(''))`.
 */
export function commandResult<R extends object>(
    records: readonly R[],
    text: (records: readonly R[]) => string,
): CommandResult<R> {
    return { records, text };
}
