// TIPC sockets of one namespace, with their connection or their bindings.
import type { Decoded, DecodeOptions, TipcMessage } from '../netlink/codec.js';
import { TipcCmd, type TipcSchema } from '../netlink/schema.js';
import { identityResolver } from './nametable.js';
import { TipcSession } from './session.js';

export interface SocketConnection {
    /** Peer node address (hash). */
    node: number;
    /** Peer identity as `node list` prints it ('' if unknown); not in iproute2's output. */
    identity: string;
    /** Peer port id. */
    port: number;
    /** The service name the connection was made through, when it was. */
    service?: { type: number; instance: number };
}

export interface Binding {
    type: number;
    lower: number;
    upper: number;
}

export interface TipcSocketInfo {
    ref: number;
    connection?: SocketConnection;
    hasPublications: boolean;
    bindings: Binding[];
}

function connectionFrom(con: Decoded<'con'> | undefined): SocketConnection | undefined {
    if (!con) return undefined;
    return {
        node: con.node ?? 0,
        identity: '',
        port: con.sock ?? 0,
        ...(con.flag ? { service: { type: con.type ?? 0, instance: con.inst ?? 0 } } : {}),
    };
}

export function socketsFrom(messages: TipcMessage[]): TipcSocketInfo[] {
    return messages.flatMap(({ sock }) => {
        if (sock?.ref === undefined) return [];
        const connection = connectionFrom(sock.con);
        return [
            {
                ref: sock.ref,
                ...(connection ? { connection } : {}),
                hasPublications: sock.hasPubl === true,
                bindings: [],
            },
        ];
    });
}

function bindingsFrom(messages: TipcMessage[]): Binding[] {
    return messages.flatMap(({ publ }) =>
        publ?.type === undefined ? [] : [{ type: publ.type, lower: publ.lower ?? 0, upper: publ.upper ?? 0 }],
    );
}

/**
 * Fills in the bindings of the sockets iproute2 lists them for (unconnected
 * ones the kernel flags as having publications), from each one's PUBL_GET
 * dump; `publicationsOf` is asked only for those, one after another.
 */
export async function withBindings(
    sockets: TipcSocketInfo[],
    publicationsOf: (ref: number) => Promise<TipcMessage[]>,
): Promise<TipcSocketInfo[]> {
    for (const k of sockets) {
        if (k.connection || !k.hasPublications) continue;
        // A socket closed since the first dump has no publications left: list it unbound.
        try {
            k.bindings = bindingsFrom(await publicationsOf(k.ref));
        } catch (err) {
            if ((err as { code?: string }).code !== 'EINVAL') throw err;
        }
    }
    return sockets;
}

/**
 * SOCK_GET dump, then one PUBL_GET dump per bound socket. As iproute2 (>= 5.14)
 * does, the per-socket dumps go over a second netlink socket, never nested in
 * the first one's dump; it is opened only when a socket has bindings.
 */
export async function listSockets(s: TipcSession): Promise<TipcSocketInfo[]> {
    const sockets = socketsFrom(await s.dump(TipcCmd.SOCK_GET));
    const connected = sockets.flatMap((k) => (k.connection ? [k.connection] : []));
    if (connected.length > 0) {
        const socket = s.tipcSocket();
        const identityOf = identityResolver((address) => socket.nodeId(address));
        for (const c of connected) c.identity = identityOf(c.node);
    }
    let second: TipcSession | undefined;
    try {
        return await withBindings(sockets, async (ref) => {
            second ??= await TipcSession.open(s.netns === undefined ? {} : { netns: s.netns });
            return second.dump(TipcCmd.PUBL_GET, { sock: { ref } });
        });
    } finally {
        second?.close();
    }
}

/** How many TIPC sockets the namespace has (one SOCK_GET dump, no per-socket bindings). */
/** How many sockets the namespace has: each reply decoded for its port id only and dropped at once. */
export async function countSockets(s: TipcSession): Promise<number> {
    const counted = await s.dumpEach(
        TipcCmd.SOCK_GET,
        ({ sock }) => (sock?.ref !== undefined ? true : undefined),
        undefined,
        REF_ONLY,
    );
    return counted.length;
}

const REF_ONLY: DecodeOptions<TipcSchema> = { pick: { sock: ['ref'] } };
