// The discovery-frame decoder: a synthetic discovery frame (built from the
// kernel's header layout, not captured) field by field, every encapsulation, older and encrypted formats, and a fuzz run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reportCount } from '../suite-count.js';
import {
    DecodeError,
    decodeEthernet,
    decodeIp,
    decodeLinkFrame,
    decodeRawTipc,
    decodeSll,
    decodeSll2,
    decodeTipc,
    LinkType,
    type DiscoveryFrame,
    type EncryptedFrame,
} from '../../src/discovery/frame.js';

const h = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** Synthetic: REQ from 02:00:00:00:00:01, net 4711, random 0x1234ABCD, init_net. */
const EXAMPLE_TIPC = h(`
  5BF0004C 07FFABCD 00000000 02010000 00001267
  00000001 020000000001 0000 ${'00'.repeat(20)}
  1234ABCD 00000000
  020000000001 ${'00'.repeat(10)}`);
const ETH_HEADER = h('ffffffffffff 020000000001 88ca');
const EXAMPLE_ETH = Buffer.concat([ETH_HEADER, EXAMPLE_TIPC]);

function discovery(f: { tipc: unknown }): DiscoveryFrame {
    const t = f.tipc as DiscoveryFrame;
    assert.equal(t.kind, 'discovery');
    return t;
}

test('a synthetic discovery frame decodes field by field', () => {
    assert.equal(EXAMPLE_TIPC.length, 76);
    const f = decodeEthernet(EXAMPLE_ETH);
    assert.deepEqual(f.encapsulation, { link: 'ethernet', dstMac: 'ff:ff:ff:ff:ff:ff', srcMac: '02:00:00:00:00:01' });
    const d = discovery(f);
    assert.equal(d.version, 2);
    assert.equal(d.user, 13);
    assert.equal(d.hsize, 60);
    assert.equal(d.size, 76);
    assert.equal(d.nonSequenced, true);
    assert.equal(d.format, 'modern');
    assert.equal(d.type, 'REQ');
    assert.equal(d.typeCode, 0);
    assert.equal(d.capabilities, 0xfff);
    // all twelve capability bits the kernel sets, named in bit order
    assert.equal(d.capabilityNames.length, 12);
    assert.equal(d.capabilityNames[0], 'SYN_BIT');
    assert.equal(d.capabilityNames[5], 'NODE_ID128');
    assert.equal(d.capabilityNames[11], 'NAMED_BCAST');
    assert.equal(d.signature, 0xabcd);
    assert.equal(d.destDomain, 0);
    assert.equal(d.prevNode, 0x02010000);
    assert.equal(d.netId, 4711);
    assert.deepEqual(d.media, { type: 1, name: 'eth', mac: '02:00:00:00:00:01' });
    assert.equal(d.hash, 0x1234abcd);
    assert.equal(d.hashHex, '1234abcd');
    assert.equal(d.word14, 0);
    assert.equal(d.nodeId, '02000000000100000000000000000000');
    assert.equal(d.nodeIdSource, 'frame');
    assert.equal(d.identity, '020000000001');
    assert.equal(d.initNetHint, true);
    assert.deepEqual(d.warnings, []);
});

test('padding after the message is ignored (size comes from w0, not the frame length)', () => {
    const d = discovery(decodeEthernet(Buffer.concat([EXAMPLE_ETH, Buffer.alloc(30)])));
    assert.equal(d.size, 76);
});

test('message types, word 14 and a non-init_net hash', () => {
    const m = Buffer.from(EXAMPLE_TIPC);
    m.writeUInt32BE(0x67ffabcd, 4); // type 3 TRIAL_FAIL
    m.writeUInt32BE(0xdeadbeef, 52);
    m.writeUInt32BE(0x01001234, 56);
    const d = discovery(decodeRawTipc(m));
    assert.equal(d.type, 'TRIAL_FAIL');
    assert.equal(d.hashHex, 'deadbeef');
    assert.equal(d.word14, 0x01001234);
    assert.equal(d.initNetHint, false);
    m.writeUInt32BE(0xa7ffabcd, 4); // type 5: not a discovery type
    assert.equal(discovery(decodeRawTipc(m)).type, 'UNKNOWN');
});

test('VLAN tags (802.1Q inside 802.1ad) are skipped and reported', () => {
    const f = decodeEthernet(Buffer.concat([h('ffffffffffff 020000000001 88a8 0064 8100 0007 88ca'), EXAMPLE_TIPC]));
    assert.deepEqual(f.encapsulation.vlans, [100, 7]);
    assert.equal(discovery(f).hash, 0x1234abcd);
});

test('Linux cooked captures: SLL and SLL2 carry the direction', () => {
    const sll = Buffer.concat([h('0004 0001 0006 020000000001 0000 88ca'), EXAMPLE_TIPC]);
    const a = decodeSll(sll);
    assert.equal(a.encapsulation.direction, 'outgoing');
    assert.equal(a.encapsulation.srcMac, '02:00:00:00:00:01');
    assert.equal(discovery(a).netId, 4711);
    const sll2 = Buffer.concat([h('88ca 0000 00000003 0001 01 06 020000000001 0000'), EXAMPLE_TIPC]);
    const b = decodeLinkFrame(LinkType.LINUX_SLL2, sll2);
    assert.equal(b.encapsulation.direction, 'broadcast');
    assert.equal(b.encapsulation.ifindex, 3);
    assert.equal(discovery(b).identity, '020000000001');
    assert.equal(decodeSll2(sll2).encapsulation.link, 'sll2');
});

function udpMediaTipc(proto: number, port: number, ip: Buffer): Buffer {
    const m = Buffer.from(EXAMPLE_TIPC);
    m.fill(0, 20, 52);
    m[23] = 3;
    m.writeUInt16BE(proto, 24);
    m.writeUInt16BE(port, 26);
    ip.copy(m, 28);
    return m;
}

test('UDP over IPv4: port 6118, media address proto/port/IP', () => {
    const tipc = udpMediaTipc(0x0800, 6118, h('0a000001'));
    const udp = Buffer.concat([h('17e6 17e6'), Buffer.from([0, 8 + tipc.length, 0, 0]), tipc]);
    const ip = Buffer.concat([
        h('4500'),
        Buffer.from([0, 20 + udp.length]),
        h('0000 4000 4011 0000 0a000001 e4001267'),
        udp,
    ]);
    const f = decodeEthernet(Buffer.concat([h('01005e001267 020000000001 0800'), ip]));
    assert.deepEqual(f.encapsulation.ip, { version: 4, src: '10.0.0.1', dst: '228.0.18.103' });
    assert.deepEqual(f.encapsulation.udp, { srcPort: 6118, dstPort: 6118 });
    assert.deepEqual(discovery(f).media, { type: 3, name: 'udp', udp: { proto: 0x0800, port: 6118, ip: '10.0.0.1' } });
    // the same packet as DLT_RAW
    assert.equal(discovery(decodeLinkFrame(LinkType.RAW, ip)).media.udp?.ip, '10.0.0.1');
    // another port is not TIPC unless asked for
    const other = Buffer.from(ip);
    other.writeUInt16BE(7000, 20);
    other.writeUInt16BE(7000, 22);
    assert.throws(() => decodeIp(other), DecodeError);
    assert.equal(discovery(decodeIp(other, { udpPorts: [7000] })).netId, 4711);
});

test('UDP over IPv6 with a hop-by-hop header: the full IPv6 media address', () => {
    const src = h('fe800000000000000000000000000001');
    const tipc = udpMediaTipc(0x86dd, 6118, src);
    const udp = Buffer.concat([h('17e6 17e6'), Buffer.from([0, 8 + tipc.length, 0, 0]), tipc]);
    const hbh = h('11 00 0000 00000000'); // next = UDP, len 0 (8 bytes)
    const payload = Buffer.concat([hbh, udp]);
    const ip6 = Buffer.concat([
        h('60000000'),
        Buffer.from([0, payload.length]),
        h('00 40'),
        src,
        h('ff020000000000000000000000004711'),
        payload,
    ]);
    const f = decodeLinkFrame(LinkType.EN10MB, Buffer.concat([h('333300004711 020000000001 86dd'), ip6]));
    assert.deepEqual(f.encapsulation.ip, { version: 6, src: 'fe80::1', dst: 'ff02::4711' });
    assert.deepEqual(discovery(f).media.udp, { proto: 0x86dd, port: 6118, ip: 'fe80::1' });
});

test('older formats: 60-byte (no node id, hash 0) and 40-byte', () => {
    const m60 = Buffer.from(EXAMPLE_TIPC.subarray(0, 60));
    m60.writeUInt32BE(0x5bf0003c, 0);
    m60.writeUInt32BE(0x0000abcd, 4); // no capabilities
    m60.writeUInt32BE(0, 52);
    const d60 = discovery(decodeRawTipc(m60));
    assert.equal(d60.format, 'legacy-60');
    assert.equal(d60.hash, 0);
    assert.equal(d60.nodeIdSource, 'address');
    assert.equal(d60.identity, '2010000'); // sprintf("%x", w3)
    const m40 = Buffer.from(EXAMPLE_TIPC.subarray(0, 40));
    m40.writeUInt32BE(0x5b500028, 0);
    m40.writeUInt32BE(0x0000abcd, 4);
    const d40 = discovery(decodeRawTipc(m40));
    assert.equal(d40.format, 'legacy-40');
    assert.equal(d40.hash, 0);
    assert.equal(d40.media.mac, '02:00:00:00:00:01');
    // a 76-byte frame from a 4.17..5.4.228 kernel: node id, hash 0
    const old = Buffer.from(EXAMPLE_TIPC);
    old.writeUInt32BE(0, 52);
    const d = discovery(decodeRawTipc(old));
    assert.equal(d.hash, 0);
    assert.equal(d.initNetHint, false);
});

test('encrypted frames (version 7) are recognised, with the clear-text node id of LINK_CONFIG', () => {
    const e = Buffer.alloc(28 + 76 + 16);
    e.writeUInt32BE(((7 << 29) | (13 << 25) | (1 << 24) | (0b01_10_1_0_00 << 16)) >>> 0, 0);
    e.writeBigUInt64BE(42n, 4);
    Buffer.from('node-2').copy(e, 12);
    const t = decodeEthernet(Buffer.concat([ETH_HEADER, e])).tipc as EncryptedFrame;
    assert.equal(t.kind, 'encrypted');
    assert.equal(t.user, 13);
    assert.equal(t.userName, 'LINK_CONFIG');
    assert.equal(t.destined, true);
    assert.equal(t.txKey, 1);
    assert.equal(t.rxKeyActive, 2);
    assert.equal(t.seqno, '42');
    assert.equal(t.identity, 'node-2');
    assert.equal(t.nodeId, Buffer.from('node-2').toString('hex') + '00'.repeat(10));
    const data = Buffer.alloc(40);
    data.writeUInt32BE(((7 << 29) | (0 << 25)) >>> 0, 0);
    data.writeUInt32BE(0x01001001, 12);
    assert.equal((decodeTipc(data) as EncryptedFrame).nodeAddress, 0x01001001);
});

test('other TIPC users decode as messages; malformed discovery is a DecodeError', () => {
    const data = Buffer.alloc(40);
    data.writeUInt32BE(((2 << 29) | (0 << 25) | (10 << 21) | 40) >>> 0, 0);
    data.writeUInt32BE(0x01001001, 24);
    const t = decodeTipc(data);
    assert.equal(t.kind, 'message');
    assert.equal(t.kind === 'message' && t.originNode, 0x01001001);
    const bad = Buffer.from(EXAMPLE_TIPC);
    bad[23] = 9;
    assert.throws(
        () => decodeTipc(bad),
        (e: unknown) => e instanceof DecodeError && /media type 9/.test(e.message),
    );
    assert.throws(
        () => decodeTipc(EXAMPLE_TIPC.subarray(0, 50)),
        (e: unknown) => e instanceof DecodeError && /truncated/.test(e.message),
    );
    assert.throws(() => decodeEthernet(h('ffffffffffff 020000000001 0806 0000')), /neither TIPC/);
    assert.throws(() => decodeLinkFrame(147, EXAMPLE_TIPC), /unsupported link type 147/);
});

test('net id outside 1..9999 is a soft warning, not an error', () => {
    const m = Buffer.from(EXAMPLE_TIPC);
    m.writeUInt32BE(0, 16);
    assert.deepEqual(discovery(decodeRawTipc(m)).warnings, ['net id 0 outside 1..9999']);
});

// xorshift32: a reproducible fuzz run
function rng(seed: number): () => number {
    let x = seed >>> 0 || 1;
    return () => {
        x ^= x << 13;
        x >>>= 0;
        x ^= x >>> 17;
        x ^= x << 5;
        x >>>= 0;
        return x;
    };
}

test('fuzz: 12,000 random and mutated frames never throw anything but DecodeError', (t) => {
    const next = rng(0xc0ffee);
    const seeds = [EXAMPLE_ETH, Buffer.concat([h('ffffffffffff 020000000001 8100 0064 88ca'), EXAMPLE_TIPC])];
    const linkTypes = [LinkType.EN10MB, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.RAW, 0, 12];
    let decoded = 0;
    let rejected = 0;
    for (let i = 0; i < 12_000; i++) {
        let frame: Buffer;
        if (i % 3 === 0) {
            frame = Buffer.alloc(next() % 140);
            for (let j = 0; j < frame.length; j++) frame[j] = next() & 0xff;
        } else {
            frame = Buffer.from(seeds[i % seeds.length]);
            const flips = 1 + (next() % 6);
            for (let k = 0; k < flips; k++) frame[next() % frame.length] = next() & 0xff;
            if (next() % 4 === 0) frame = frame.subarray(0, next() % frame.length);
            // keep w0 plausible half the time so the deeper paths get exercised
            if (next() % 2 === 0 && frame.length >= 18)
                frame.writeUInt32BE([0x5bf0004c, 0x5bf0003c, 0x5b500028, 0xfa000000][next() % 4], 14);
        }
        const linkType = i % 5 === 0 ? linkTypes[next() % linkTypes.length] : LinkType.EN10MB;
        try {
            decodeLinkFrame(linkType, frame);
            decoded++;
        } catch (e) {
            assert.ok(e instanceof DecodeError, `frame ${i} (${frame.toString('hex')}) threw ${String(e)}`);
            rejected++;
        }
    }
    assert.ok(decoded > 500, `only ${decoded} frames decoded: the fuzz run is not reaching the decoder`);
    assert.ok(rejected > 500);
    reportCount(t, 'fuzz cases', decoded + rejected);
});
