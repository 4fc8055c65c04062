// 128-bit TIPC node identities, following iproute2's str2nodeid/nodeid2str
// (tipc/misc.c) so that ids print and parse exactly as `tipc` does them.
import { endianness } from 'node:os';

export const NODE_ID_LEN = 16;
const HOST_LE = endianness() === 'LE';
const NAME_RE = /^[0-9A-Za-z._:@-]+$/;
const HEX_RE = /^[0-9A-Fa-f]+$/;

const isNameByte = (c: number) =>
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x2d ||
    c === 0x5f ||
    c === 0x2e ||
    c === 0x3a ||
    c === 0x40;

/**
 * Text -> 16 identity bytes, or null if invalid. Up to 16 name characters are taken as
 * ASCII even when they look like hex ('d6babc1c1c6d' is a name); 17..32 hex digits are
 * hex, an odd last digit being the high nibble of the final byte (iproute2 pads it
 * with '0'). The empty string is rejected (iproute2 reads before the buffer there).
 */
export function parseNodeId(text: string): Buffer | null {
    if (text.length === 0 || text.length > 2 * NODE_ID_LEN) return null;
    const id = Buffer.alloc(NODE_ID_LEN);
    if (text.length <= NODE_ID_LEN && NAME_RE.test(text)) {
        id.write(text, 'latin1');
        return id;
    }
    if (!HEX_RE.test(text)) return null;
    id.set(Buffer.from(text.length % 2 ? `${text}0` : text, 'hex'));
    return id;
}

/**
 * 16 identity bytes -> text: the name if the bytes (trailing NULs dropped) are all name
 * characters, else 32 hex digits with every trailing '0' removed, so ids ending in a 0
 * nibble cannot be typed back as printed (iproute2 behaviour, kept on purpose).
 * An all-zero id prints as '' (iproute2 treats it as an empty name).
 */
export function nodeIdToString(id: Uint8Array): string {
    const b = Buffer.alloc(NODE_ID_LEN);
    b.set(id.subarray(0, NODE_ID_LEN));
    let last = NODE_ID_LEN - 1;
    while (last >= 0 && b[last] === 0) last--;
    if (b.subarray(0, last + 1).every(isNameByte)) return b.toString('latin1', 0, last + 1);
    return b.toString('hex').replace(/0+$/, '');
}

/**
 * Identity bytes -> NET{NODEID, NODEID_W1}. The kernel memcpy()s the bytes into two u64s
 * and puts them in host order, so reading them back in host order keeps the raw bytes.
 * The keys match the 'net' attribute set, so the result can be spread into it.
 */
export function nodeIdToWords(id: Uint8Array): { nodeid: bigint; nodeidW1: bigint } {
    const b = Buffer.alloc(NODE_ID_LEN);
    b.set(id.subarray(0, NODE_ID_LEN));
    const read = (off: number) => (HOST_LE ? b.readBigUInt64LE(off) : b.readBigUInt64BE(off));
    return { nodeid: read(0), nodeidW1: read(8) };
}

/** NET{NODEID, NODEID_W1} -> the 16 identity bytes (inverse of nodeIdToWords). */
export function nodeIdFromWords(nodeid: bigint, nodeidW1: bigint = 0n): Buffer {
    const b = Buffer.alloc(NODE_ID_LEN);
    const write = (v: bigint, off: number) => (HOST_LE ? b.writeBigUInt64LE(v, off) : b.writeBigUInt64BE(v, off));
    write(BigInt.asUintN(64, nodeid), 0);
    write(BigInt.asUintN(64, nodeidW1), 8);
    return b;
}

/** A node hash/address as iproute2 prints it (%08x). */
export function formatHash(hash: number): string {
    return (hash >>> 0).toString(16).padStart(8, '0');
}

/** A node as people know it: its identity, else (unknown: '') its hash. */
export function nodeName(identity: string, hash: number): string {
    return identity === '' ? formatHash(hash) : identity;
}
