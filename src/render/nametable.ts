// `tipc nametable show` text output, byte for byte, and its JSON records.
import { PUBLICATION_SLOT, PUBLICATION_WIDTH, type Publication, type PublicationTable } from '../tipc/nametable.js';
import { TextBuffer, padded, text, textFormat } from './text-buffer.js';

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
export const NAME_TABLE_HEADER = `${'Type'.padEnd(10)} ${'Lower'.padEnd(10)} ${'Upper'.padEnd(10)} ${'Scope'.padEnd(8)} ${'Port'.padEnd(10)} ${'Node'.padEnd(33)}\n`;

/**
 * `tipc nametable show` text, written straight from the dump's rows as bytes
 * (the records above are for -j). The header only precedes the first row: an
 * empty table prints nothing. A row's node is printed as is (%s), so the last
 * column carries no trailing blanks; an absent field is 0, as publicationOf
 * makes it. The text comes back as its UTF-8 bytes, which go to standard
 * output as they are.
 */
export function nameTableText(table: PublicationTable, identityOf: (address: number) => string): Buffer {
    if (table.count === 0) return Buffer.alloc(0);
    const out = new TextBuffer(NAME_TABLE_HEADER.length + table.count * 90);
    out.text(NAME_TABLE_HEADER);
    const v = table.values;
    const texts = ['', ''];
    for (let at = 0; at < table.count * PUBLICATION_WIDTH; at += PUBLICATION_WIDTH) {
        const scope = v[at + S.scope];
        texts[SCOPE] = scopeWord(scope === scope ? scope : 0);
        const node = v[at + S.node];
        texts[NODE] = identityOf(node === node ? node : 0);
        out.format(ROW, v, at, texts);
    }
    return out.take();
}

const S = PUBLICATION_SLOT;
const SCOPE = 0;
const NODE = 1;
// printf("%-10u %-10u %-10u %-8s %-10u %s\n")
const ROW = textFormat`${padded(S.type, 10)} ${padded(S.lower, 10)} ${padded(S.upper, 10)} ${text(SCOPE, 8)} ${padded(S.port, 10)} ${text(NODE)}
`;
