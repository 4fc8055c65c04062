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

/** The header only precedes the first row: an empty table prints nothing. */
export function nameTableText(records: readonly NameTableRecord[]): string {
    if (records.length === 0) return '';
    const rows = records.map(
        (r) =>
            `${String(r.type).padEnd(10)} ${String(r.lower).padEnd(10)} ${String(r.upper).padEnd(10)} ${r.scope.padEnd(8)} ${String(r.port).padEnd(10)} ${r.node}\n`,
    );
    return HEADER + rows.join('');
}
