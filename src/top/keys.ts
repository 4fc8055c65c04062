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
}

export type Action =
    | 'quit'
    | 'help'
    | 'filter'
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

export const KEY_BINDINGS: readonly KeyBinding[] = [
    {
        action: 'quit',
        keys: 'q  Ctrl-C',
        description: 'quit (the terminal is left as it was)',
        matches: (i, k) => char('q')(i, k) || (k.ctrl === true && i === 'c'),
    },
    { action: 'help', keys: '?', description: 'this help; any key closes it', matches: char('?') },
    {
        action: 'filter',
        keys: '/',
        description: 'filter links by regex on namespace, name, peer; !REGEX inverts; empty clears',
        matches: char('/'),
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
        description: 'close the detail pane or help',
        matches: (_, k) => k.escape === true,
    },
];

export function actionFor(input: string, key: KeyPress): Action | undefined {
    return KEY_BINDINGS.find((b) => b.matches(input, key))?.action;
}

/** The help overlay's lines, from the table. */
export function helpLines(): string[] {
    const width = Math.max(...KEY_BINDINGS.map((b) => b.keys.length));
    return KEY_BINDINGS.map((b) => `${b.keys.padEnd(width)}  ${b.description}`);
}
