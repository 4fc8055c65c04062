// The host half of the benchmark replays what the real lab kernel answered
// (test/unit/fixtures/kernel/cluster.json, captured by test/lab/capture-fixtures.ts)
// through tipcx's own code, with only the socket faked. Larger namespaces are
// made from those real messages by byte surgery: the same attribute layout,
// padding and flag bits the kernel sent, with only the link name (or the
// publication's instance range) changed so that every entry is distinct.
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import type { TipcTransport } from '../src/netlink/transport.js';
import { TipcCmd } from '../src/netlink/schema.js';
import type { TipcSocket } from '../src/netlink/tipc-socket.js';
import { TipcSession } from '../src/tipc/session.js';
import { decodeMessage } from '../src/netlink/codec.js';
import { ownNetFrom } from '../src/tipc/node.js';

interface KernelFixture {
    dumps: Record<string, string[]>;
    nodeIds: Record<string, string | null>;
    ownAddress: number;
    tipc: Record<string, { stdout: string; code: number }>;
}

export const fixture = JSON.parse(
    readFileSync(new URL('../../test/unit/fixtures/kernel/cluster.json', import.meta.url), 'utf8'),
) as KernelFixture;

const LE = endianness() === 'LE';
const u16 = (b: Buffer, off: number) => (LE ? b.readUInt16LE(off) : b.readUInt16BE(off));
const putU16 = (b: Buffer, off: number, v: number) => (LE ? b.writeUInt16LE(v, off) : b.writeUInt16BE(v, off));
const putU32 = (b: Buffer, off: number, v: number) => (LE ? b.writeUInt32LE(v, off) : b.writeUInt32BE(v, off));
const TYPE_MASK = 0x3fff;
const align4 = (n: number) => (n + 3) & ~3;

const hex = (cmd: string): Buffer[] => fixture.dumps[cmd].map((h) => Buffer.from(h, 'hex'));

/** Offsets of the attributes of one nest: [headerOffset, type, length]. */
function attrs(b: Buffer, start: number, end: number): [number, number, number][] {
    const out: [number, number, number][] = [];
    for (let off = start; off + 4 <= end;) {
        const len = u16(b, off);
        if (len < 4) break;
        out.push([off, u16(b, off + 2) & TYPE_MASK, len]);
        off += align4(len);
    }
    return out;
}

/** A LINK_GET reply with its TIPC_NLA_LINK_NAME replaced (the outer nest's length follows). */
export function renameLink(message: Buffer, name: string): Buffer {
    const [[outer, , outerLen]] = attrs(message, 0, message.length);
    const inner = attrs(message, outer + 4, outer + outerLen);
    const nameAttr = inner.find(([, type]) => type === 1);
    if (!nameAttr) throw new Error('fixture link message has no name');
    const [at, , len] = nameAttr;
    const payload = Buffer.from(`${name}\0`, 'utf8');
    const attr = Buffer.alloc(align4(4 + payload.length));
    putU16(attr, 0, 4 + payload.length);
    putU16(attr, 2, u16(message, at + 2));
    payload.copy(attr, 4);
    const out = Buffer.concat([message.subarray(0, at), attr, message.subarray(at + align4(len))]);
    putU16(out, outer, outerLen - align4(len) + attr.length);
    return out;
}

/**
 * A LINK_GET dump of `count` links: the real broadcast link, then the real
 * unicast link messages in turn, each renamed to a peer of its own.
 */
export function linkDump(count: number, own = 'fx1'): Buffer[] {
    const real = hex('LINK_GET');
    const broadcast = real.filter((m) => m.includes('broadcast-link'));
    const unicast = real.filter((m) => !m.includes('broadcast-link'));
    const out = [...broadcast];
    for (let i = 0; out.length < count; i++)
        out.push(renameLink(unicast[i % unicast.length], `${own}:eth0-p${String(i).padStart(5, '0')}:eth0`));
    return out;
}

/** Offset of the u32 payload of PUBL attribute `type` inside a NAME_TABLE_GET reply. */
function publOffset(message: Buffer, type: number): number {
    const [[outer, , outerLen]] = attrs(message, 0, message.length);
    const [[publ, , publLen]] = attrs(message, outer + 4, outer + outerLen);
    const hit = attrs(message, publ + 4, publ + publLen).find(([, t]) => t === type);
    if (!hit) throw new Error(`fixture publication has no attribute ${type}`);
    return hit[0] + 4;
}

/**
 * A NAME_TABLE_GET dump of `count` publications: the real ones, then copies
 * of the real node-scope service binding with instances 1..N.
 */
export function nameTableDump(count: number): Buffer[] {
    const real = hex('NAME_TABLE_GET');
    const service = real.find((m) => m.readUInt32LE(publOffset(m, 1)) === 1) ?? real[0];
    const lower = publOffset(service, 2);
    const upper = publOffset(service, 3);
    const out = real.slice(0, Math.min(count, real.length));
    for (let i = 1000; out.length < count; i++) {
        const m = Buffer.from(service);
        putU32(m, lower, i);
        putU32(m, upper, i);
        out.push(m);
    }
    return out;
}

/** Node address -> identity bytes, as the AF_TIPC socket answered in the fixture's namespace (own node included). */
export function nodeIdLookup(address: number): Buffer | null {
    if (address === fixture.ownAddress) return ownNetFrom(hex('NET_GET').map((m) => decodeMessage(m))).identityBytes;
    const id = fixture.nodeIds[String(address)];
    return id ? Buffer.from(id, 'hex') : null;
}

/**
 * A TipcTransport whose dumps are the given replies: everything above the
 * socket (decode, model, rendering, sampling) runs as with the kernel. By
 * default each request copies the replies into one fresh buffer and hands out
 * views of it, as a receive does.
 */
export function replayTransport(
    dumps: Partial<Record<keyof typeof TipcCmd, Buffer[]>>,
    options: { fresh?: boolean } = {},
): TipcTransport & {
    requests: number;
} {
    const byCmd = new Map<number, Buffer[]>();
    for (const [cmd, replies] of Object.entries(dumps)) byCmd.set(TipcCmd[cmd as keyof typeof TipcCmd], replies);
    const transport = {
        familyId: 0x20,
        requests: 0,
        dump(cmd: number): Promise<Buffer[]> {
            transport.requests += 1;
            const replies = byCmd.get(cmd);
            if (!replies) return Promise.reject(new Error(`replay has no dump for command ${cmd}`));
            // fresh: false hands out the same buffers each time (decoding never writes to them), so
            // that a benchmark of decoding and rendering does not also time the copying
            if (options.fresh === false) return Promise.resolve(replies);
            const datagram = Buffer.concat(replies);
            const out = new Array<Buffer>(replies.length);
            for (let i = 0, off = 0; i < replies.length; off += replies[i].length, i++)
                out[i] = datagram.subarray(off, off + replies[i].length);
            return Promise.resolve(out);
        },
        doit(cmd: number): Promise<Buffer[]> {
            return transport.dump(cmd);
        },
        close(): void {},
    };
    return transport;
}

/**
 * A TipcSession over a replay transport. The constructor is private to
 * src/tipc/session.ts (commands open sessions by namespace); the benchmark
 * calls it as it is, with the fake transport in place of the socket. The
 * AF_TIPC socket, asked for node identities, answers from the fixture.
 */
export function replaySession(transport: TipcTransport): TipcSession {
    const construct = TipcSession as unknown as new (t: TipcTransport, netns: undefined) => TipcSession;
    const session = new construct(transport, undefined);
    const socket = { nodeId: nodeIdLookup, close() {} } as unknown as TipcSocket;
    session.tipcSocket = () => socket;
    return session;
}

/** A 16-byte node identity whose text is `name` (as `tipc node set identity NAME` makes it). */
export function identityBytes(name: string): Buffer {
    const id = Buffer.alloc(16);
    id.write(name, 'latin1');
    return id;
}

/** The node address the kernel derives from a short identity: its first four bytes (as in the fixture: fx2 is 0x66783200). */
export const addressOfIdentity = (name: string): number => identityBytes(name).readUInt32BE(0);

/** A NET_GET dump: the real reply with the node identity words rewritten to `name`'s bytes (raw, as the kernel copies them). */
export function netDump(name: string): Buffer[] {
    const [real] = hex('NET_GET');
    const m = Buffer.from(real);
    const [[outer, , outerLen]] = attrs(m, 0, m.length);
    const id = identityBytes(name);
    for (const [at, type, len] of attrs(m, outer + 4, outer + outerLen)) {
        if (type === 3 && len === 12) id.copy(m, at + 4, 0, 8);
        if (type === 4 && len === 12) id.copy(m, at + 4, 8, 16);
    }
    return [m];
}

/** A NODE_GET dump of peers that are up: the real reply of an up peer, its address rewritten for each. */
export function nodeDump(addresses: readonly number[]): Buffer[] {
    const real = hex('NODE_GET');
    const up = real.find((m) => attrs(m, 4, m.length).some(([, type]) => type === 2)) ?? real[0];
    const [[outer, , outerLen]] = attrs(up, 0, up.length);
    const addr = attrs(up, outer + 4, outer + outerLen).find(([, type]) => type === 1);
    if (!addr) throw new Error('fixture node message has no address');
    return addresses.map((a) => {
        const m = Buffer.from(up);
        putU32(m, addr[0] + 4, a);
        return m;
    });
}

/** The real dumps of a command, as recorded. */
export const recordedDump = (cmd: 'BEARER_GET' | 'NAME_TABLE_GET' | 'SOCK_GET'): Buffer[] => hex(cmd);

/**
 * A LINK_GET dump of a namespace in a full mesh: the real broadcast link, then
 * the real unicast link messages renamed `own:eth0-PEER:eth0`, one per peer.
 */
export function meshLinkDump(own: string, peers: readonly string[]): Buffer[] {
    const messages = linkDump(peers.length + 1, own);
    return [messages[0], ...peers.map((peer, i) => renameLink(messages[i + 1], `${own}:eth0-${peer}:eth0`))];
}
