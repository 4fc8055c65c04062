// pcap and pcapng reading: a file written here round-trips, in both pcap byte
// orders and in a hand-built pcapng with a nanosecond interface.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DecodeError, decodeLinkFrame, LinkType, type DiscoveryFrame } from '../../src/discovery/frame.js';
import { readCapture, writePcap } from '../../src/discovery/pcap.js';
import { seededRandom } from './seeded-random.js';
import { reportCount } from '../suite-count.js';

const frameA = Buffer.from(
    'ffffffffffff02000000000188ca5bf0004c07ffabcd00000000020100000000126700000001020000000001' +
        '00'.repeat(22) +
        '1234abcd00000000020000000001' +
        '00'.repeat(10),
    'hex',
);
const frameB = Buffer.from('0102030405060708090a0b0c0800', 'hex');

test('pcap: written and read back, little- and big-endian', () => {
    const file = writePcap(LinkType.EN10MB, [
        { timeMs: 1_700_000_000_123.456, data: frameA },
        { timeMs: 1_700_000_001_000, data: frameB },
    ]);
    const packets = readCapture(file);
    assert.equal(packets.length, 2);
    assert.equal(packets[0].linkType, 1);
    assert.ok(Math.abs(packets[0].timeMs - 1_700_000_000_123.456) < 0.001);
    assert.deepEqual(Buffer.from(packets[0].data), frameA);
    assert.deepEqual(Buffer.from(packets[1].data), frameB);
    assert.equal((decodeLinkFrame(packets[0].linkType, packets[0].data).tipc as DiscoveryFrame).hashHex, '1234abcd');
    // byte-swap the header and record headers: a big-endian writer's file
    const be = Buffer.from(file);
    for (const off of [0, 16, 20]) be.writeUInt32BE(file.readUInt32LE(off), off);
    be.writeUInt16BE(2, 4);
    be.writeUInt16BE(4, 6);
    let off = 24;
    for (let i = 0; i < 2; i++) {
        for (let k = 0; k < 16; k += 4) be.writeUInt32BE(file.readUInt32LE(off + k), off + k);
        off += 16 + file.readUInt32LE(off + 8);
    }
    assert.deepEqual(
        readCapture(be).map((p) => Buffer.from(p.data)),
        [frameA, frameB],
    );
});

function block(type: number, body: Buffer): Buffer {
    const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
    const len = 12 + padded.length;
    const b = Buffer.alloc(len);
    b.writeUInt32LE(type, 0);
    b.writeUInt32LE(len, 4);
    padded.copy(b, 8);
    b.writeUInt32LE(len, len - 4);
    return b;
}
function option(code: number, value: Buffer): Buffer {
    const h = Buffer.alloc(4);
    h.writeUInt16LE(code, 0);
    h.writeUInt16LE(value.length, 2);
    return Buffer.concat([h, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
}

test('pcapng: interfaces with names and a nanosecond resolution, enhanced and simple packets', () => {
    const shb = Buffer.alloc(16);
    shb.writeUInt32LE(0x1a2b3c4d, 0);
    shb.writeUInt16LE(1, 4);
    shb.writeBigInt64LE(-1n, 8);
    const idb = (linkType: number, name: string, tsresol?: number) => {
        const fixed = Buffer.alloc(8);
        fixed.writeUInt16LE(linkType, 0);
        return block(
            1,
            Buffer.concat([
                fixed,
                option(2, Buffer.from(name)),
                ...(tsresol === undefined ? [] : [option(9, Buffer.from([tsresol]))]),
                option(0, Buffer.alloc(0)),
            ]),
        );
    };
    const epb = (iface: number, ts: bigint, data: Buffer) => {
        const fixed = Buffer.alloc(20);
        fixed.writeUInt32LE(iface, 0);
        fixed.writeUInt32LE(Number(ts >> 32n), 4);
        fixed.writeUInt32LE(Number(ts & 0xffffffffn), 8);
        fixed.writeUInt32LE(data.length, 12);
        fixed.writeUInt32LE(data.length, 16);
        return block(6, Buffer.concat([fixed, data]));
    };
    const spbBody = Buffer.alloc(4);
    spbBody.writeUInt32LE(frameB.length);
    const file = Buffer.concat([
        block(0x0a0d0d0a, shb),
        idb(LinkType.EN10MB, 'eth0'),
        idb(LinkType.LINUX_SLL2, 'any', 9),
        epb(0, 1_700_000_000_000_123n, frameA),
        epb(1, 1_700_000_000_000_000_456n, frameB),
        block(5, Buffer.alloc(8)), // interface statistics: skipped
        block(3, Buffer.concat([spbBody, frameB])),
    ]);
    const packets = readCapture(file);
    assert.equal(packets.length, 3);
    assert.deepEqual(
        packets.map((p) => [p.linkType, p.interfaceName]),
        [
            [1, 'eth0'],
            [276, 'any'],
            [1, undefined],
        ],
    );
    assert.ok(Math.abs(packets[0].timeMs - 1_700_000_000_000.123) < 0.001);
    assert.ok(Math.abs(packets[1].timeMs - 1_700_000_000_000 - 0.000456) < 0.01);
    assert.deepEqual(
        packets.map((p) => Buffer.from(p.data)),
        [frameA, frameB, frameB],
    );
});

test('malformed capture files are DecodeErrors', () => {
    assert.throws(() => readCapture(Buffer.from('hello world!')), DecodeError);
    const file = writePcap(LinkType.EN10MB, [{ timeMs: 0, data: frameA }]);
    assert.throws(
        () => readCapture(file.subarray(0, file.length - 3)),
        (e: unknown) => e instanceof DecodeError && /truncated/.test(e.message),
    );
    assert.throws(() => readCapture(Buffer.alloc(2)), DecodeError);
});

test('the pcap recorded in the lab decodes to the exact field values', () => {
    const url = new URL('../../../test/unit/fixtures/discovery-lab.pcap', import.meta.url);
    let file: Buffer;
    try {
        file = readFileSync(url);
    } catch {
        return assert.fail(
            'test/unit/fixtures/discovery-lab.pcap is missing: record it with test/integration/crossover.test.ts',
        );
    }
    const expected = JSON.parse(
        readFileSync(new URL('../../../test/unit/fixtures/discovery-lab.json', import.meta.url), 'utf8'),
    ) as unknown[];
    const decoded = readCapture(file).map((p) => decodeLinkFrame(p.linkType, p.data));
    assert.ok(decoded.length >= 3);
    assert.deepEqual(JSON.parse(JSON.stringify(decoded)), expected);
    // what the lab set up (makeCluster 'xo': identity xoN, MAC 02:00:00:00:12:0N, net 4711) on Linux 6.1
    const hashes = new Map<string, number>();
    for (const { encapsulation, tipc } of decoded) {
        const d = tipc as DiscoveryFrame;
        assert.equal(d.kind, 'discovery');
        assert.match(d.identity, /^xo[123]$/);
        const n = d.identity.slice(2);
        assert.equal(encapsulation.srcMac, `02:00:00:00:12:0${n}`);
        assert.deepEqual(
            [d.hsize, d.size, d.format, d.netId, d.capabilities, d.nodeIdSource],
            [60, 76, 'modern', 4711, 0xfff, 'frame'],
        );
        assert.equal(d.media.mac, `02:00:00:00:12:0${n}`);
        assert.equal(d.nodeId, Buffer.from(d.identity).toString('hex').padEnd(32, '0'));
        assert.equal(d.prevNode, Buffer.from(d.identity.padEnd(4, '\0')).readUInt32BE(0)); // XOR of the id's words
        assert.ok(['REQ', 'RESP'].includes(d.type));
        assert.equal(d.signature & 0x8000, 0x8000); // bit 15 is capability bit 0 on the wire
        assert.notEqual(d.hash, 0);
        if (hashes.has(d.identity)) assert.equal(d.hash, hashes.get(d.identity), 'one hash per sender');
        hashes.set(d.identity, d.hash);
    }
    assert.ok(hashes.has('xo3'));
});

test('fuzz: 10,000 random and mutated capture files give records or DecodeError, nothing else', (t) => {
    const rnd = seededRandom(0x5eed);
    const seeds = [
        writePcap(LinkType.EN10MB, [
            { timeMs: 1, data: frameA },
            { timeMs: 2, data: frameB },
        ]),
        readFileSync(new URL('../../../test/unit/fixtures/discovery-lab.pcap', import.meta.url)),
    ];
    let decoded = 0;
    let refused = 0;
    for (let i = 0; i < 10_000; i++) {
        let buf: Buffer;
        if (i % 3 === 0) {
            buf = Buffer.from(Array.from({ length: Math.floor(rnd() * 200) }, () => Math.floor(rnd() * 256)));
        } else {
            buf = Buffer.from(seeds[i % 2]);
            // flip bytes, mostly in the headers where lengths and magic numbers live
            for (let k = 1 + Math.floor(rnd() * 6); k > 0; k--)
                buf[Math.floor(rnd() * Math.min(buf.length, rnd() < 0.7 ? 64 : buf.length))] = Math.floor(rnd() * 256);
            if (rnd() < 0.2) buf = buf.subarray(0, Math.floor(rnd() * buf.length));
        }
        try {
            for (const record of readCapture(buf)) {
                try {
                    decodeLinkFrame(record.linkType, record.data);
                } catch (e) {
                    assert.ok(e instanceof DecodeError, `frame: ${String(e)}`);
                }
            }
            decoded++;
        } catch (e) {
            assert.ok(e instanceof DecodeError, `file ${buf.subarray(0, 48).toString('hex')}: ${String(e)}`);
            refused++;
        }
    }
    assert.equal(decoded + refused, 10_000);
    assert.ok(decoded > 100 && refused > 100, `${decoded} decoded, ${refused} refused: both paths exercised`);
    reportCount(t, 'fuzz cases', decoded + refused);
});
