/**
 * Global flags, scanned the way GNU getopt_long scans iproute2's `tipc`:
 * flags may appear anywhere (permutation), long names accept unique prefixes
 * (`--js`), short flags cluster (`-jp`, `-nNAME`), `--` ends flag parsing, and
 * everything else is kept, in order, as a word for the command parser.
 *
 * Written by hand rather than with yargs (the product's choice elsewhere)
 * because yargs-parser 22, as shipped with yargs 18.2 and checked here with
 * `unknown-options-as-args`, gets four of iproute2's rules wrong: it has no
 * long-option prefixes (`--js` stays a word), `--color link list` swallows
 * `link` as the colour (getopt's optional arguments only bind with `=`),
 * `-nfoo` is not netns `foo`, and `--json=1` silently becomes false.
 * Pre-processing around it would have meant re-implementing the scan anyway.
 *
 * ip(8)'s spelling is read too: one dash and any prefix of a long name
 * (`-json`, `-js`, `-netns NAME`, `-color=never`). getopt failed on most of
 * these; the one word it read otherwise is `-n` with an attached name that
 * is a prefix of "etns" (`-ne` was netns `e`): such a name needs `-n e`. A
 * single short letter (`-n`), a cluster (`-jp`) and any other attached value
 * (`-nNAME`) stay getopt's (singleDashLong below).
 *
 * One deliberate divergence: a word like `-1` is a value, not a flag cluster.
 * iproute2 fails with getopt's `invalid option -- '1'`; tipcx has no digit
 * flags, so passing it on lets the validator say what range is accepted.
 */
import { UsageError, escapeControl, quoted } from '../errors.js';
import { COLOR_MODES, type ColorMode } from '../render/color.js';
import { didYouMean, explainMismatch, resolveWord } from './resolve.js';

export interface GlobalFlags {
    readonly json: boolean;
    /** --json=iproute2: what iproute2's `tipc -j` prints (src/render/iproute2-json.ts); implies json. */
    readonly iproute2Json: boolean;
    readonly pretty: boolean;
    readonly help: boolean;
    readonly version: boolean;
    readonly netns?: string;
    readonly allNetns: boolean;
    /** --all-netns=pids: also the unnamed namespaces of running processes. */
    readonly allNetnsPids: boolean;
    /** Undefined when --color was not given. */
    readonly color?: ColorMode;
}

export interface ScannedArgv {
    readonly flags: GlobalFlags;
    /** Non-flag arguments in their original order. */
    readonly words: readonly string[];
}

type MutableFlags = { -readonly [K in keyof GlobalFlags]: GlobalFlags[K] };

type ArgumentKind = 'none' | 'required' | 'optional';

/** One global flag: how the scanner reads it, and how help and completion present it. */
export interface FlagSpec {
    readonly name: string;
    readonly short?: string;
    readonly argument: ArgumentKind;
    /** The argument as help shows it after the long name: ` NAME`, `[=WHEN]`. */
    readonly argumentHelp?: string;
    /** Completion's one-line description. */
    readonly summary: string;
    /** Help's description, one string per line. */
    readonly help: readonly string[];
    readonly apply: (flags: MutableFlags, value: string | undefined, spelled: string) => void;
}

/** In the order help and completion list them. */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
    {
        name: 'json',
        short: 'j',
        argument: 'optional',
        argumentHelp: '[=iproute2]',
        summary: 'print records as JSON',
        help: [
            'print records as JSON (always an array of objects);',
            '=iproute2: exactly what "tipc -j" prints instead',
        ],
        apply: applyJson,
    },
    {
        name: 'pretty',
        short: 'p',
        argument: 'none',
        summary: 'indent JSON output',
        help: ['indent JSON output (used with -j)'],
        apply: (f) => void (f.pretty = true),
    },
    {
        name: 'netns',
        short: 'n',
        argument: 'required',
        argumentHelp: ' NAME',
        summary: 'act inside a network namespace',
        help: ['act inside network namespace NAME (/run/netns/NAME);', 'pid:N: that of process N (--all-netns=pids)'],
        apply: applyNetns,
    },
    {
        name: 'all-netns',
        argument: 'optional',
        argumentHelp: '[=pids]',
        summary: 'act in every named network namespace',
        help: [
            'run a read command in every named network namespace',
            '(=pids: also those of running processes, as pid:N)',
        ],
        apply: applyAllNetns,
    },
    {
        name: 'color',
        argument: 'optional',
        argumentHelp: '[=WHEN]',
        summary: 'colour text output: auto, always, never',
        help: [
            'colour text output: auto (default), always, never;',
            'a non-empty NO_COLOR means never, unless --color',
        ],
        apply: applyColor,
    },
    {
        name: 'help',
        short: 'h',
        argument: 'none',
        summary: 'show help',
        help: ['show help for the last command word given'],
        apply: (f) => void (f.help = true),
    },
    {
        name: 'version',
        short: 'V',
        argument: 'none',
        summary: 'print the version',
        help: ['print the version and exit'],
        apply: (f) => void (f.version = true),
    },
];

/** The flag whose value is a namespace name (completion offers /run/netns there). */
export const NETNS_FLAG = GLOBAL_FLAGS.find((spec) => spec.name === 'netns')!;

/** The help block on global options, generated from GLOBAL_FLAGS. */
export function globalOptionsHelp(): string {
    const HELP_COLUMN = 22;
    const entry = (left: string, lines: readonly string[]): string[] => {
        const [first, ...rest] = lines;
        const head =
            left.length > HELP_COLUMN - 2
                ? [`  ${left}`, `  ${''.padEnd(HELP_COLUMN)}${first}`]
                : [`  ${left.padEnd(HELP_COLUMN)}${first}`];
        return [...head, ...rest.map((line) => `  ${''.padEnd(HELP_COLUMN)}${line}`)];
    };
    const lines = GLOBAL_FLAGS.flatMap((spec) =>
        entry(`${spec.short ? `-${spec.short}, ` : '    '}--${spec.name}${spec.argumentHelp ?? ''}`, spec.help),
    );
    return [
        'Options (accepted anywhere on the line; long names may be abbreviated):',
        ...lines,
        ...entry('--', ['stop reading options; later words starting with "-"', 'are values']),
        '',
        "ip(8)'s one-dash spellings work too: -json, -pretty, -netns NAME,",
        '-color and any prefix of them (-js, -c); -nNAME and -jp are read as',
        'getopt reads them.',
    ].join('\n');
}

// Matched with their dashes: `--js` is a prefix of `--json` exactly when `js` is of `json`.
const LONG_FLAGS = GLOBAL_FLAGS.map((spec) => ({ name: `--${spec.name}`, spec }));

/** `--json`, `--pretty`, …: what a mistyped flag is compared with for a did-you-mean. */
export const LONG_FLAG_NAMES: readonly string[] = LONG_FLAGS.map((flag) => flag.name);

/**
 * ip(8)'s spelling of a global option, one dash and any prefix of the long
 * name (ip.c compares with matches(): `-json`, `-js`, `-pretty`, `-netns NAME`,
 * `-color=never`, `-c`), as the spec it names; undefined for what getopt reads
 * as short flags: a single letter that is one (`-j`, `-n`), or a cluster that
 * is no such prefix (`-jp`, `-nNAME`). The long names start with different
 * letters, so any prefix names one flag.
 */
function singleDashLong(arg: string): FlagSpec | undefined {
    const eq = arg.indexOf('=');
    const typed = (eq === -1 ? arg : arg.slice(0, eq)).slice(1);
    if (typed === '' || typed.startsWith('-')) return undefined;
    if (typed.length === 1 && GLOBAL_FLAGS.some((flag) => flag.short === typed)) return undefined;
    const matches = GLOBAL_FLAGS.filter((flag) => flag.name.startsWith(typed));
    return matches.length === 1 ? matches[0] : undefined;
}

// `-` alone is a word for getopt too; `-5` is a value (see the file comment).
const looksLikeFlag = (arg: string): boolean => arg.length > 1 && arg.startsWith('-') && !/^-\d/.test(arg);

export function scanGlobalFlags(argv: readonly string[]): ScannedArgv {
    const flags: MutableFlags = {
        json: false,
        iproute2Json: false,
        pretty: false,
        help: false,
        version: false,
        allNetns: false,
        allNetnsPids: false,
    };
    const words: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === '--') {
            words.push(...argv.slice(i + 1));
            break;
        }
        if (arg.startsWith('--') && isLeafLongOption(arg)) words.push(arg);
        else if (arg.startsWith('--')) i = scanLong(argv, i, flags);
        else if (looksLikeFlag(arg) && singleDashLong(arg)) i = scanLong(argv.with(i, `-${arg}`), i, flags);
        else if (looksLikeFlag(arg)) i = scanShortCluster(argv, i, flags);
        else words.push(arg);
    }
    if (flags.netns !== undefined && flags.allNetns) {
        throw new UsageError('--netns and --all-netns cannot be used together');
    }
    return { flags, words };
}

/**
 * `--interval 2` and `--nodes=8` are a leaf's key-value options spelled as long
 * flags (`interval 2`): a long name that is no prefix of a global flag stays a
 * word for the leaf's option parser, which names it if the leaf has no such key.
 */
function isLeafLongOption(arg: string): boolean {
    const eq = arg.indexOf('=');
    return resolveWord(eq === -1 ? arg : arg.slice(0, eq), LONG_FLAGS).kind === 'unknown';
}

/** Handles argv[i] = `--name[=value]`; returns the index of the last argument used. */
function scanLong(argv: readonly string[], i: number, flags: MutableFlags): number {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const typed = eq === -1 ? arg : arg.slice(0, eq);
    const inlineValue = eq === -1 ? undefined : arg.slice(eq + 1);

    const resolution = resolveWord(typed, LONG_FLAGS);
    if (resolution.kind !== 'match') {
        throw new UsageError(`invalid option ${quoted(typed)} (${explainMismatch(resolution, LONG_FLAGS, '', typed)})`);
    }
    const spec = resolution.item.spec;
    const spelled = resolution.item.name;
    switch (spec.argument) {
        case 'none':
            if (inlineValue !== undefined) throw new UsageError(`option "${spelled}" takes no value`);
            spec.apply(flags, undefined, spelled);
            return i;
        case 'optional':
            // getopt binds an optional argument only with `=`: `--color link` keeps `link`.
            spec.apply(flags, inlineValue, spelled);
            return i;
        case 'required':
            if (inlineValue !== undefined) {
                spec.apply(flags, inlineValue, spelled);
                return i;
            }
            // Like getopt, the next argument is taken verbatim even if it starts with `-`.
            if (i + 1 >= argv.length) throw new UsageError(`missing value for "${spelled}"`);
            spec.apply(flags, argv[i + 1], spelled);
            return i + 1;
    }
}

/** Handles argv[i] = `-jp`, `-n NAME`, `-nNAME`; returns the index of the last argument used. */
function scanShortCluster(argv: readonly string[], i: number, flags: MutableFlags): number {
    const cluster = argv[i];
    for (let c = 1; c < cluster.length; c++) {
        const letter = cluster[c];
        const spec = GLOBAL_FLAGS.find((flag) => flag.short === letter);
        if (!spec) {
            const accepted = GLOBAL_FLAGS.flatMap((flag) => (flag.short ? [`-${flag.short}`] : [])).join(', ');
            // `-colour`: a long name mistyped with ip's single dash is worth a did-you-mean.
            const guess = cluster.length > 2 ? didYouMean(`-${cluster}`, LONG_FLAG_NAMES) : undefined;
            const where = cluster.length > 2 ? ` in ${quoted(cluster)}` : '';
            throw new UsageError(
                `invalid option "-${escapeControl(letter)}"${where} (${guess ? `${guess} ` : ''}expected one of: ${accepted})`,
            );
        }
        const spelled = `-${letter}`;
        if (spec.argument !== 'required') {
            spec.apply(flags, undefined, spelled);
            continue;
        }
        const rest = cluster.slice(c + 1);
        if (rest !== '') {
            spec.apply(flags, rest, spelled);
            return i;
        }
        if (i + 1 >= argv.length) throw new UsageError(`missing value for "${spelled}"`);
        spec.apply(flags, argv[i + 1], spelled);
        return i + 1;
    }
    return i;
}

function applyNetns(flags: MutableFlags, value: string | undefined, spelled: string): void {
    if (value === undefined || value === '') throw new UsageError(`missing value for "${spelled}"`);
    flags.netns = value; // last one wins, like every other repeated option
}

function applyAllNetns(flags: MutableFlags, value: string | undefined, spelled: string): void {
    if (value !== undefined && value !== 'pids') {
        throw new UsageError(
            `invalid value ${quoted(value)} for "${spelled}" (expected nothing, or "pids" to add the unnamed namespaces of running processes)`,
        );
    }
    flags.allNetns = true;
    flags.allNetnsPids ||= value === 'pids';
}

/** The one value `--json=` takes (values are never abbreviated). */
export const JSON_SHAPES = ['iproute2'] as const;

function applyJson(flags: MutableFlags, value: string | undefined, spelled: string): void {
    if (value !== undefined && !JSON_SHAPES.some((shape) => shape === value)) {
        throw new UsageError(
            `invalid value ${quoted(value)} for "${spelled}" (expected nothing for tipcx's JSON, or "iproute2" for tipc's)`,
        );
    }
    flags.json = true;
    flags.iproute2Json ||= value === 'iproute2';
}

function applyColor(flags: MutableFlags, value: string | undefined, spelled: string): void {
    // Bare --color means "always", as iproute2's `-color` does.
    if (value === undefined) {
        flags.color = 'always';
        return;
    }
    // Values are never abbreviated (iproute2 rule for option values).
    const mode = COLOR_MODES.find((m) => m === value);
    if (!mode) {
        throw new UsageError(
            `invalid value ${quoted(value)} for "${spelled}" (expected one of: ${COLOR_MODES.join(', ')})`,
        );
    }
    flags.color = mode;
}
