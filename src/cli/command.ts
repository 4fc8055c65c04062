/**
 * How a command is written: its words, help, options, contracts and handler in
 * one `defineCommand({...})`, in one file under src/commands/. Each option
 * carries the parser that turns its word into the handler's value, and the
 * handler's `args` are typed from those parsers: `args.link` is a string when
 * `link` is required, `string | undefined` when it is not, flags are
 * booleans, `args.value` is the leaf's value. Nothing is re-parsed or cast.
 *
 *     defineCommand({
 *         path: 'link statistics reset',
 *         summary: "Zero one link's counters",
 *         help: `Usage: tipcx link statistics reset link LINK …`,
 *         options: { link: option(textUpTo(67), { placeholder: 'LINK', description: '…', required: true }) },
 *         namespaces: 'each',
 *         kernel: 'changes',
 *         async run(args, ctx) {
 *             const { resetLinkStatistics } = await import('../../tipc/link.js');
 *             await inSession(ctx, (s) => resetLinkStatistics(s, args.link)); // args.link: string
 *         },
 *     })
 *
 * Heavy modules (netlink, the operations in src/tipc/, renderers) are imported
 * inside `run`: the command files are loaded for help and completion too.
 */
import type {
    CommandContext,
    CommandResult,
    Completion,
    GroupNode,
    KernelContract,
    LeafNode,
    NamespaceContract,
    OnlyWith,
    OptionSpec,
    Parser,
    Registration,
} from './registry.js';

interface OptionMeta {
    readonly placeholder?: string;
    readonly description: string;
    readonly hidden?: boolean;
    readonly extension?: boolean;
    readonly complete?: Completion;
    readonly onlyWith?: OnlyWith;
}

/** An option whose absence is a usage error: the handler gets `T`. */
export interface RequiredOption<T> extends OptionMeta {
    readonly takesValue: true;
    readonly parse: Parser<T>;
    readonly required: true | string;
}

/** An option that may be left out: the handler gets `T | undefined`. */
export interface OptionalOption<T> extends OptionMeta {
    readonly takesValue: true;
    readonly parse: Parser<T>;
    readonly required?: undefined;
}

/** A key that may be given several times: the handler gets every value, in order (none: []). */
export interface RepeatedOption<T> extends OptionMeta {
    readonly takesValue: true;
    readonly parse: Parser<T>;
    readonly repeatable: true;
    readonly required?: undefined;
}

/** A bare word such as `master`: the handler gets a boolean. */
export interface FlagOption extends OptionMeta {
    readonly takesValue: false;
}

export type OptionDefinition = RequiredOption<unknown> | OptionalOption<unknown> | RepeatedOption<unknown> | FlagOption;

/** `key VALUE`; with `required`, the key must be given (a string is iproute2's wording for its absence). */
export function option<T>(parse: Parser<T>, meta: OptionMeta & { readonly required: true | string }): RequiredOption<T>;
export function option<T>(parse: Parser<T>, meta: OptionMeta): OptionalOption<T>;
export function option<T>(
    parse: Parser<T>,
    meta: OptionMeta & { readonly required?: true | string },
): RequiredOption<T> | OptionalOption<T> {
    return { ...meta, takesValue: true, parse };
}

/** `key VALUE`, any number of times. */
export function repeated<T>(parse: Parser<T>, meta: OptionMeta): RepeatedOption<T> {
    return { ...meta, takesValue: true, parse, repeatable: true };
}

/** A bare flag word. */
export function flag(description: string, meta: Omit<OptionMeta, 'description' | 'placeholder'> = {}): FlagOption {
    return { ...meta, description, takesValue: false };
}

interface ValueMeta {
    readonly placeholder: string;
    readonly description: string;
    readonly complete?: Completion;
}

export interface ValueDefinition<T, Optional extends boolean> extends ValueMeta {
    readonly parse: Parser<T>;
    readonly optional: Optional;
}

/** The leaf's value word (`link set priority VALUE`); `optional` only when iproute2 lets it be left out. */
export function value<T>(parse: Parser<T>, meta: ValueMeta & { readonly optional: true }): ValueDefinition<T, true>;
export function value<T>(parse: Parser<T>, meta: ValueMeta): ValueDefinition<T, false>;
export function value<T>(
    parse: Parser<T>,
    meta: ValueMeta & { readonly optional?: boolean },
): ValueDefinition<T, boolean> {
    return { ...meta, parse, optional: meta.optional === true };
}

type OptionArg<O> = O extends FlagOption
    ? boolean
    : O extends RepeatedOption<infer T>
      ? readonly T[]
      : O extends RequiredOption<infer T>
        ? T
        : O extends OptionalOption<infer T>
          ? T | undefined
          : never;

type ValueArg<V> =
    V extends ValueDefinition<infer T, infer Optional>
        ? { readonly value: Optional extends true ? T | undefined : T }
        : unknown;

/** The handler's arguments, typed from the option and value definitions. */
export type ArgsOf<O extends Readonly<Record<string, OptionDefinition>>, V> = {
    readonly [K in keyof O]: OptionArg<O[K]>;
} & ValueArg<V>;

interface Words {
    /** The full words, e.g. 'link set priority'. */
    readonly path: string;
    readonly summary: string;
    readonly help: string;
    readonly hidden?: boolean;
    readonly extension?: boolean;
    /** See the node's endsOnInterrupt (registry.ts). */
    readonly endsOnInterrupt?: boolean;
}

export interface CommandDefinition<O extends Readonly<Record<string, OptionDefinition>>, V> extends Words {
    /** Keyed by canonical key, in the order completion offers them. */
    readonly options?: O;
    readonly value?: V;
    /** See LeafNode.wordIsOption. */
    readonly wordIsOption?: boolean;
    readonly namespaces: NamespaceContract | ((args: ArgsOf<O, V>) => NamespaceContract);
    readonly kernel: KernelContract | ((args: ArgsOf<O, V>) => KernelContract);
    run: (args: ArgsOf<O, V>, ctx: CommandContext) => Promise<CommandResult | void>;
}

export function defineCommand<
    const O extends Readonly<Record<string, OptionDefinition>> = Record<never, never>,
    V extends ValueDefinition<unknown, boolean> | undefined = undefined,
>(definition: CommandDefinition<O, V>): Registration {
    const { path, options, value: leafValue, namespaces, kernel, run, ...words } = definition;
    const specs: OptionSpec[] = Object.entries(options ?? {}).map(([key, spec]) => ({ ...spec, key }));
    const node: LeafNode = {
        ...words,
        name: lastWord(path),
        options: specs,
        ...(leafValue === undefined ? {} : { value: leafValue }),
        // The one erasure point: the parser built `args` from these same definitions.
        namespacesFor: (args) => (typeof namespaces === 'function' ? namespaces(args as ArgsOf<O, V>) : namespaces),
        kernelFor: (args) => (typeof kernel === 'function' ? kernel(args as ArgsOf<O, V>) : kernel),
        run: (args, ctx) => run(args as ArgsOf<O, V>, ctx),
    };
    return { path: path.split(' '), node, kind: 'leaf' };
}

/**
 * A level that only lists its children (`link set`); its children name it as
 * the start of their path. `commands`: they are registered by a module of their
 * own, asked when the group is first walked into (Registration).
 */
export function defineGroup(words: Words, commands?: () => readonly Registration[]): Registration {
    const { path, ...rest } = words;
    const node: Omit<GroupNode, 'children'> = { ...rest, name: lastWord(path) };
    return { path: path.split(' '), node, kind: 'group', ...(commands ? { commands } : {}) };
}

function lastWord(path: string): string {
    return path.split(' ').at(-1)!;
}

export { commandResult, joinTexts } from './registry.js';
export type { CommandContext } from './registry.js';
