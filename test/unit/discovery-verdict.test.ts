// decideVerdict, the pure part of `tipcx crossover`, and the proof book behind it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRawTipc, type DiscoveryFrame } from '../../src/discovery/frame.js';
import { ProofBook } from '../../src/discovery/proofs.js';
import { decideVerdict, probeWarning, type LocalNamespace, type VerdictInput } from '../../src/tipc/crossover.js';

const ID2 = Buffer.from('ns2').toString('hex').padEnd(32, '0');
const peer = { identity: 'ns2', hash: '0000abcd', address: 0xabcd, up: true, nodeId: ID2 };
const y: LocalNamespace = { netns: 'ns2', netId: 4711, identity: 'ns2', nodeId: ID2 };
const input = (o: Partial<VerdictInput>): VerdictInput => ({
    supported: true,
    netns: 'ns1',
    netId: 4711,
    peer,
    local: y,
    received: [],
    localOwn: undefined,
    ...o,
});
const got = (hash: number, ms = 1000) => ({ hash, firstMs: ms, lastMs: ms });

test('verdicts from the evidence', () => {
    assert.equal(decideVerdict(input({ supported: false })).verdict, 'unsupported');
    assert.equal(decideVerdict(input({ peer: { ...peer, up: false } })).verdict, 'down');
    assert.equal(decideVerdict(input({ local: undefined })).verdict, 'remote');
    assert.equal(decideVerdict(input({})).verdict, 'local-unproven');
    assert.equal(decideVerdict(input({ received: [got(7)] })).verdict, 'local-unproven');
    assert.equal(decideVerdict(input({ localOwn: { hash: 7, nodeId: ID2, lastMs: 1 } })).verdict, 'local-unproven');
    const ok = decideVerdict(input({ received: [got(7, 5000)], localOwn: { hash: 7, nodeId: ID2, lastMs: 1 } }));
    assert.equal(ok.verdict, 'crossover');
    assert.equal(ok.lastProven, new Date(5000).toISOString());
    assert.deepEqual([ok.peerHashes, ok.localHash, ok.localNetns], [['00000007'], '00000007', 'ns2']);
});

test('a wrong hash is a mismatch whichever frame came first, never crossover', () => {
    const own = { hash: 7, nodeId: ID2, lastMs: 1 };
    for (const received of [[got(7), got(8)], [got(8), got(7)], [got(8)]]) {
        const row = decideVerdict(input({ received, localOwn: own }));
        assert.equal(row.verdict, 'mismatch');
        assert.match(row.reason, /00000008.*possible spoof/);
    }
    // two different hashes and no own frame yet: still not crossover
    assert.equal(decideVerdict(input({ received: [got(7), got(8)] })).verdict, 'mismatch');
});

test('probe disagreement becomes a warning', () => {
    const row = decideVerdict(input({ received: [got(7)], localOwn: { hash: 7, nodeId: ID2, lastMs: 1 } }));
    row.probe = { link: 'l', sent: 200, txBefore: 2, txAfter: 300, txDelta: 298, bypassed: false };
    assert.match(probeWarning(row) ?? '', /moved/);
    row.probe.bypassed = true;
    assert.equal(probeWarning(row), undefined);
});

function frame(hash: number, nodeIdText: string): DiscoveryFrame {
    const m = Buffer.from(
        '5bf0004c07ffabcd0000000002010000000012670000000102000000000100000000000000000000000000000000000000000000' +
            '0'.repeat(8) +
            '00000000' +
            '0'.repeat(32),
        'hex',
    );
    m.writeUInt32BE(hash, 52);
    Buffer.from(nodeIdText).copy(m, 60);
    const d = decodeRawTipc(m).tipc;
    assert.equal(d.kind, 'discovery');
    return d;
}

test('the proof book: own hash only from own outgoing frames; senders matched to their namespace', () => {
    const book = new ProofBook(
        new Map([
            ['ns1', Buffer.from('ns1').toString('hex').padEnd(32, '0')],
            ['ns2', ID2],
            ['root', ''],
        ]),
    );
    // a bridge port in root shows ns2's frame as outgoing: not root's own
    assert.equal(book.add({ netns: 'root', direction: 'outgoing', timeMs: 1, frame: frame(7, 'ns2') }), null);
    assert.equal(book.ownHash('root'), undefined);
    const first = book.add({ netns: 'ns1', direction: 'broadcast', timeMs: 2, frame: frame(7, 'ns2') });
    assert.equal(first?.kind, 'new');
    assert.equal(first?.proof.sentBy, null);
    const own = book.add({ netns: 'ns2', direction: 'outgoing', timeMs: 3, frame: frame(7, 'ns2') });
    assert.equal(own?.kind, 'updated');
    assert.equal(own?.proof.sentBy, 'ns2');
    assert.deepEqual(book.ownHash('ns2')?.hash, 7);
    assert.deepEqual(
        book.receivedFrom('ns1', ID2, 4711).map((r) => r.hash),
        [7],
    );
    book.add({ netns: 'ns1', direction: 'broadcast', timeMs: 4, frame: frame(8, 'ns2') });
    assert.deepEqual(
        book.receivedFrom('ns1', ID2, 4711).map((r) => r.hash),
        [7, 8],
    );
    assert.deepEqual(
        book.proofs().map((p) => [p.identity, p.hash, p.sentBy]),
        [
            ['ns2', '00000007', 'ns2'],
            ['ns2', '00000008', null],
        ],
    );
});
