// The host benchmark's replay fixtures (bench/replay/fixture.ts): scaled from
// the real capture, they must still be what the kernel would send, whole
// netlink messages in datagrams no larger than the kernel's, each entry a
// different one, or the benchmark would time a different workload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATAGRAM_BYTES, writeReplayFixture } from '../../bench/replay/fixture.js';
import type { ReplayIndex } from '../../bench/replay/format.cjs';
import { decodeMessage, type TipcMessage } from '../../src/netlink/codec.js';
import { TipcCmd } from '../../src/netlink/schema.js';
import { fixture } from './kernel-fixture.js';

function decoded(dir: string, index: ReplayIndex, cmd: number): TipcMessage[] {
    const all = readFileSync(join(dir, index.dumps[cmd]));
    const out: TipcMessage[] = [];
    for (let off = 0; off < all.length;) {
        const len = all.readUInt32LE(off);
        assert.ok(len <= DATAGRAM_BYTES, `datagram of ${len} bytes`);
        const datagram = all.subarray(off + 4, off + 4 + len);
        for (let m = 0; m < datagram.length; m += (datagram.readUInt32LE(m) + 3) & ~3) {
            assert.equal(datagram.readUInt16LE(m + 4), index.familyId);
            assert.equal(datagram[m + 16], cmd);
            out.push(decodeMessage(datagram.subarray(m + 20, m + datagram.readUInt32LE(m))));
        }
        off += 4 + len;
    }
    return out;
}

test('scaled replay: 1,000 distinct links and 10,000 distinct publications from the real capture', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tipcx-replay-'));
    try {
        const made = writeReplayFixture(dir, { links: 1000, publications: 10000 });
        const index = JSON.parse(readFileSync(made.index, 'utf8')) as ReplayIndex;
        const links = decoded(dir, index, TipcCmd.LINK_GET).map((m) => m.link!);
        assert.equal(links.length, 1000);
        assert.equal(new Set(links.map((l) => l.name)).size, 1000);
        assert.equal(links.filter((l) => l.broadcast).length, 1);
        // the copies keep the recorded counters
        const real = decodeMessage(Buffer.from(fixture.dumps.LINK_GET[1], 'hex')).link!;
        assert.deepEqual(links[1].stats, real.stats);
        const publications = decoded(dir, index, TipcCmd.NAME_TABLE_GET).map((m) => m.nameTable!.publ!);
        assert.equal(publications.length, 10000);
        assert.equal(new Set(publications.map((p) => `${p.type}/${p.lower}/${p.key}`)).size, 10000);
        // SIOCGETNODEID answers for every node the name table names, the own one included
        for (const p of publications) assert.ok(index.nodeIds[p.node!], `no identity for node ${p.node}`);
        assert.equal(decoded(dir, index, TipcCmd.NET_GET).length, 1);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});
