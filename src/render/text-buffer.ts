// Text for thousands of records (link statistics, name tables), written as
// bytes into one buffer and made a string once. Built from template strings,
// the same text cost a string per number and per piece, and the flattening
// of the whole concatenation at the end: most of `link statistics show`'s
// time after decoding (docs/benchmarks.md).
//
// A record's text is a TextFormat, compiled once from a tagged template that
// reads like the output (`textFormat\`MTU:${slot}\``), and written by one
// loop: the words four bytes at a time, the numbers two digits at a time,
// ASCII texts in place, no string per piece.

const DIGIT_0 = 0x30;
const SPACE = 0x20;
const BLANKS = 0x20202020;
const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const enum Op {
    /** Words: [Op.Words, first word, bytes]. */
    Words,
    /** A number: [Op.Number, value index, width]. */
    Number,
    /** A text: [Op.Text, text index, width]. */
    Text,
    /** A JSON number, null for NaN: [Op.JsonNumber, value index, 0]. */
    JsonNumber,
    /** A JSON string, null for null: [Op.JsonString, text index, 0]. */
    JsonString,
    /** JSON true, or false for 0: [Op.JsonBoolean, value index, 0]. */
    JsonBoolean,
}
const OP_SIZE = 3;
/** The most bytes a number takes: what String() writes for any double (`-1.7976931348623157e+308`). */
const NUMBER_ROOM = 24;
const JSON_NULL = 'null';

/**
 * A hole of a TextFormat: a value (a number, NaN printed as 0) or a text,
 * padded with blanks to `width` bytes; or, in JSON, a value or text as a
 * JSON number or string (NaN and null as null).
 */
export type FormatHole =
    | number
    | { readonly value: number; readonly width: number; readonly json?: 'number' | 'boolean' }
    | { readonly text: number; readonly width: number; readonly json?: true };

/** `${padded(i, 10)}`: value i as printf's %-10u. */
export const padded = (value: number, width: number): FormatHole => ({ value, width });
/** `${text(i)}`: text i as %s; `${text(i, 8)}` as %-8s. */
export const text = (index: number, width = 0): FormatHole => ({ text: index, width });
/** `${jsonNumber(i)}`: value i as JSON.stringify writes a number, null for NaN. */
export const jsonNumber = (value: number): FormatHole => ({ value, width: 0, json: 'number' });
/** `${jsonBoolean(i)}`: value i as JSON true, or false when 0. */
export const jsonBoolean = (value: number): FormatHole => ({ value, width: 0, json: 'boolean' });
/** `${jsonString(i)}`: text i as JSON.stringify writes a string, null for null. */
export const jsonString = (index: number): FormatHole => ({ text: index, width: 0, json: true });

export interface TextFormat {
    readonly ops: Int32Array;
    /** The words, as host-order u32s of their ASCII bytes (the last one padded with blanks). */
    readonly words: Uint32Array;
    /** The most bytes one write of it takes, besides its texts. */
    readonly bytes: number;
}

/**
 * Compiles a record's text: the template's words (ASCII only) and its holes,
 * each a value index (`${3}`), padded(), or text(). Done once, at import.
 */
export function textFormat(words: TemplateStringsArray, ...holes: FormatHole[]): TextFormat {
    const ops: number[] = [];
    const packed: number[] = [];
    let bytes = 0;
    for (const [i, word] of words.entries()) {
        if (word.length > 0) {
            if (!/^[\x20-\x7e\n]*$/.test(word)) throw new Error(`textFormat: '${word}' is not printable ASCII`);
            const padded4 = Buffer.alloc((word.length + 3) & ~3, ' ');
            padded4.write(word, 'latin1');
            ops.push(Op.Words, packed.length, word.length);
            for (let at = 0; at < padded4.length; at += 4)
                packed.push(HOST_LE ? padded4.readUInt32LE(at) : padded4.readUInt32BE(at));
            bytes += padded4.length;
        }
        if (i === holes.length) break;
        const hole = holes[i];
        if (typeof hole === 'number') {
            ops.push(Op.Number, hole, 0);
            bytes += NUMBER_ROOM;
        } else if ('value' in hole) {
            ops.push(
                hole.json === 'number' ? Op.JsonNumber : hole.json === 'boolean' ? Op.JsonBoolean : Op.Number,
                hole.value,
                hole.width,
            );
            // a padded number's blanks are written in whole words: up to 3 past its width
            bytes += Math.max(NUMBER_ROOM, hole.width + 3);
        } else {
            // the text's own bytes are counted when it is written
            ops.push(hole.json ? Op.JsonString : Op.Text, hole.text, hole.width);
            bytes += Math.max(JSON_NULL.length, hole.width);
        }
    }
    return { ops: Int32Array.from(ops), words: Uint32Array.from(packed), bytes };
}

/**
 * The bytes of the last TextBuffer made into a string, for the next one: a
 * command that prints a thousand links then needs no fresh megabyte for it.
 * Kept only up to this size.
 */
const SPARE_MAX = 8 << 20;
let spare: Buffer | undefined;

export class TextBuffer {
    private bytes: Buffer;
    private view: DataView;
    private at = 0;
    /** Whether every byte so far is ASCII: the string is then made the cheap way (latin1). */
    private ascii = true;

    /** `sizeHint`: the bytes expected; more are made room for as needed. */
    constructor(sizeHint = 4096) {
        const size = Math.max(sizeHint, 64);
        if (spare !== undefined && spare.length >= size) {
            this.bytes = spare;
            spare = undefined;
        } else {
            this.bytes = Buffer.allocUnsafe(size);
        }
        this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    }

    /** Bytes written so far. */
    get length(): number {
        return this.at;
    }

    /**
     * One record: `format`'s words, value i of its holes from values[at + i]
     * (an unsigned integer; NaN, a field the kernel did not send, as 0, which
     * is what iproute2 prints for it), text i from texts[i].
     */
    format(format: TextFormat, values: Float64Array, at: number, texts: readonly (string | null)[] = NO_TEXTS): void {
        let room = format.bytes;
        for (let k = 0; k < texts.length; k++) room += 3 * (texts[k]?.length ?? 0);
        if (this.at + room > this.bytes.length) this.grow(room);
        const { ops, words } = format;
        let b = this.bytes;
        let view = this.view;
        let pos = this.at;
        for (let i = 0; i < ops.length; i += OP_SIZE) {
            const op = ops[i] as Op;
            const from = pos;
            if (op === Op.Words) {
                // whole words: up to 3 blanks past the end, which what follows overwrites
                const first = ops[i + 1];
                const n = ops[i + 2];
                for (let w = 0; 4 * w < n; w++) view.setUint32(pos + 4 * w, words[first + w], HOST_LE);
                pos += n;
                continue;
            }
            if (op === Op.Number) {
                const v = values[at + ops[i + 1]];
                // a padded number: blanks first, four at a time, then the digits over them
                const width = ops[i + 2];
                for (let w = 0; w < width; w += 4) view.setUint32(pos + w, BLANKS);
                pos = Math.max(writeUint(b, pos, v === v ? v : 0), from + width);
                continue;
            }
            if (op === Op.JsonNumber) {
                pos = writeJsonNumber(b, pos, values[at + ops[i + 1]]);
            } else if (op === Op.JsonBoolean) {
                pos = writeAscii(b, pos, values[at + ops[i + 1]] === 0 ? 'false' : 'true');
            } else {
                const t = texts[ops[i + 1]];
                if (op === Op.Text && t !== null && asciiPrefix(b, pos, t) === t.length) {
                    // ASCII, copied in place (its room is reserved above)
                    pos += t.length;
                } else {
                    this.at = pos;
                    if (op === Op.Text) this.text(t ?? '');
                    else if (t === null) this.text(JSON_NULL);
                    else this.jsonString(t);
                    pos = this.at;
                    b = this.bytes;
                    view = this.view;
                }
            }
            const end = from + ops[i + 2];
            while (pos < end) b[pos++] = SPACE;
        }
        this.at = pos;
    }

    /** Any text, as UTF-8 (ASCII copied byte for byte). */
    text(s: string): void {
        const n = s.length;
        if (this.at + n > this.bytes.length) this.grow(n);
        const ascii = asciiPrefix(this.bytes, this.at, s);
        this.at += ascii;
        if (ascii < n) this.nonAscii(s.slice(ascii));
    }

    /** `s` as JSON.stringify writes it. */
    jsonString(s: string): void {
        const n = s.length;
        if (this.at + n + 2 > this.bytes.length) this.grow(n + 2);
        const b = this.bytes;
        const at = this.at;
        b[at] = QUOTE;
        for (let i = 0; i < n; i++) {
            const c = s.charCodeAt(i);
            // anything JSON escapes, or that is not ASCII: JSON.stringify decides how
            if (c < 0x20 || c === QUOTE || c === BACKSLASH || c >= 0x7f) {
                this.text(JSON.stringify(s));
                return;
            }
            b[at + 1 + i] = c;
        }
        b[at + 1 + n] = QUOTE;
        this.at = at + n + 2;
    }

    /**
     * A non-negative integer in decimal, as printf's %u. Anything else (which
     * no renderer should pass) is written as String() writes it, so that it
     * shows instead of corrupting the text.
     */
    uint(n: number): void {
        if (this.at + NUMBER_ROOM > this.bytes.length) this.grow(NUMBER_ROOM);
        this.at = writeUint(this.bytes, this.at, n);
    }

    /**
     * The text as UTF-8 bytes, handed over: the buffer is done with, and its
     * memory is not reused (the caller may keep what it was given), so that
     * bytes headed for a descriptor are not made a string and back.
     */
    take(): Buffer {
        const out = this.bytes.subarray(0, this.at);
        this.bytes = Buffer.alloc(0);
        this.view = new DataView(this.bytes.buffer);
        this.at = 0;
        return out;
    }

    /** The text; the buffer is done with (its bytes go to the next TextBuffer). */
    toString(): string {
        const text = this.bytes.toString(this.ascii ? 'latin1' : 'utf8', 0, this.at);
        if (this.bytes.length <= SPARE_MAX && (spare === undefined || spare.length < this.bytes.length))
            spare = this.bytes;
        this.bytes = Buffer.alloc(0);
        this.view = new DataView(this.bytes.buffer);
        this.at = 0;
        return text;
    }

    private nonAscii(s: string): void {
        if (this.at + 3 * s.length > this.bytes.length) this.grow(3 * s.length);
        this.at += this.bytes.write(s, this.at, 'utf8');
        this.ascii = false;
    }

    private grow(need: number): void {
        const bigger = Buffer.allocUnsafe(Math.max(2 * this.bytes.length, this.at + need));
        this.bytes.copy(bigger, 0, 0, this.at);
        this.bytes = bigger;
        this.view = new DataView(bigger.buffer, bigger.byteOffset, bigger.byteLength);
    }
}

const NO_TEXTS: readonly string[] = [];
const QUOTE = 0x22;
const DOT = 0x2e;
const BACKSLASH = 0x5c;

/** `n` as JSON.stringify writes a number (null when not finite) at b[pos]; the position after it. */
function writeJsonNumber(b: Buffer, pos: number, n: number): number {
    if (n >>> 0 === n) return writeUint(b, pos, n);
    // A whole number of thousandths (top's rates, src/top/rates.ts perSecond) below
    // 10^15 thousandths: the decimal m/1000 has at most 15 significant digits, so it
    // is the shortest text of the double nearest it, which is what String() writes.
    const m = Math.round(n * 1000);
    if (m / 1000 === n && m > 0 && m < 1e15) {
        const whole = Math.floor(m / 1000);
        // 1..999 after the point, in small-integer arithmetic (a double's % is a call to fmod)
        const fraction = (m - whole * 1000) | 0;
        pos = writeUint(b, pos, whole);
        if (fraction === 0) return pos;
        b[pos++] = DOT;
        const tenths = (fraction / 100) | 0;
        const rest = fraction - 100 * tenths;
        b[pos++] = DIGIT_0 + tenths;
        if (rest === 0) return pos;
        const hundredths = (rest / 10) | 0;
        b[pos++] = DIGIT_0 + hundredths;
        const thousandths = rest - 10 * hundredths;
        if (thousandths !== 0) b[pos++] = DIGIT_0 + thousandths;
        return pos;
    }
    return writeAscii(b, pos, Number.isFinite(n) ? String(n) : JSON_NULL);
}

/** Copies `s` to b[pos] up to its first character that is not ASCII (room assumed); how many it copied. */
function asciiPrefix(b: Buffer, pos: number, s: string): number {
    let k = 0;
    for (let c; k < s.length && (c = s.charCodeAt(k)) < 0x80; k++) b[pos + k] = c;
    return k;
}

/** ASCII `s` at b[pos] (room assumed); the position after it. */
function writeAscii(b: Buffer, pos: number, s: string): number {
    for (let i = 0; i < s.length; i++) b[pos + i] = s.charCodeAt(i);
    return pos + s.length;
}

/** "00".."99": two digits per division. */
const TWO_DIGITS = Uint8Array.from({ length: 200 }, (_, i) => DIGIT_0 + (i & 1 ? (i >> 1) % 10 : Math.floor(i / 20)));

/** Decimal digits of a u32. */
function digitsOf(n: number): number {
    if (n < 100000) return n < 100 ? (n < 10 ? 1 : 2) : n < 1000 ? 3 : n < 10000 ? 4 : 5;
    return n < 10000000 ? (n < 1000000 ? 6 : 7) : n < 100000000 ? 8 : n < 1000000000 ? 9 : 10;
}

/** `n` in decimal at b[pos] (room for NUMBER_ROOM bytes assumed); the position after it. */
function writeUint(b: Buffer, pos: number, n: number): number {
    if (n >>> 0 !== n) {
        // no renderer should pass this: shown as String() shows it rather than corrupting the text
        const s = String(n);
        for (let i = 0; i < s.length; i++) b[pos + i] = s.charCodeAt(i);
        return pos + s.length;
    }
    // counted first, then written last to first, two digits at a time
    const end = pos + digitsOf(n);
    let at = end;
    let m = n;
    if (m >= 0x80000000) {
        const q = Math.floor(m / 100);
        const r = 2 * (m - 100 * q);
        b[--at] = TWO_DIGITS[r + 1];
        b[--at] = TWO_DIGITS[r];
        m = q;
    }
    // below 2^31: small-integer arithmetic, where a division by 100 becomes a multiplication
    m |= 0;
    while (m >= 100) {
        const q = (m / 100) | 0;
        const r = 2 * (m - 100 * q);
        b[--at] = TWO_DIGITS[r + 1];
        b[--at] = TWO_DIGITS[r];
        m = q;
    }
    // the first one or two digits, at pos
    if (m >= 10) {
        b[pos] = TWO_DIGITS[2 * m];
        b[pos + 1] = TWO_DIGITS[2 * m + 1];
    } else {
        b[pos] = DIGIT_0 + m;
    }
    return end;
}
