/**
 * Replay fixtures for the host ground, made from the committed capture of a
 * real kernel (test/unit/fixtures/kernel/cluster.json, recorded by
 * test/lab/capture-fixtures.ts): every dump as the kernel sent it, scaled where
 * a benchmark needs more entries by repeating real messages with distinct
 * names, never by composing messages from nothing:
 * - links: the broadcast link as recorded, then copies of the recorded
 *   unicast links, each renamed (the name attribute rewritten, its nests'
 *   lengths fixed) so that every link is a different one;
 * - publications: copies of the recorded name table rows, each with its own
 *   service type and key (same-size u32s rewritten in place).
 * Messages are packed into datagrams as the kernel's netlink dump fills an
 * skb: whole messages up to NLMSG_GOODSIZE for 4 KiB pages.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TIPC_GENL, TipcCmd, tipcSchema } from '../../src/netlink/schema.js';
import type { ReplayIndex } from './format.cjs';

const CAPTURE = new URL('../../../test/unit/fixtures/kernel/cluster.json', import.meta.url);

interface Capture {
    about: string;
    kernel: string;
    namespace: string;
    dumps: Record<string, string[]>;
    nodeIds: Record<string, string | null>;
    ownAddress: number;
}

/** SKB_WITH_OVERHEAD(PAGE_SIZE) on x86_64 with 4 KiB pages: what one dump skb holds at first. */
export const DATAGRAM_BYTES = 3776;
/** Generic netlink ids are assigned at registration; any free one will do. */
const FAMILY_ID = 34;
const NLMSG_HDRLEN = 16;
const GENL_HDRLEN = 4;
const NLM_F_MULTI = 2;

const align4 = (n: number) => (n + 3) & ~3;

interface Attr {
    type: number;
    value: Buffer;
}

function attrs(payload: Buffer): Attr[] {
    const out: Attr[] = [];
    for (let off = 0; off + 4 <= payload.length;) {
        const len = payload.readUInt16LE(off);
        if (len < 4) break;
        out.push({ type: payload.readUInt16LE(off + 2), value: payload.subarray(off + 4, off + len) });
        off += align4(len);
    }
    return out;
}

function encode(list: Attr[]): Buffer {
    return Buffer.concat(
        list.map(({ type, value }) => {
            const b = Buffer.alloc(align4(4 + value.length));
            b.writeUInt16LE(4 + value.length, 0);
            b.writeUInt16LE(type, 2);
            value.copy(b, 4);
            return b;
        }),
    );
}

/** The payload with the attribute at `path` (nest ids, then the leaf id) replaced by `value`. */
function replaceAt(payload: Buffer, path: number[], value: (old: Buffer) => Buffer): Buffer {
    const [head, ...rest] = path;
    let found = false;
    const out = encode(
        attrs(payload).map((a) => {
            if (a.type !== head) return a;
            found = true;
            return { type: a.type, value: rest.length ? replaceAt(a.value, rest, value) : value(a.value) };
        }),
    );
    if (!found) throw new Error(`replay fixture: attribute ${head} missing in a recorded message`);
    return out;
}

function u32(v: number): Buffer {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    return b;
}

function scaleLinks(recorded: Buffer[], links: number): Buffer[] {
    const nameOf = (p: Buffer) => {
        const link = attrs(p).find((a) => a.type === tipcSchema.top.link.id)!.value;
        return attrs(link)
            .find((a) => a.type === tipcSchema.link.name.id)!
            .value.toString('latin1')
            .replace(/\0.*$/, '');
    };
    const broadcast = recorded.filter((p) =>
        attrs(attrs(p)[0].value).some((a) => a.type === tipcSchema.link.broadcast.id),
    );
    const unicast = recorded.filter((p) => !broadcast.includes(p));
    if (unicast.length === 0) throw new Error('replay fixture: the capture has no unicast link to repeat');
    const out = [...broadcast];
    for (let i = 0; out.length < links; i++) {
        const real = unicast[i % unicast.length];
        // own-node:bearer-peer:bearer: a new peer name per copy
        const name = nameOf(real).replace(/-([^:]+):/, `-p${i + 1}:`);
        out.push(replaceAt(real, [tipcSchema.top.link.id, tipcSchema.link.name.id], () => Buffer.from(`${name}\0`)));
    }
    return out;
}

function scalePublications(recorded: Buffer[], publications: number): Buffer[] {
    const publ = [tipcSchema.top.nameTable.id, tipcSchema.nameTable.publ.id];
    const out = recorded.slice(0, publications);
    for (let i = out.length; i < publications; i++) {
        // each copy its own service type (0..2 are the kernel's own) and key
        const typed = replaceAt(recorded[i % recorded.length], [...publ, tipcSchema.publ.type.id], () =>
            u32(100000 + i),
        );
        out.push(replaceAt(typed, [...publ, tipcSchema.publ.key.id], () => u32(0x40000000 + i)));
    }
    return out;
}

/** Whole netlink messages around genl payloads, packed into datagrams of at most DATAGRAM_BYTES. */
function datagrams(cmd: number, payloads: Buffer[]): Buffer[] {
    const out: Buffer[] = [];
    let current: Buffer[] = [];
    let size = 0;
    for (const p of payloads) {
        const msg = Buffer.alloc(align4(NLMSG_HDRLEN + GENL_HDRLEN + p.length));
        msg.writeUInt32LE(NLMSG_HDRLEN + GENL_HDRLEN + p.length, 0);
        msg.writeUInt16LE(FAMILY_ID, 4);
        msg.writeUInt16LE(NLM_F_MULTI, 6);
        msg[NLMSG_HDRLEN] = cmd;
        msg[NLMSG_HDRLEN + 1] = TIPC_GENL.version;
        p.copy(msg, NLMSG_HDRLEN + GENL_HDRLEN);
        if (size + msg.length > DATAGRAM_BYTES && current.length) {
            out.push(Buffer.concat(current));
            current = [];
            size = 0;
        }
        current.push(msg);
        size += msg.length;
    }
    if (current.length) out.push(Buffer.concat(current));
    return out;
}

/** The 16 identity bytes of the recorded NET_GET: TIPC_NLA_NET_NODEID then _NODEID_W1, raw. */
function ownIdentity(netGet: Buffer[]): Buffer {
    const net = attrs(netGet[0]).find((a) => a.type === tipcSchema.top.net.id)!.value;
    const part = (id: number) => attrs(net).find((a) => a.type === id)?.value ?? Buffer.alloc(8);
    return Buffer.concat([part(tipcSchema.net.nodeid.id), part(tipcSchema.net.nodeidW1.id)]);
}

export interface ReplayScale {
    /** Links in the LINK_GET dump, the broadcast link included. */
    links?: number;
    /** Rows in the NAME_TABLE_GET dump. */
    publications?: number;
}

/** Writes a fixture directory for bench/replay/preload.cts; returns its index file (for TIPCX_REPLAY) and what it holds. */
export function writeReplayFixture(
    dir: string,
    scale: ReplayScale = {},
): { index: string; links: number; publications: number } {
    const capture = JSON.parse(readFileSync(CAPTURE, 'utf8')) as Capture;
    mkdirSync(dir, { recursive: true });
    const index: ReplayIndex = {
        about: `scaled from test/unit/fixtures/kernel/cluster.json (${capture.about}; kernel ${capture.kernel})`,
        familyName: TIPC_GENL.name,
        familyId: FAMILY_ID,
        familyVersion: TIPC_GENL.version,
        familyMaxAttr: Math.max(...Object.values(tipcSchema.top).map((a) => a.id)),
        datagramBytes: DATAGRAM_BYTES,
        dumps: {},
        ownAddress: capture.ownAddress,
        nodeIds: {
            ...Object.fromEntries(
                Object.entries(capture.nodeIds).flatMap(([a, hex]) => (hex === null ? [] : [[a, hex]])),
            ),
            // the kernel answers SIOCGETNODEID for its own address too (the name table's own rows)
            [capture.ownAddress]: ownIdentity(capture.dumps.NET_GET.map((h) => Buffer.from(h, 'hex'))).toString('hex'),
        },
    };
    let links = 0;
    let publications = 0;
    for (const [key, hexes] of Object.entries(capture.dumps)) {
        if (!(key in TipcCmd)) continue; // 'PUBL_GET <ref>': per-socket requests, not replayed
        const cmd = TipcCmd[key as keyof typeof TipcCmd];
        let payloads: Buffer[] = hexes.map((h) => Buffer.from(h, 'hex'));
        if (cmd === TipcCmd.LINK_GET && scale.links !== undefined) payloads = scaleLinks(payloads, scale.links);
        if (cmd === TipcCmd.NAME_TABLE_GET && scale.publications !== undefined)
            payloads = scalePublications(payloads, scale.publications);
        if (cmd === TipcCmd.LINK_GET) links = payloads.length;
        if (cmd === TipcCmd.NAME_TABLE_GET) publications = payloads.length;
        const file = `${key}.bin`;
        writeFileSync(join(dir, file), Buffer.concat(datagrams(cmd, payloads).flatMap((d) => [u32(d.length), d])));
        index.dumps[cmd] = file;
    }
    const indexFile = join(dir, 'replay.json');
    writeFileSync(indexFile, JSON.stringify(index, null, 1) + '\n');
    return { index: indexFile, links, publications };
}
