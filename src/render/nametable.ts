// `tipc nametable show` text output, byte for byte, and its JSON records.
import type { Publication } from '../tipc/nametable.js';

/** iproute2 indexes { "", "zone", "cluster", "node" } with PUBL_SCOPE. */
const SCOPE_WORDS = ['', 'zone', 'cluster', 'node'];

function scopeWord(scope: number): string {
    return SCOPE_WORDS[scope] ?? String(scope);
}

export interface NameTableRecord {
    type: number;
    lower: number;
    upper: number;
    scope: string;
    port: number;
    /** Publishing node's identity as `node list` prints it; '' if unknown. */
    node: string;
}

export function nameTableRecords(
    publications: readonly Publication[],
    identityOf: (address: number) => string,
): NameTableRecord[] {
    return publications.map((p) => ({
        type: p.type,
        lower: p.lower,
        upper: p.upper,
        scope: scopeWord(p.scope),
        port: p.port,
        node: identityOf(p.node),
    }));
}

// printf("%-10s %-10s %-10s %-8s %-10s %-33s\n"): the Node title is padded too.
const HEADER = `${'Type'.padEnd(10)} ${'Lower'.padEnd(10)} ${'Upper'.padEnd(10)} ${'Scope'.padEnd(8)} ${'Port'.padEnd(10)} ${'Node'.padEnd(33)}\n`;

const BLANKS = ' '.repeat(10);
/** %-10u / %-8s: the text, then blanks up to `width` (never cut). */
const pad = (text: string, width: number) => (text.length >= width ? text : text + BLANKS.slice(text.length - width));

/**
 * `tipc nametable show` text, written straight from the publications (the
 * records above are for -j). The header only precedes the first row: an
 * empty table prints nothing. A row's node is printed as is (%s), so the
 * last column carries no trailing blanks.
 */
export function nameTableText(publications: readonly Publication[], identityOf: (address: number) => string): string {
    if (publications.length === 0) return '';
    let out = HEADER;
    for (const p of publications) {
        out += `${pad(`${p.type}`, 10)} ${pad(`${p.lower}`, 10)} ${pad(`${p.upper}`, 10)} ${pad(scopeWord(p.scope), 8)} ${pad(`${p.port}`, 10)} ${identityOf(p.node)}\n`;
    }
    return out;
}
