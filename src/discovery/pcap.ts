/**
 * Reads pcap and pcapng capture files (both byte orders, micro- and
 * nanosecond pcap, any pcapng timestamp resolution) and writes classic pcap,
 * which is what the lab records fixtures with. Malformed files end in a
 * DecodeError naming the offset; nothing else is thrown.
 */
import { DecodeError } from './frame.js';

export interface CapturedPacket {
    /** Capture time in milliseconds since the epoch (fractional below 1 ms). */
    timeMs: number;
    linkType: number;
    data: Uint8Array;
    /** Length on the wire (data may be truncated by the snap length). */
    originalLength: number;
    /** pcapng interface name, when the file gives one. */
    interfaceName?: string;
}

const PCAP_MICRO = 0xa1b2c3d4;
const PCAP_NANO = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BOM = 0x1a2b3c4d;

export function readCapture(file: Uint8Array): CapturedPacket[] {
    if (file.byteLength < 4) throw new DecodeError('not a capture file: shorter than 4 bytes');
    const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
    const magicBE = dv.getUint32(0, false);
    if (magicBE === PCAPNG_SHB) return readPcapng(file, dv);
    const magicLE = dv.getUint32(0, true);
    if ([magicBE, magicLE].some((m) => m === PCAP_MICRO || m === PCAP_NANO)) return readPcap(file, dv);
    throw new DecodeError(`not a pcap or pcapng file (magic 0x${magicBE.toString(16).padStart(8, '0')})`);
}

function readPcap(file: Uint8Array, dv: DataView): CapturedPacket[] {
    if (file.byteLength < 24) throw new DecodeError('truncated pcap header', file.byteLength);
    const le = dv.getUint32(0, true) === PCAP_MICRO || dv.getUint32(0, true) === PCAP_NANO;
    const nano = dv.getUint32(0, le) === PCAP_NANO;
    // the link type's upper bits carry the FCS length: keep the low 16
    const linkType = dv.getUint32(20, le) & 0xffff;
    const packets: CapturedPacket[] = [];
    let off = 24;
    while (off < file.byteLength) {
        if (off + 16 > file.byteLength) throw new DecodeError('truncated pcap record header', off);
        const sec = dv.getUint32(off, le);
        const frac = dv.getUint32(off + 4, le);
        const incl = dv.getUint32(off + 8, le);
        const orig = dv.getUint32(off + 12, le);
        if (off + 16 + incl > file.byteLength)
            throw new DecodeError(`truncated pcap record: ${incl} bytes announced`, off);
        packets.push({
            timeMs: sec * 1000 + (nano ? frac / 1e6 : frac / 1e3),
            linkType,
            data: file.subarray(off + 16, off + 16 + incl),
            originalLength: orig,
        });
        off += 16 + incl;
    }
    return packets;
}

interface Interface {
    linkType: number;
    /** Timestamp units per second. */
    unitsPerSecond: number;
    name?: string;
}

function readPcapng(file: Uint8Array, dv: DataView): CapturedPacket[] {
    const packets: CapturedPacket[] = [];
    let interfaces: Interface[] = [];
    let le = true;
    let off = 0;
    while (off < file.byteLength) {
        if (off + 12 > file.byteLength) throw new DecodeError('truncated pcapng block header', off);
        const typeBE = dv.getUint32(off, false);
        if (typeBE === PCAPNG_SHB) {
            const bom = dv.getUint32(off + 8, true);
            if (bom === PCAPNG_BOM) le = true;
            else if (dv.getUint32(off + 8, false) === PCAPNG_BOM) le = false;
            else throw new DecodeError('pcapng section header with a bad byte-order magic', off + 8);
            interfaces = []; // interface ids are per section
        }
        const type = dv.getUint32(off, le);
        const len = dv.getUint32(off + 4, le);
        if (len < 12 || len % 4 !== 0 || off + len > file.byteLength)
            throw new DecodeError(`bad pcapng block length ${len}`, off + 4);
        const body = off + 8;
        const bodyEnd = off + len - 4;
        switch (type) {
            case 1: {
                // interface description
                if (bodyEnd - body < 8) throw new DecodeError('truncated pcapng interface block', off);
                const iface: Interface = { linkType: dv.getUint16(body, le), unitsPerSecond: 1e6 };
                readOptions(file, dv, le, body + 8, bodyEnd, (code, value) => {
                    if (code === 2) iface.name = Buffer.from(value).toString('utf8').replace(/\0+$/, '');
                    if (code === 9 && value.byteLength >= 1) {
                        const r = value[0];
                        iface.unitsPerSecond = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** (r & 0x7f);
                    }
                });
                interfaces.push(iface);
                break;
            }
            case 6: {
                // enhanced packet
                if (bodyEnd - body < 20) throw new DecodeError('truncated pcapng packet block', off);
                const iface = interfaces[dv.getUint32(body, le)];
                if (!iface)
                    throw new DecodeError(`pcapng packet for undeclared interface ${dv.getUint32(body, le)}`, body);
                const ts = dv.getUint32(body + 4, le) * 2 ** 32 + dv.getUint32(body + 8, le);
                const incl = dv.getUint32(body + 12, le);
                if (body + 20 + incl > bodyEnd)
                    throw new DecodeError(`pcapng packet of ${incl} bytes overruns its block`, body + 12);
                packets.push({
                    timeMs: (ts / iface.unitsPerSecond) * 1000,
                    linkType: iface.linkType,
                    data: file.subarray(body + 20, body + 20 + incl),
                    originalLength: dv.getUint32(body + 16, le),
                    ...(iface.name === undefined ? {} : { interfaceName: iface.name }),
                });
                break;
            }
            case 3: {
                // simple packet: interface 0, no timestamp
                const iface = interfaces[0];
                if (!iface) throw new DecodeError('pcapng simple packet before any interface', off);
                const orig = dv.getUint32(body, le);
                const incl = Math.min(orig, bodyEnd - body - 4);
                packets.push({
                    timeMs: 0,
                    linkType: iface.linkType,
                    data: file.subarray(body + 4, body + 4 + incl),
                    originalLength: orig,
                });
                break;
            }
            default: // statistics, name resolution, custom blocks: not needed
                break;
        }
        off += len;
    }
    return packets;
}

function readOptions(
    file: Uint8Array,
    dv: DataView,
    le: boolean,
    start: number,
    end: number,
    each: (code: number, value: Uint8Array) => void,
): void {
    let off = start;
    while (off + 4 <= end) {
        const code = dv.getUint16(off, le);
        const len = dv.getUint16(off + 2, le);
        if (code === 0) return;
        if (off + 4 + len > end) throw new DecodeError('pcapng option overruns its block', off);
        each(code, file.subarray(off + 4, off + 4 + len));
        off += 4 + ((len + 3) & ~3);
    }
}

/** A classic little-endian microsecond pcap file. */
export function writePcap(
    linkType: number,
    packets: readonly { timeMs: number; data: Uint8Array }[],
    snapLength = 262144,
): Buffer {
    const header = Buffer.alloc(24);
    header.writeUInt32LE(PCAP_MICRO, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeUInt32LE(snapLength, 16);
    header.writeUInt32LE(linkType, 20);
    const records = packets.map((p) => {
        const r = Buffer.alloc(16);
        const micros = Math.round(p.timeMs * 1000);
        r.writeUInt32LE(Math.floor(micros / 1e6), 0);
        r.writeUInt32LE(micros % 1e6, 4);
        r.writeUInt32LE(p.data.byteLength, 8);
        r.writeUInt32LE(p.data.byteLength, 12);
        return Buffer.concat([r, p.data]);
    });
    return Buffer.concat([header, ...records]);
}
