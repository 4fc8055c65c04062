/**
 * Tables for text output, over cli-table3. cli-table3 colours its header and
 * borders unconditionally (even when piped, even with NO_COLOR), so the
 * styles are always passed explicitly: empty when colour is off.
 */
import Table from 'cli-table3';

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

const NO_BORDERS = {
    top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
    bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
    left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
} as const;

export function renderTable(spec: TableSpec): string {
    const table = new Table({
        head: [...spec.head],
        ...(spec.align ? { colAligns: [...spec.align] } : {}),
        ...(spec.borderless ? { chars: NO_BORDERS } : {}),
        style: {
            head: spec.color ? ['bold'] : [],
            border: spec.color ? ['grey'] : [],
            ...(spec.borderless ? { 'padding-left': 0, 'padding-right': 0 } : {}),
        },
    });
    for (const row of spec.rows) table.push(row.map((cell) => (typeof cell === 'bigint' ? cell.toString() : cell)));
    // cli-table3 pads the last column; trailing blanks only get in the way of diff and grep.
    return `${table.toString().split('\n').map((line) => line.trimEnd()).join('\n')}\n`;
}
