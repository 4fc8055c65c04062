// The cluster-wide name table: every service binding (publication) the kernel knows.
import type { DecodeOptions, TipcMessage } from '../netlink/codec.js';
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
    const lookup =
        publications.length === 0
            ? () => null
            : (() => {
                  const socket = s.tipcSocket();
                  return (address: number) => socket.nodeId(address);
              })();
    const identityOf = identityResolver(lookup);
    let last: number | undefined;
    for (const p of publications) {
        if (p.node !== last) identityOf(p.node);
        last = p.node;
    }
    return { publications, identityOf };
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
