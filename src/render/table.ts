/**
 * Tables for text output, over cli-table3. cli-table3 colours header and
 * borders through its own copy of @colors/colors, which decides by itself
 * (TTY, TERM, CI variables) and ignores ours: piped `--color=always` came out
 * plain, and without a TERM even a terminal did. So its styles are always
 * empty and the colour is applied here, with chalk, which follows the one
 * start-up decision (paint()).
 */
import Table from 'cli-table3';
import { paint } from './color.js';

export type Cell = string | number | bigint | boolean | null | undefined;
export type Alignment = 'left' | 'center' | 'right';

export interface TableSpec {
    readonly head: readonly string[];
    readonly rows: readonly (readonly Cell[])[];
    /** From the start-up colour decision (ctx.color). */
    readonly color: boolean;
    readonly align?: readonly Alignment[];
    /**
     * No box drawing: columns separated by two spaces, like iproute2's own
     * listings, for output that scripts may still cut with awk.
     */
    readonly borderless?: boolean;
}

const BOX = {
    top: '─',
    'top-mid': '┬',
    'top-left': '┌',
    'top-right': '┐',
    bottom: '─',
    'bottom-mid': '┴',
    'bottom-left': '└',
    'bottom-right': '┘',
    left: '│',
    'left-mid': '├',
    mid: '─',
    'mid-mid': '┼',
    right: '│',
    'right-mid': '┤',
    middle: '│',
} as const;

const NO_BORDERS: Record<keyof typeof BOX, string> = {
    ...(Object.fromEntries(Object.keys(BOX).map((k) => [k, ''])) as Record<keyof typeof BOX, string>),
    middle: '  ',
};

const greyBox = (): Record<keyof typeof BOX, string> =>
    Object.fromEntries(Object.entries(BOX).map(([k, v]) => [k, paint().grey(v)])) as Record<keyof typeof BOX, string>;

export function renderTable(spec: TableSpec): string {
    const table = new Table({
        // cli-table3 measures cells without escape codes, so pre-coloured text aligns
        head: spec.head.map((h) => (spec.color ? paint().bold(h) : h)),
        ...(spec.align ? { colAligns: [...spec.align] } : {}),
        chars: spec.borderless ? NO_BORDERS : spec.color ? greyBox() : BOX,
        style: {
            head: [],
            border: [],
            ...(spec.borderless ? { 'padding-left': 0, 'padding-right': 0 } : {}),
        },
    });
    for (const row of spec.rows) table.push(row.map((cell) => (typeof cell === 'bigint' ? cell.toString() : cell)));
    // cli-table3 pads the last column; trailing blanks only get in the way of diff and grep.
    return `${table
        .toString()
        .split('\n')
        .map((line) => line.trimEnd())
        .join('\n')}\n`;
}
