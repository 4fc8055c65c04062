// The cluster-wide name table: every service binding (publication) the kernel knows.
import { tipcRows, type DecodeOptions, type TipcMessage } from '../netlink/codec.js';
import { nodeIdToString } from '../netlink/identity.js';
import { TipcCmd, type TipcSchema } from '../netlink/schema.js';
import type { TipcSession } from './session.js';

export interface Publication {
    type: number;
    lower: number;
    upper: number;
    /** TIPC_NLA_PUBL_SCOPE: 1 zone (legacy), 2 cluster, 3 node. */
    scope: number;
    /** The publishing node's 32-bit address (hash). */
    node: number;
    /** The publishing socket's port id. */
    port: number;
    key: number;
}

export function publicationsFrom(messages: TipcMessage[]): Publication[] {
    return messages.flatMap((m) => publicationOf(m) ?? []);
}

/** One NAME_TABLE_GET reply's binding, or undefined when it carries none. */
export function publicationOf({ nameTable }: TipcMessage): Publication | undefined {
    const p = nameTable?.publ;
    if (p?.type === undefined) return undefined;
    return {
        type: p.type,
        lower: p.lower ?? 0,
        upper: p.upper ?? 0,
        scope: p.scope ?? 0,
        node: p.node ?? 0,
        port: p.ref ?? 0,
        key: p.key ?? 0,
    };
}

/**
 * Node address -> identity text as iproute2 prints it, '' when the kernel does
 * not know it. Asked once per distinct node: a name table of thousands of
 * bindings usually names a handful of nodes.
 */
export function identityResolver(lookup: (address: number) => Buffer | null): (address: number) => string {
    const cache = new Map<number, string>();
    return (address) => {
        let text = cache.get(address);
        if (text === undefined) {
            const id = lookup(address);
            text = id ? nodeIdToString(id) : '';
            cache.set(address, text);
        }
        return text;
    };
}

export interface NameTable {
    publications: Publication[];
    identityOf: (address: number) => string;
}

/**
 * The name table, with the identity of every node it names already asked
 * (a handful of nodes for thousands of bindings): identityOf stays usable
 * after the session is closed, when the text is written.
 */
export async function showNameTable(s: TipcSession): Promise<NameTable> {
    const publications = await s.dumpEach(TipcCmd.NAME_TABLE_GET, publicationOf);
    const nodes: number[] = [];
    let last: number | undefined;
    for (const p of publications) {
        if (p.node !== last) nodes.push(p.node);
        last = p.node;
    }
    return { publications, identityOf: identitiesOf(s, nodes) };
}

// ---------------------------------------------------------------- bindings as rows

const PUBL_ROWS = tipcRows('top', {
    type: 'nameTable.publ.type',
    lower: 'nameTable.publ.lower',
    upper: 'nameTable.publ.upper',
    scope: 'nameTable.publ.scope',
    node: 'nameTable.publ.node',
    port: 'nameTable.publ.ref',
    key: 'nameTable.publ.key',
});
/** Slots per binding in PublicationTable.values. */
export const PUBLICATION_WIDTH = PUBL_ROWS.width;
/** Where each field of binding i is: PublicationTable.values[i * PUBLICATION_WIDTH + PUBLICATION_SLOT[field]]. */
export const PUBLICATION_SLOT = PUBL_ROWS.slot;

/**
 * The bindings of a NAME_TABLE_GET dump as rows of numbers (the fields of
 * Publication, absent ones NaN), for `nametable show`'s text: one typed array
 * for tens of thousands of bindings instead of an object each.
 */
export class PublicationTable {
    count = 0;
    values = new Float64Array(0);

    /** Makes room for `bindings` more bindings. */
    reserve(bindings: number): void {
        const need = (this.count + bindings) * PUBLICATION_WIDTH;
        if (need <= this.values.length) return;
        const bigger = new Float64Array(Math.max(2 * this.values.length, need));
        bigger.set(this.values.subarray(0, this.count * PUBLICATION_WIDTH));
        this.values = bigger;
    }

    /** Adds the binding of one NAME_TABLE_GET reply; a reply without a service type adds nothing, as publicationOf. */
    add(reply: Buffer): void {
        const at = this.count * PUBLICATION_WIDTH;
        if (at + PUBLICATION_WIDTH > this.values.length) this.reserve(256);
        PUBL_ROWS.decode(reply, this.values, at);
        if (!Number.isNaN(this.values[at + PUBLICATION_SLOT.type])) this.count++;
    }
}

export interface NameTableRows {
    table: PublicationTable;
    identityOf: (address: number) => string;
}

/** showNameTable as rows: the same dump and identity look-ups, no object per binding. */
export async function nameTableRows(s: TipcSession): Promise<NameTableRows> {
    const table = publicationTableOf(await s.dumpReplies(TipcCmd.NAME_TABLE_GET));
    const nodes: number[] = [];
    const v = table.values;
    let last: number | undefined;
    for (let i = 0; i < table.count; i++) {
        const sent = v[i * PUBLICATION_WIDTH + PUBLICATION_SLOT.node];
        const node = Number.isNaN(sent) ? 0 : sent;
        if (node !== last) nodes.push(node);
        last = node;
    }
    return { table, identityOf: identitiesOf(s, nodes) };
}

/** A table of the bindings these NAME_TABLE_GET replies carry (the real decoder: tests build tables from encoded bindings). */
export function publicationTableOf(replies: readonly Buffer[]): PublicationTable {
    const table = new PublicationTable();
    table.reserve(replies.length);
    for (const reply of replies) table.add(reply);
    return table;
}

/**
 * An identity resolver that has already asked for every node in `nodes`
 * (in order, repeats included: each is asked once), so that it stays usable
 * after the session is closed, when the text is written.
 */
function identitiesOf(s: TipcSession, nodes: readonly number[]): (address: number) => string {
    const lookup =
        nodes.length === 0
            ? () => null
            : (() => {
                  const socket = s.tipcSocket();
                  return (address: number) => socket.nodeId(address);
              })();
    const identityOf = identityResolver(lookup);
    for (const node of nodes) identityOf(node);
    return identityOf;
}

/** How many bindings the name table holds (one NAME_TABLE_GET dump, no identity look-ups). */
/**
 * How many bindings the name table holds: each reply decoded for its service
 * type only and dropped at once (at 64 namespaces the exporter counts about
 * 13,000 rows at every scrape).
 */
export async function countPublications(s: TipcSession): Promise<number> {
    const counted = await s.dumpEach(
        TipcCmd.NAME_TABLE_GET,
        (m) => (m.nameTable?.publ?.type !== undefined ? true : undefined),
        undefined,
        TYPE_ONLY,
    );
    return counted.length;
}

const TYPE_ONLY: DecodeOptions<TipcSchema> = { pick: { publ: ['type'] } };
