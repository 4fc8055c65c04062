// Schema-driven netlink attribute codec. Everything TIPC-specific lives in schema.ts;
// this file knows only the attribute wire format:
//   u16 nla_len (header included) | u16 nla_type (+ flag bits) | payload | pad to 4.
// Header fields and integers are in host byte order (netlink never crosses machines),
// so the byte order follows os.endianness(); the test vectors assume x86 (LE).
import { endianness } from 'node:os';
import { isIPv4, isIPv6 } from '../ip-text.js';
import type { AttrSpec, AttrType, SchemaSpec, TipcSchema, TipcSet } from './schema.js';
import { TIPC_GENL, tipcSchema } from './schema.js';

export const NLA_F_NESTED = 0x8000;
export const NLA_F_NET_BYTEORDER = 0x4000;
const NLA_TYPE_MASK = 0x3fff;
const NLA_HDRLEN = 4;
const HOST_LE = endianness() === 'LE';
const AF_INET = 2;
const AF_INET6 = 10;

/** The only error decodeAttrs/encodeAttrs throw; `path` names the attribute, e.g. `top.link.stats`. */
export class CodecError extends Error {
    override readonly name = 'CodecError';
    constructor(
        readonly path: string,
        detail: string,
    ) {
        super(`${path}: ${detail}`);
    }
}

/**
 * Attributes the schema does not know are kept under this symbol key (so JSON output and
 * Object.keys never see them) and re-emitted, after the known ones, on encode.
 * `type` excludes the flag bits, which are kept separately in `flags`.
 */
export const UNKNOWN: unique symbol = Symbol('tipcx.unknownAttrs');
export interface UnknownAttr {
    type: number;
    flags: number;
    data: Buffer;
}

/** struct sockaddr_in / sockaddr_in6 as used by the UDP bearer attributes. */
export type SockAddr =
    | { family: 'ipv4'; address: string; port: number }
    | { family: 'ipv6'; address: string; port: number; flowinfo?: number; scopeId?: number };

interface DecodedValues {
    u8: number;
    u16: number;
    u32: number;
    s32: number;
    u64: bigint;
    string: string;
    binary: Buffer;
    sockaddr: SockAddr;
    u32array: number[];
    flag: true;
}
// What encode accepts is slightly wider than what decode produces (false flags are omitted).
interface EncodableValues extends Omit<DecodedValues, 'binary' | 'u32array' | 'flag'> {
    binary: Uint8Array;
    u32array: readonly number[];
    flag: boolean;
}
export type Direction = 'decoded' | 'encodable';

type AttrValue<S extends SchemaSpec, A, D extends Direction> = A extends {
    readonly type: 'nested';
    readonly set: infer N extends keyof S;
}
    ? AttrObject<S, N, D>
    : A extends { readonly type: infer T extends keyof DecodedValues }
      ? (D extends 'decoded' ? DecodedValues : EncodableValues)[T]
      : never;

/** The object type of attribute set N of schema S; every attribute is optional. */
export type AttrObject<S extends SchemaSpec, N extends keyof S, D extends Direction> = {
    -readonly [K in keyof S[N] as S[N][K] extends { readonly type: 'pad' } ? never : K]?: AttrValue<S, S[N][K], D>;
} & { [UNKNOWN]?: UnknownAttr[] };

export interface DecodeOptions<S extends SchemaSpec> {
    /**
     * Nested attribute sets left out of the result, unread: a reader that needs
     * only names and states skips the 33 counters of every link's `stats`.
     */
    readonly skip?: ReadonlySet<keyof S & string>;
    /**
     * Per set, the only attributes to decode; the others are stepped over
     * unread (their headers are still checked). `tipcx top` reads 7 of the
     * 33 link counters this way.
     */
    readonly pick?: { readonly [N in keyof S & string]?: readonly (keyof S[N] & string)[] };
}

export interface Codec<S extends SchemaSpec> {
    encode<N extends keyof S & string>(set: N, value: AttrObject<S, N, 'encodable'>): Buffer;
    decode<N extends keyof S & string>(
        set: N,
        buf: Uint8Array,
        options?: DecodeOptions<S>,
    ): AttrObject<S, N, 'decoded'>;
    /**
     * A decoder of messages of `set` into rows of numbers, one slot per field;
     * `fields` names each field's attribute by its path below `set`
     * (`'link.stats.rxInfo'`). See RowDecoder.
     */
    rows<F extends string>(set: keyof S & string, fields: { readonly [K in F]: string }): RowDecoder<F>;
}

/**
 * Decodes chosen attributes of a message straight into numbers: no object,
 * string or closure per attribute, for readers of thousands of messages
 * (`link statistics show`, `top`, `nametable show`) that then read the
 * numbers by slot. Every slot of a row is written on each decode:
 * - u8, u16, u32, s32: the value (NLA_F_NET_BYTEORDER honoured), NaN when absent;
 * - flag: 1 when present, 0 when absent;
 * - string: two slots, where its text starts and ends in the decoded buffer
 *   (the end at the first NUL, as decode's strings), NaN when absent.
 * A row is checked as decode checks the same attributes with `pick`: every
 * attribute header of every nest walked to reach a field (type, length,
 * stray bytes), and the size of every integer read; anything else is stepped
 * over, and nests with no field in them are not entered. The only error is
 * CodecError, with the same message decode gives.
 */
export interface RowDecoder<F extends string> {
    /** Slots per row. */
    readonly width: number;
    /** Each field's slot (a string's text starts at `slot[f]` and ends at `slot[f] + 1`). */
    readonly slot: { readonly [K in F]: number };
    /** Decodes the whole of `buf` into row[at] .. row[at + width - 1]. */
    decode(buf: Uint8Array, row: Float64Array, at: number): void;
    /** The same layout with only `fields` read: the others are always absent. */
    only(fields: readonly F[]): RowDecoder<F>;
}

type IntType = 'u8' | 'u16' | 'u32' | 's32' | 'u64';
interface IntCodec {
    size: number;
    min: bigint;
    max: bigint;
    set(v: DataView, x: bigint, le: boolean): void;
}
const INTS: Record<IntType, IntCodec> = {
    u8: { size: 1, min: 0n, max: 0xffn, set: (v, x) => v.setUint8(0, Number(x)) },
    u16: { size: 2, min: 0n, max: 0xffffn, set: (v, x, le) => v.setUint16(0, Number(x), le) },
    u32: { size: 4, min: 0n, max: 0xffffffffn, set: (v, x, le) => v.setUint32(0, Number(x), le) },
    s32: { size: 4, min: -(2n ** 31n), max: 2n ** 31n - 1n, set: (v, x, le) => v.setInt32(0, Number(x), le) },
    u64: { size: 8, min: 0n, max: 2n ** 64n - 1n, set: (v, x, le) => v.setBigUint64(0, x, le) },
};

type Obj = { [key: string | symbol]: unknown };
const align4 = (n: number) => (n + 3) & ~3;
const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const getU16 = (b: Buffer, off: number) => (HOST_LE ? b.readUInt16LE(off) : b.readUInt16BE(off));
const putU16 = (b: Buffer, off: number, v: number) => (HOST_LE ? b.writeUInt16LE(v, off) : b.writeUInt16BE(v, off));
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

// Direct reads for the decoder: plain indexing, no bounds or argument checks
// (the caller has checked the attribute's length against the buffer).
const rdU16 = (b: Uint8Array, o: number, le: boolean) => (le ? b[o] | (b[o + 1] << 8) : (b[o] << 8) | b[o + 1]);
const rdU32 = (b: Uint8Array, o: number, le: boolean) =>
    le
        ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000
        : b[o] * 0x1000000 + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
const rdS32 = (b: Uint8Array, o: number, le: boolean) =>
    le
        ? b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)
        : (b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3];
const rdU64 = (b: Uint8Array, o: number, le: boolean) =>
    le
        ? (BigInt(rdU32(b, o + 4, true)) << 32n) | BigInt(rdU32(b, o, true))
        : (BigInt(rdU32(b, o, false)) << 32n) | BigInt(rdU32(b, o + 4, false));

function nla(type: number, payload: Uint8Array, path: string): Buffer {
    const len = NLA_HDRLEN + payload.length;
    if (len > 0xffff) throw new CodecError(path, `attribute of ${len} bytes exceeds the 16-bit length field`);
    const out = Buffer.alloc(align4(len));
    putU16(out, 0, len);
    putU16(out, 2, type);
    out.set(payload, NLA_HDRLEN);
    return out;
}

// What the decoder does with an attribute id, one small integer per id.
const enum Kind {
    Unknown = 0,
    U8,
    U16,
    U32,
    S32,
    U64,
    String,
    Binary,
    Flag,
    Sockaddr,
    U32Array,
    Nested,
    /** pad, a skipped nest, an attribute left out by `pick`: stepped over unread. */
    Ignore,
}
const KIND: Record<AttrType, Kind> = {
    u8: Kind.U8,
    u16: Kind.U16,
    u32: Kind.U32,
    s32: Kind.S32,
    u64: Kind.U64,
    string: Kind.String,
    binary: Kind.Binary,
    flag: Kind.Flag,
    sockaddr: Kind.Sockaddr,
    u32array: Kind.U32Array,
    nested: Kind.Nested,
    pad: Kind.Ignore,
};
/** Payload size of the fixed-size kinds (0: any). */
const SIZE = [0, 1, 2, 4, 4, 8, 0, 0, 0, 0, 0, 0, 0];
const INT_NAME = ['', 'u8', 'u16', 'u32', 's32', 'u64'];

/** One attribute set as the decoder reads it: everything indexed by attribute id. */
interface SetTable {
    readonly name: string;
    /** Kind per id; ids beyond the end are unknown. */
    readonly kinds: Uint8Array;
    /** Result key per id. */
    readonly keys: (string | undefined)[];
    /** The nested set's table per id (Kind.Nested only). */
    readonly nested: (SetTable | undefined)[];
}

/** The decoder's tables for every set, with `options` applied (skipped nests and unpicked attributes are Ignore). */
function buildTables(schema: SchemaSpec, options?: DecodeOptions<SchemaSpec>): Map<string, SetTable> {
    const tables = new Map<string, SetTable>();
    for (const [set, attrs] of Object.entries(schema)) {
        const specs = Object.entries(attrs);
        const size = Math.max(-1, ...specs.map(([, spec]) => spec.id)) + 1;
        const picked = options?.pick?.[set];
        const table: SetTable = {
            name: set,
            kinds: new Uint8Array(size),
            keys: new Array<string | undefined>(size).fill(undefined),
            nested: new Array<SetTable | undefined>(size).fill(undefined),
        };
        for (const [key, spec] of specs) {
            const left =
                (picked !== undefined && !picked.includes(key)) ||
                (spec.type === 'nested' && options?.skip?.has(spec.set) === true);
            table.kinds[spec.id] = left ? Kind.Ignore : KIND[spec.type];
            table.keys[spec.id] = key;
        }
        tables.set(set, table);
    }
    for (const [set, attrs] of Object.entries(schema)) {
        const table = tables.get(set)!;
        for (const spec of Object.values(attrs))
            if (spec.type === 'nested' && (table.kinds[spec.id] as Kind) === Kind.Nested)
                table.nested[spec.id] = tables.get(spec.set);
    }
    return tables;
}

/**
 * The keys of the attributes being decoded, outermost first: error messages
 * name the attribute (`top.link.stats`) without a path string or closure per
 * attribute. Decoding is synchronous, so one stack serves every call.
 */
const pathStack: string[] = [];
let pathDepth = 0;
const pathHere = () => pathStack.slice(0, pathDepth).join('.');
const pathOf = (key: string | undefined) => `${pathHere()}.${key ?? ''}`;

/** Builds a codec for any schema; the exported TIPC functions are this bound to tipcSchema. */
export function createCodec<const S extends SchemaSpec>(schema: S): Codec<S> {
    for (const [set, attrs] of Object.entries(schema)) {
        const ids = new Set<number>();
        for (const [key, spec] of Object.entries(attrs)) {
            // A broken schema is a programming error: fail at import, not on some later reply.
            if (ids.has(spec.id) || !Number.isInteger(spec.id) || spec.id < 0 || spec.id > NLA_TYPE_MASK)
                throw new Error(`schema: bad id for ${set}.${key}`);
            if (spec.type === 'nested' && !Object.hasOwn(schema, spec.set)) {
                throw new Error(`schema: ${set}.${key} nests unknown set ${spec.set}`);
            }
            ids.add(spec.id);
        }
    }
    const plain = buildTables(schema);
    // Options are compiled into tables of their own, once per options object.
    const withOptions = new WeakMap<DecodeOptions<S>, Map<string, SetTable>>();
    const tablesFor = (options: DecodeOptions<S>) => {
        let tables = withOptions.get(options);
        if (tables === undefined) {
            tables = buildTables(schema, options);
            withOptions.set(options, tables);
        }
        return tables;
    };
    const setSpec = (set: string, path: string) => {
        const attrs = Object.hasOwn(schema, set) ? schema[set] : undefined;
        if (!attrs) throw new CodecError(path, `no attribute set '${set}'`);
        return attrs;
    };

    function encodeSet(set: string, value: unknown, path: string): Buffer {
        const attrs = setSpec(set, path);
        if (!isObj(value)) throw new CodecError(path, 'expected an object');
        const parts: Buffer[] = [];
        // Key order is wire order, so callers (and decoded objects) control attribute order.
        for (const [key, v] of Object.entries(value)) {
            if (v === undefined) continue;
            const spec = Object.hasOwn(attrs, key) ? attrs[key] : undefined;
            const at = `${path}.${key}`;
            if (spec === undefined || spec.type === 'pad') throw new CodecError(at, `not an attribute of set '${set}'`);
            if (spec.type === 'flag') {
                if (typeof v !== 'boolean') throw new CodecError(at, 'flag must be a boolean');
                if (v) parts.push(nla(spec.id, Buffer.alloc(0), at));
                continue;
            }
            const type = spec.type === 'nested' ? spec.id | NLA_F_NESTED : spec.id;
            parts.push(nla(type, encodeValue(spec, v, at), at));
        }
        const unknown = value[UNKNOWN];
        if (unknown !== undefined) {
            if (!Array.isArray(unknown)) throw new CodecError(path, 'unknown attributes must be an array');
            for (const u of unknown as unknown[]) {
                if (
                    !isObj(u) ||
                    !Number.isInteger(u.type) ||
                    !Number.isInteger(u.flags) ||
                    !(u.data instanceof Uint8Array) ||
                    (u.type as number) & ~NLA_TYPE_MASK ||
                    (u.flags as number) & NLA_TYPE_MASK
                ) {
                    throw new CodecError(path, 'malformed unknown attribute');
                }
                parts.push(nla((u.type as number) | (u.flags as number), u.data, path));
            }
        }
        return Buffer.concat(parts);
    }

    function encodeValue(spec: AttrSpec, v: unknown, path: string): Uint8Array {
        switch (spec.type) {
            case 'nested':
                return encodeSet(spec.set, v, path);
            case 'flag':
            case 'pad':
                return Buffer.alloc(0);
            case 'string':
                // The kernel needs the terminating NUL (NLA_NUL_STRING), so it cannot be embedded.
                if (typeof v !== 'string' || v.includes('\0'))
                    throw new CodecError(path, 'expected a string without NUL');
                return Buffer.from(`${v}\0`, 'utf8');
            case 'binary':
                if (!(v instanceof Uint8Array)) throw new CodecError(path, 'expected a Buffer');
                return v;
            case 'sockaddr':
                return encodeSockaddr(v, path);
            case 'u32array': {
                if (!Array.isArray(v)) throw new CodecError(path, 'expected an array of u32');
                const out = Buffer.alloc(4 * v.length);
                v.forEach((x: unknown, i) =>
                    INTS.u32.set(view(out.subarray(4 * i)), checkInt('u32', x, path), HOST_LE),
                );
                return out;
            }
            default: {
                const out = Buffer.alloc(INTS[spec.type].size);
                INTS[spec.type].set(view(out), checkInt(spec.type, v, path), HOST_LE);
                return out;
            }
        }
    }

    return {
        rows<F extends string>(set: keyof S & string, fields: { readonly [K in F]: string }): RowDecoder<F> {
            return rowDecoder(schema, set, fields);
        },
        encode<N extends keyof S & string>(set: N, value: AttrObject<S, N, 'encodable'>): Buffer {
            return encodeSet(set, value, set);
        },
        decode<N extends keyof S & string>(
            set: N,
            buf: Uint8Array,
            options?: DecodeOptions<S>,
        ): AttrObject<S, N, 'decoded'> {
            if (!(buf instanceof Uint8Array)) throw new CodecError(set, 'expected a Buffer');
            const table = (options === undefined ? plain : tablesFor(options)).get(set);
            if (table === undefined) throw new CodecError(set, `no attribute set '${set}'`);
            const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
            pathStack[0] = set;
            pathDepth = 1;
            return decodeSet(table, b, 0, b.length) as AttrObject<S, N, 'decoded'>;
        },
    };
}

// Decoding walks offsets into the one receive buffer: no Buffer, DataView,
// closure or path string per attribute (a top sample of 64 namespaces decodes
// some 200,000 attributes). Paths for error messages are built only when an
// error is thrown.
function decodeSet(table: SetTable, buf: Buffer, start: number, end: number): Obj {
    const { kinds, keys } = table;
    const known = kinds.length;
    const out: Obj = {};
    let unknown: UnknownAttr[] | undefined;
    for (let off = start; off < end;) {
        const left = end - off;
        if (left < NLA_HDRLEN) throw new CodecError(pathHere(), `${left} stray byte(s) after the last attribute`);
        const len = rdU16(buf, off, HOST_LE);
        const raw = rdU16(buf, off + 2, HOST_LE);
        const type = raw & NLA_TYPE_MASK;
        if (len < NLA_HDRLEN || len > left) {
            throw new CodecError(pathHere(), `attribute type ${type} claims ${len} bytes, ${left} available`);
        }
        const from = off + NLA_HDRLEN;
        const size = len - NLA_HDRLEN;
        off += align4(len); // the last attribute's padding may be missing; the loop just ends
        const kind: Kind = type < known ? kinds[type] : Kind.Unknown;
        if (kind === Kind.Ignore) continue;
        if (kind === Kind.Unknown) {
            // Empty type 0 is the alignment pad the kernel puts before u64s (nla_put_u64_64bit).
            if (type !== 0 || size > 0)
                (unknown ??= []).push({
                    type,
                    flags: raw & ~NLA_TYPE_MASK,
                    data: Buffer.from(buf.subarray(from, from + size)),
                });
            continue;
        }
        // Duplicates overwrite: the last one wins, as with the kernel's and libmnl's parsers.
        const key = keys[type]!;
        if (kind <= Kind.U64) {
            if (size !== SIZE[kind])
                throw new CodecError(pathOf(key), `${INT_NAME[kind]} needs ${SIZE[kind]} bytes, got ${size}`);
            const le = raw & NLA_F_NET_BYTEORDER ? false : HOST_LE;
            out[key] =
                kind === Kind.U32
                    ? rdU32(buf, from, le)
                    : kind === Kind.U8
                      ? buf[from]
                      : kind === Kind.U16
                        ? rdU16(buf, from, le)
                        : kind === Kind.S32
                          ? rdS32(buf, from, le)
                          : rdU64(buf, from, le);
        } else if (kind === Kind.Nested) {
            pathStack[pathDepth++] = key;
            out[key] = decodeSet(table.nested[type]!, buf, from, from + size);
            pathDepth--;
        } else {
            out[key] = decodeOther(kind, key, buf, from, from + size, raw & NLA_F_NET_BYTEORDER ? false : HOST_LE);
        }
    }
    if (unknown !== undefined) out[UNKNOWN] = unknown;
    return out;
}

function decodeOther(kind: Kind, key: string, buf: Buffer, from: number, to: number, le: boolean): unknown {
    switch (kind) {
        case Kind.String: {
            let nul = from;
            while (nul < to && buf[nul] !== 0) nul++;
            return buf.toString('utf8', from, nul);
        }
        case Kind.Flag:
            return true; // presence is the value (nla_get_flag), any payload is ignored
        case Kind.Binary:
            return Buffer.from(buf.subarray(from, to)); // never alias the caller's receive buffer
        case Kind.Sockaddr:
            return decodeSockaddr(buf.subarray(from, to), pathOf(key));
        default: {
            const size = to - from;
            if (size % 4 !== 0) throw new CodecError(pathOf(key), `u32 array of ${size} bytes`);
            const out = new Array<number>(size / 4);
            for (let i = 0; i < out.length; i++) out[i] = rdU32(buf, from + 4 * i, le);
            return out;
        }
    }
}

// ---- rows ------------------------------------------------------------------------

/**
 * One set as a row decoder walks it. Per attribute id, one number says what
 * to do with it: 0 steps over it; otherwise its Kind in the low bits and, for
 * an integer, flag or string, its slot above OP_SLOT_SHIFT.
 */
interface RowTable {
    readonly ops: Int32Array;
    /** The nested set's table per id (Kind.Nested only). */
    readonly nested: (RowTable | undefined)[];
    /** Attribute names per id, for error messages. */
    readonly keys: (string | undefined)[];
}

const OP_KIND = 0xff;
const OP_SLOT_SHIFT = 8;
const ROW_KINDS = new Set<AttrType>(['u8', 'u16', 'u32', 's32', 'flag', 'string']);

function rowDecoder<F extends string>(
    schema: SchemaSpec,
    root: string,
    fields: { readonly [K in F]: string },
): RowDecoder<F> {
    if (!Object.hasOwn(schema, root)) throw new Error(`rows: no attribute set '${root}'`);
    const slot = {} as Record<F, number>;
    /** Per field: the attributes from the root to it, outermost first. */
    const chains = new Map<F, AttrSpec[]>();
    const defaults: number[] = [];
    for (const field of Object.keys(fields) as F[]) {
        const chain: AttrSpec[] = [];
        let set = root;
        const keys = fields[field].split('.');
        for (const [i, key] of keys.entries()) {
            const spec = Object.hasOwn(schema[set], key) ? schema[set][key] : undefined;
            const last = i === keys.length - 1;
            // a broken field list is a programming error: fail when the decoder is made
            if (spec === undefined || (last ? !ROW_KINDS.has(spec.type) : spec.type !== 'nested'))
                throw new Error(`rows: '${fields[field]}' is not an integer, flag or string attribute below '${root}'`);
            chain.push(spec);
            if (spec.type === 'nested') set = spec.set;
        }
        chains.set(field, chain);
        slot[field] = defaults.length;
        const leaf = chain[chain.length - 1].type;
        if (leaf === 'string') defaults.push(NaN, NaN);
        else defaults.push(leaf === 'flag' ? 0 : NaN);
    }
    const width = defaults.length;
    const absent = Float64Array.from(defaults);
    const build = (read: ReadonlySet<F>): RowDecoder<F> => {
        // one table per path from the root, so that a set nested in two places (prop) keeps its fields apart
        const tables = new Map<string, RowTable>();
        const tableAt = (path: string, set: string): RowTable => {
            let table = tables.get(path);
            if (table === undefined) {
                const ids = Object.values(schema[set]).map((spec) => spec.id);
                const size = Math.max(-1, ...ids) + 1;
                const keys = new Array<string | undefined>(size).fill(undefined);
                for (const [key, spec] of Object.entries(schema[set])) keys[spec.id] = key;
                table = {
                    ops: new Int32Array(size),
                    nested: new Array<RowTable | undefined>(size).fill(undefined),
                    keys,
                };
                tables.set(path, table);
            }
            return table;
        };
        for (const field of read) {
            let path = root;
            let table = tableAt(path, root);
            for (const spec of chains.get(field)!) {
                if (spec.type === 'nested') {
                    path = `${path}.${spec.id}`;
                    const inner = tableAt(path, spec.set);
                    table.ops[spec.id] = Kind.Nested;
                    table.nested[spec.id] = inner;
                    table = inner;
                } else {
                    table.ops[spec.id] = KIND[spec.type] | (slot[field] << OP_SLOT_SHIFT);
                }
            }
        }
        const top = tableAt(root, root);
        return {
            width,
            slot,
            decode(buf: Uint8Array, row: Float64Array, at: number): void {
                if (!(buf instanceof Uint8Array)) throw new CodecError(root, 'expected a Buffer');
                // A narrow row (a name-table binding's 7 fields) by a loop: row.set() is a call into the
                // runtime that costs more than a few stores; a wide one (a link's 50) by that call.
                if (width <= NARROW_ROW) for (let k = 0; k < width; k++) row[at + k] = absent[k];
                else row.set(absent, at);
                pathStack[0] = root;
                pathDepth = 1;
                decodeRowSet(top, buf, 0, buf.length, row, at);
            },
            only: (some) => build(new Set(some)),
        };
    };
    return build(new Set(Object.keys(fields) as F[]));
}

/** Slots up to which a row's absent values are filled by a loop (measured: 7 faster by a loop, 50 by row.set). */
const NARROW_ROW = 16;

// The same walk and the same checks as decodeSet, writing numbers into the row instead of an object.
function decodeRowSet(table: RowTable, buf: Uint8Array, start: number, end: number, row: Float64Array, at: number) {
    const { ops } = table;
    const known = ops.length;
    for (let off = start; off < end;) {
        const left = end - off;
        if (left < NLA_HDRLEN) throw new CodecError(pathHere(), `${left} stray byte(s) after the last attribute`);
        const len = rdU16(buf, off, HOST_LE);
        const raw = rdU16(buf, off + 2, HOST_LE);
        const type = raw & NLA_TYPE_MASK;
        if (len < NLA_HDRLEN || len > left) {
            throw new CodecError(pathHere(), `attribute type ${type} claims ${len} bytes, ${left} available`);
        }
        const from = off + NLA_HDRLEN;
        const size = len - NLA_HDRLEN;
        off += align4(len);
        const op = type < known ? ops[type] : 0;
        if (op === 0) continue;
        const kind = (op & OP_KIND) as Kind;
        const slot = at + (op >> OP_SLOT_SHIFT);
        if (kind <= Kind.S32) {
            if (size !== SIZE[kind])
                throw new CodecError(
                    pathOf(table.keys[type]),
                    `${INT_NAME[kind]} needs ${SIZE[kind]} bytes, got ${size}`,
                );
            const le = raw & NLA_F_NET_BYTEORDER ? false : HOST_LE;
            row[slot] =
                kind === Kind.U32
                    ? rdU32(buf, from, le)
                    : kind === Kind.U8
                      ? buf[from]
                      : kind === Kind.U16
                        ? rdU16(buf, from, le)
                        : rdS32(buf, from, le);
        } else if (kind === Kind.Nested) {
            pathStack[pathDepth++] = table.keys[type]!;
            decodeRowSet(table.nested[type]!, buf, from, from + size, row, at);
            pathDepth--;
        } else if (kind === Kind.Flag) {
            row[slot] = 1;
        } else {
            let nul = from;
            while (nul < from + size && buf[nul] !== 0) nul++;
            row[slot] = from;
            row[slot + 1] = nul;
        }
    }
}

function checkInt(type: IntType, v: unknown, path: string): bigint {
    const ok = type === 'u64' ? typeof v === 'bigint' : Number.isInteger(v);
    const x = ok ? BigInt(v as number | bigint) : 0n;
    if (!ok || x < INTS[type].min || x > INTS[type].max)
        throw new CodecError(path, `${String(v)} is not a valid ${type}`);
    return x;
}

function decodeSockaddr(d: Buffer, path: string): SockAddr {
    const family = d.length >= 2 ? getU16(d, 0) : -1;
    if (family === AF_INET && d.length >= 8) {
        return { family: 'ipv4', address: [...d.subarray(4, 8)].join('.'), port: d.readUInt16BE(2) };
    }
    if (family === AF_INET6 && d.length >= 24) {
        const scopeId = d.length >= 28 ? view(d).getUint32(24, HOST_LE) : 0;
        const address = formatIPv6(d.subarray(8, 24));
        return { family: 'ipv6', address, port: d.readUInt16BE(2), flowinfo: d.readUInt32BE(4), scopeId };
    }
    throw new CodecError(path, `unsupported sockaddr (family ${family}, ${d.length} bytes)`);
}

// Same layouts and sizes as the kernel's replies and iproute2's requests (16 / 28 bytes);
// sa_family and sin6_scope_id are host order, port and flowinfo network order.
function encodeSockaddr(v: unknown, path: string): Buffer {
    const a = isObj(v) ? v : {};
    if (!Number.isInteger(a.port) || (a.port as number) < 0 || (a.port as number) > 0xffff)
        throw new CodecError(path, 'bad port');
    const addr = typeof a.address === 'string' ? a.address : '';
    if (a.family === 'ipv4' && isIPv4(addr)) {
        const out = Buffer.alloc(16);
        putU16(out, 0, AF_INET);
        out.writeUInt16BE(a.port as number, 2);
        out.set(addr.split('.').map(Number), 4);
        return out;
    }
    const bytes = a.family === 'ipv6' ? parseIPv6(addr) : null;
    if (bytes === null) throw new CodecError(path, `bad ${String(a.family)} address '${addr}'`);
    const out = Buffer.alloc(28);
    putU16(out, 0, AF_INET6);
    out.writeUInt16BE(a.port as number, 2);
    out.writeUInt32BE(checkU32(a.flowinfo, path), 4);
    out.set(bytes, 8);
    view(out).setUint32(24, checkU32(a.scopeId, path), HOST_LE);
    return out;
}

const checkU32 = (v: unknown, path: string) => (v === undefined ? 0 : Number(checkInt('u32', v, path)));

/** IPv6 text (no zone suffix) -> 16 bytes, or null. */
export function parseIPv6(text: string): Buffer | null {
    if (!isIPv6(text) || text.includes('%')) return null;
    let s = text;
    const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
    if (dotted) {
        const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
        s = `${s.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    }
    const groups = (p: string | undefined) => (p ? p.split(':').map((h) => parseInt(h, 16)) : []);
    const [head, tail] = s.split('::');
    const hi = groups(head);
    const lo = groups(tail);
    const words = [...hi, ...Array<number>(8 - hi.length - lo.length).fill(0), ...lo];
    const out = Buffer.alloc(16);
    words.forEach((w, i) => out.writeUInt16BE(w, 2 * i));
    return out;
}

/** 16 bytes -> RFC 5952 text (longest zero run compressed, IPv4-mapped dotted), like inet_ntop. */
export function formatIPv6(b: Uint8Array): string {
    const w = Array.from({ length: 8 }, (_, i) => (b[2 * i] << 8) | b[2 * i + 1]);
    if (w.slice(0, 5).every((x) => x === 0) && w[5] === 0xffff) return `::ffff:${[...b.subarray(12, 16)].join('.')}`;
    let best = -1;
    let bestLen = 1; // a single zero group is never compressed
    for (let i = 0; i < 8;) {
        let j = i;
        while (j < 8 && w[j] === 0) j++;
        if (j - i > bestLen) [best, bestLen] = [i, j - i];
        i = Math.max(j, i + 1);
    }
    const hex = w.map((x) => x.toString(16));
    return best < 0 ? hex.join(':') : `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

// ---- TIPCv2 bindings -------------------------------------------------------------

export type Decoded<N extends TipcSet> = AttrObject<TipcSchema, N, 'decoded'>;
export type Encodable<N extends TipcSet> = AttrObject<TipcSchema, N, 'encodable'>;
/** A decoded TIPCv2 message payload (the attributes after the genl header). */
export type TipcMessage = Decoded<'top'>;

const tipc = createCodec(tipcSchema);

export function encodeAttrs<N extends TipcSet>(set: N, value: Encodable<N>): Buffer {
    return tipc.encode(set, value);
}

export function decodeAttrs<N extends TipcSet>(set: N, buf: Uint8Array): Decoded<N> {
    return tipc.decode(set, buf);
}

/** A row decoder for TIPCv2 messages (Codec.rows); make one per field list, at import. */
export function tipcRows<F extends string>(set: TipcSet, fields: { readonly [K in F]: string }): RowDecoder<F> {
    return tipc.rows(set, fields);
}

/** Attribute payload of a request (what follows the 4-byte genl header). */
export function encodeMessage(attrs: Encodable<'top'>): Buffer {
    return tipc.encode('top', attrs);
}

/** Decodes a reply payload (what follows the 4-byte genl header). */
export function decodeMessage(buf: Uint8Array, options?: DecodeOptions<TipcSchema>): TipcMessage {
    return tipc.decode('top', buf, options);
}

/** struct genlmsghdr: cmd, version, 16-bit reserved. */
export function genlHeader(cmd: number, version: number = TIPC_GENL.version): Buffer {
    return Buffer.from([cmd, version, 0, 0]);
}
