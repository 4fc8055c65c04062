// `tipc socket list` text output, byte for byte, and its JSON records.
import { formatHash } from '../netlink/identity.js';
import type { Binding, TipcSocketInfo } from '../tipc/socket.js';

export interface SocketRecord {
    /** Port id. */
    ref: number;
    /** null when not connected. */
    connection: {
        /** Peer node address (hash), as a number and as `node list` prints it. */
        node: number;
        hash: string;
        /** Peer identity as `node list` prints it; '' if unknown. */
        identity: string;
        port: number;
        /** The service name connected through, or null. */
        service: { type: number; instance: number } | null;
    } | null;
    /** Service ranges the socket is bound to (connected sockets: always []). */
    bindings: Binding[];
}

export function socketRecords(sockets: readonly TipcSocketInfo[]): SocketRecord[] {
    return sockets.map((k) => ({
        ref: k.ref,
        connection: k.connection
            ? {
                  node: k.connection.node,
                  hash: formatHash(k.connection.node),
                  identity: k.connection.identity,
                  port: k.connection.port,
                  service: k.connection.service ?? null,
              }
            : null,
        bindings: k.bindings,
    }));
}

export function socketListText(records: readonly SocketRecord[]): string {
    return records
        .map((r) => {
            let out = `socket ${r.ref}\n`;
            const c = r.connection;
            if (c) {
                // printf("%x:%u"): the node without leading zeros
                out += `  connected to ${c.node.toString(16)}:${c.port}${c.service ? ` via {${c.service.type},${c.service.instance}}` : ''}\n`;
            } else {
                out += r.bindings.map((b) => `  bound to {${b.type},${b.lower},${b.upper}}\n`).join('');
            }
            return out;
        })
        .join('');
}
