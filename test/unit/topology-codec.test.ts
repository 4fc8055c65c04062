// The topology service's wire format (src/tipc/topology.ts), the subscriptions
// `tipcx events` sends (src/tipc/events.ts), the service range parser and the
// event renderers. The events below were read from a lab kernel (Linux 6.1,
// User-Mode Linux) with python3's AF_TIPC sockets, field by field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    EVENT_SIZE,
    SUBSCR_SIZE,
    TIPC_LINK_STATE,
    TIPC_NODE_STATE,
    TIPC_PUBLISHED,
    TIPC_SUBSCR_TIMEOUT,
    TIPC_SUB_CANCEL,
    TIPC_SUB_PORTS,
    TIPC_SUB_SERVICE,
    TIPC_TOP_SRV,
    TIPC_WAIT_FOREVER,
    TIPC_WITHDRAWN,
    TopologyCodecError,
    decodeSubscription,
    decodeTopologyMessage,
    encodeSubscription,
    encodeTopologyMessage,
    linkBearerId,
} from '../../src/tipc/topology.js';
import { subscriptionOf, subscriptionsFor } from '../../src/tipc/events.js';
import { serviceRange } from '../../src/cli/parsers.js';
import { UsageError } from '../../src/errors.js';
import { eventLine, eventRecord } from '../../src/render/events.js';
import type { TopologyEvent } from '../../src/tipc/events.js';

/** struct tipc_event as the lab kernel sent it: 10 big-endian words, then the 8-byte handle. */
function wire(words: number[], handle: string): Buffer {
    const b = Buffer.alloc(EVENT_SIZE);
    words.forEach((w, i) => b.writeUInt32BE(w >>> 0, i * 4));
    b.write(handle, 40, 'latin1');
    return b;
}

test('a link-state event from the kernel: the peer in found_lower, our address in port.node, bearer ids in port.ref', () => {
    const m = decodeTopologyMessage(
        wire([1, 100686959, 100686959, 0, 0x596f7374, 2, 0, 0xffffffff, 0xffffffff, 1], 'link'),
    );
    assert.equal(m.event, TIPC_PUBLISHED);
    assert.equal(m.foundLower, 0x06005c6f);
    assert.equal(m.foundUpper, m.foundLower);
    assert.equal(m.node, 0x596f7374);
    assert.equal(linkBearerId(m.port), 0);
    assert.deepEqual(m.subscription.range, { type: TIPC_LINK_STATE, lower: 0, upper: 0xffffffff });
    assert.equal(m.subscription.timeoutMs, TIPC_WAIT_FOREVER);
    assert.equal(m.subscription.filter, TIPC_SUB_PORTS);
    assert.equal(Buffer.from(m.subscription.handle).toString('latin1', 0, 4), 'link');
});

test('a binding withdrawn: range, port and node; the timeout event of a zero-timeout subscription', () => {
    const w = decodeTopologyMessage(wire([2, 5, 7, 1319503379, 0x596f7374, 1000, 0, 100, 0xffffffff, 1], 'svc'));
    assert.deepEqual([w.event, w.foundLower, w.foundUpper, w.port], [TIPC_WITHDRAWN, 5, 7, 1319503379]);
    assert.deepEqual(w.subscription.range, { type: 1000, lower: 0, upper: 100 });
    const t = decodeTopologyMessage(wire([3, 16777216, 16777216, 0, 0, 1, 1, 1, 0, 2], 'mark'));
    assert.equal(t.event, TIPC_SUBSCR_TIMEOUT);
    assert.equal(t.subscription.filter, TIPC_SUB_SERVICE);
});

test('malformed events are refused: wrong length, unknown event code', () => {
    assert.throws(() => decodeTopologyMessage(Buffer.alloc(47)), TopologyCodecError);
    assert.throws(() => decodeTopologyMessage(Buffer.alloc(49)), TopologyCodecError);
    assert.throws(() => decodeTopologyMessage(wire([4, 0, 0, 0, 0, 0, 0, 0, 0, 1], '')), /unknown topology event 4/);
    assert.throws(() => decodeTopologyMessage(wire([0, 0, 0, 0, 0, 0, 0, 0, 0, 1], '')), /unknown topology event 0/);
});

test('subscriptions go out in network order, which the server detects on any host by the filter word', () => {
    const b = encodeSubscription({
        range: { type: 0x01020304, lower: 5, upper: 0xfffffffe },
        timeoutMs: TIPC_WAIT_FOREVER,
        filter: TIPC_SUB_PORTS,
        handle: Buffer.from('abcdefgh'),
    });
    assert.equal(b.length, SUBSCR_SIZE);
    assert.deepEqual([...b.subarray(0, 4)], [1, 2, 3, 4]);
    // net/tipc/subscr.h: the kernel swaps when the filter, read in its own order, has none of the mask bits
    const mask = TIPC_SUB_PORTS | TIPC_SUB_SERVICE | TIPC_SUB_CANCEL;
    assert.equal(b.readUInt32LE(16) & mask, 0, 'read little-endian, the filter has no mask bit: swapped');
    assert.notEqual(b.readUInt32BE(16) & mask, 0, 'read big-endian, it has: taken as is');
    assert.deepEqual(decodeSubscription(b), {
        range: { type: 0x01020304, lower: 5, upper: 0xfffffffe },
        timeoutMs: TIPC_WAIT_FOREVER,
        filter: TIPC_SUB_PORTS,
        handle: Uint8Array.from(Buffer.from('abcdefgh')),
    });
    assert.throws(
        () =>
            encodeSubscription({
                range: { type: 1, lower: 0, upper: 0 },
                timeoutMs: 0,
                filter: 1,
                handle: Buffer.alloc(9),
            }),
        TopologyCodecError,
    );
});

test('events round-trip through encode and decode for random fields', () => {
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 500; i++) {
        const m = {
            event: 1 + (next() % 3),
            foundLower: next(),
            foundUpper: next(),
            port: next(),
            node: next(),
            subscription: {
                range: { type: next(), lower: next(), upper: next() },
                timeoutMs: next(),
                filter: next(),
                handle: Uint8Array.from(Buffer.alloc(8, next() & 0xff)),
            },
        };
        assert.deepEqual(decodeTopologyMessage(encodeTopologyMessage(m)), m);
    }
});

test('what tipcx events subscribes to: node, link, each range, then the zero-timeout snapshot marker', () => {
    const subs = subscriptionsFor({ node: true, link: true, services: [{ type: 1000, lower: 2, upper: 9 }] }).map(
        decodeSubscription,
    );
    assert.deepEqual(
        subs.map((s) => [s.range.type, s.range.lower, s.range.upper, s.timeoutMs, s.filter]),
        [
            [TIPC_NODE_STATE, 0, 0xffffffff, TIPC_WAIT_FOREVER, TIPC_SUB_PORTS],
            [TIPC_LINK_STATE, 0, 0xffffffff, TIPC_WAIT_FOREVER, TIPC_SUB_PORTS],
            [1000, 2, 9, TIPC_WAIT_FOREVER, TIPC_SUB_PORTS],
            [TIPC_TOP_SRV, TIPC_TOP_SRV, TIPC_TOP_SRV, 0, TIPC_SUB_SERVICE],
        ],
    );
    const answer = (s: (typeof subs)[number]) =>
        subscriptionOf({ event: 1, foundLower: 0, foundUpper: 0, port: 0, node: 0, subscription: s });
    assert.deepEqual(subs.map(answer), ['node', 'link', 'service', 'marker']);
    assert.equal(subscriptionsFor({ node: false, link: false, services: [] }).length, 1, 'only the marker');
});

test('service ranges: TYPE, TYPE:INSTANCE, TYPE:LOWER:UPPER; malformed, reversed and out-of-u32 ranges are usage errors', () => {
    assert.deepEqual(serviceRange('1000', 'service'), { type: 1000, lower: 0, upper: 0xffffffff });
    assert.deepEqual(serviceRange('1000:7', 'service'), { type: 1000, lower: 7, upper: 7 });
    assert.deepEqual(serviceRange('0:0:4294967295', 'service'), { type: 0, lower: 0, upper: 0xffffffff });
    for (const bad of [
        '',
        ':',
        '1000:',
        ':5',
        '1:2:3:4',
        'x',
        '-1',
        '1e3',
        '0x10',
        '4294967296',
        '1:4294967296',
        ' 1',
        '1.5',
    ]) {
        assert.throws(
            () => serviceRange(bad, 'service'),
            (e: Error) => e instanceof UsageError && e.message.includes(`"${bad}"`),
            bad,
        );
    }
    assert.throws(() => serviceRange('1000:9:3', 'service'), /LOWER 9 is greater than UPPER 3/);
});

const at = '2026-12-02T10:00:00.000Z';
const events: TopologyEvent[] = [
    {
        kind: 'node',
        time: at,
        netns: 'ns1',
        origin: 'state',
        up: true,
        address: 0x06005c6f,
        identity: 'remote1',
        self: false,
        verdict: 'remote',
        verdictReason: 'r',
    },
    {
        kind: 'link',
        time: at,
        netns: null,
        origin: 'new',
        up: false,
        name: 'a:eth0-b:eth0',
        peer: 1,
        peerIdentity: 'b',
        bearerId: 0,
    },
    {
        kind: 'service',
        time: at,
        netns: 'ns2',
        origin: 'new',
        up: true,
        type: 1000,
        lower: 5,
        upper: 7,
        scope: 'cluster',
        port: 42,
        node: 2,
        nodeIdentity: 'ns2',
    },
    { kind: 'netns', time: at, netns: 'ns3', change: 'gone' },
    { kind: 'topology', time: at, netns: 'ns4', change: 'refused', message: 'limit' },
];

test('one text line per event: [time] namespace origin kind event, then what it concerns', () => {
    for (const e of events) {
        const line = eventLine(e);
        assert.ok(line.endsWith('\n') && !line.slice(0, -1).includes('\n'), line);
        assert.ok(line.startsWith(`[${at}] ${e.netns ?? '(current)'} `), line);
    }
    assert.match(eventLine(events[0]), / state node up remote1 06005c6f verdict remote\n$/);
    assert.match(eventLine(events[1]), / new link down a:eth0-b:eth0\n$/);
    assert.match(eventLine(events[2]), / new service published 1000:5:7 cluster port 42 node ns2\n$/);
    assert.match(
        eventLine({ ...(events[1] as Extract<TopologyEvent, { kind: 'link' }>), name: null }),
        /link down to b on bearer 0\n$/,
    );
});

test('NDJSON records: kind, event word, addresses as node list prints them', () => {
    const records = events.map(eventRecord);
    assert.deepEqual(
        records.map((r) => [r.kind, r.event, r.netns]),
        [
            ['node', 'up', 'ns1'],
            ['link', 'down', null],
            ['service', 'published', 'ns2'],
            ['netns', 'gone', 'ns3'],
            ['topology', 'refused', 'ns4'],
        ],
    );
    assert.equal(records[0].address, '06005c6f');
    assert.equal(records[2].node, '00000002');
    for (const r of records) assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
});
