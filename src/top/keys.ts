// The one key table of `tipcx top`: input handling looks keys up here and the
// `?` overlay (and docs/top.md) is drawn from the same rows, so help can never
// drift from behaviour.

/** The subset of ink's Key that the table looks at (kept here so tests need no ink). */
export interface KeyPress {
    readonly upArrow?: boolean;
    readonly downArrow?: boolean;
    readonly pageUp?: boolean;
    readonly pageDown?: boolean;
    readonly home?: boolean;
    readonly end?: boolean;
    readonly return?: boolean;
    readonly escape?: boolean;
    readonly ctrl?: boolean;
    /** F1..F12 (ink reports function keys as an empty input: functionKeyOf reads the sequence). */
    readonly functionKey?: number;
}

export type Action =
    | 'quit'
    | 'help'
    | 'search'
    | 'filter'
    | 'sortMenu'
    | 'sortNext'
    | 'sortPrev'
    | 'invert'
    | 'window'
    | 'pause'
    | 'detail'
    | 'reset'
    | 'faster'
    | 'slower'
    | 'up'
    | 'down'
    | 'first'
    | 'last'
    | 'pageUp'
    | 'pageDown'
    | 'close';

export interface KeyBinding {
    readonly action: Action;
    /** As shown in the help overlay. */
    readonly keys: string;
    readonly description: string;
    readonly matches: (input: string, key: KeyPress) => boolean;
}

const char =
    (...chars: string[]) =>
    (input: string, key: KeyPress): boolean =>
        !key.ctrl && chars.includes(input);

const fn =
    (n: number) =>
    (_: string, key: KeyPress): boolean =>
        key.functionKey === n;

const either =
    (...tests: ((input: string, key: KeyPress) => boolean)[]) =>
    (input: string, key: KeyPress): boolean =>
        tests.some((t) => t(input, key));

export const KEY_BINDINGS: readonly KeyBinding[] = [
    {
        action: 'quit',
        keys: 'q  F10  Ctrl-C',
        description: 'quit (the terminal is left as it was)',
        matches: either(char('q'), fn(10), (i, k) => k.ctrl === true && i === 'c'),
    },
    {
        action: 'help',
        keys: 'F1  h  ?',
        description: 'this help; any key closes it',
        matches: either(fn(1), char('h', '?')),
    },
    {
        action: 'search',
        keys: 'F3  /',
        description: 'search namespace, name and peer as you type; F3 again: next match',
        matches: either(fn(3), char('/')),
    },
    {
        action: 'filter',
        keys: 'F4  \\',
        description: 'filter links by regex on namespace, name, peer; !REGEX inverts; empty clears',
        matches: either(fn(4), char('\\')),
    },
    {
        action: 'sortMenu',
        keys: 'F6',
        description: 'sort menu: Left/Right choose the column, Enter applies, Esc cancels',
        matches: fn(6),
    },
    { action: 'sortNext', keys: '>  s', description: 'sort by the next column', matches: char('>', 's') },
    { action: 'sortPrev', keys: '<', description: 'sort by the previous column', matches: char('<') },
    { action: 'invert', keys: 'I', description: 'invert the sort order', matches: char('I') },
    { action: 'window', keys: 't', description: 'rate window of the table: 2, 10 or 40 samples', matches: char('t') },
    { action: 'pause', keys: 'space', description: 'pause the display (sampling goes on)', matches: char(' ') },
    {
        action: 'detail',
        keys: 'Enter',
        description: 'detail pane: full statistics of the selected link',
        matches: (_, k) => k.return === true,
    },
    {
        action: 'reset',
        keys: 'r',
        description: "reset the selected link's statistics (asks first; off with read-only)",
        matches: char('r'),
    },
    { action: 'faster', keys: '+', description: 'sample more often', matches: char('+', '=') },
    { action: 'slower', keys: '-', description: 'sample less often', matches: char('-', '_') },
    {
        action: 'up',
        keys: 'Up  k',
        description: 'select the previous link',
        matches: (i, k) => k.upArrow === true || char('k')(i, k),
    },
    {
        action: 'down',
        keys: 'Down  j',
        description: 'select the next link',
        matches: (i, k) => k.downArrow === true || char('j')(i, k),
    },
    {
        action: 'first',
        keys: 'g  Home',
        description: 'first link',
        matches: (i, k) => k.home === true || char('g')(i, k),
    },
    { action: 'last', keys: 'G  End', description: 'last link', matches: (i, k) => k.end === true || char('G')(i, k) },
    { action: 'pageUp', keys: 'PgUp', description: 'one page up', matches: (_, k) => k.pageUp === true },
    { action: 'pageDown', keys: 'PgDn', description: 'one page down', matches: (_, k) => k.pageDown === true },
    {
        action: 'close',
        keys: 'Esc',
        description: 'close the detail pane, help, a prompt or menu',
        matches: (_, k) => k.escape === true,
    },
];

/**
 * The number of the function key a raw input sequence is, or undefined:
 * xterm's `ESC O P`..`ESC O S` (F1-F4, also `ESC [ 1 ; m P` with modifiers),
 * `ESC [ n ~` (F1-F12 as xterm, rxvt and tmux send them) and the Linux
 * console's `ESC [ [ A`..`E` (F1-F5).
 */
export function functionKeyOf(sequence: string): number | undefined {
    const ESC = '\u001b';
    if (!sequence.startsWith(ESC)) return undefined;
    const rest = sequence.slice(ESC.length);
    const ss3 = /^(?:O|\[1;\d+)([PQRS])$/.exec(rest);
    if (ss3) return 'PQRS'.indexOf(ss3[1]) + 1;
    const linux = /^\[\[([A-E])$/.exec(rest);
    if (linux) return 'ABCDE'.indexOf(linux[1]) + 1;
    const tilde = /^\[(\d+)(?:;\d+)?~$/.exec(rest);
    return tilde ? TILDE_CODES[Number(tilde[1])] : undefined;
}

const TILDE_CODES: Readonly<Record<number, number>> = {
    11: 1,
    12: 2,
    13: 3,
    14: 4,
    15: 5,
    17: 6,
    18: 7,
    19: 8,
    20: 9,
    21: 10,
    23: 11,
    24: 12,
};

export function actionFor(input: string, key: KeyPress): Action | undefined {
    return KEY_BINDINGS.find((b) => b.matches(input, key))?.action;
}

/** The help overlay's lines, from the table. */
export function helpLines(): string[] {
    const width = Math.max(...KEY_BINDINGS.map((b) => b.keys.length));
    return KEY_BINDINGS.map((b) => `${b.keys.padEnd(width)}  ${b.description}`);
}
