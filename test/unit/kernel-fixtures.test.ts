// Dumps recorded from the real kernel in the lab VM (test/lab/capture-fixtures.ts)
// decode to exactly what iproute2's tipc printed for the same state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeText } from '../../src/cli/all-netns.js';
import { commandResult } from '../../src/cli/registry.js';
import { nodeIdFromWords } from '../../src/netlink/identity.js';
import { bearerListText } from '../../src/render/bearer.js';
import { formatJson } from '../../src/render/json.js';
import { linkListText } from '../../src/render/link.js';
import {
    clusterIdRecords,
    clusterIdText,
    nodeAddressRecords,
    nodeAddressText,
    nodeIdentityRecords,
    nodeIdentityText,
    nodeListText,
} from '../../src/render/node.js';
import { bearersFrom } from '../../src/tipc/bearer.js';
import { linksFrom } from '../../src/tipc/link.js';
import { ownNetFrom, peerNodesFrom } from '../../src/tipc/node.js';
import { fixture, messages, printed } from './kernel-fixture.js';

test('NODE_GET + SIOCGETNODEID -> node list, byte for byte', () => {
    const nodes = peerNodesFrom(messages('NODE_GET'), (addr) => {
        const hex = fixture.nodeIds[addr];
        return hex ? Buffer.from(hex, 'hex') : null;
    });
    assert.equal(nodes.length, 2);
    assert.equal(nodeListText(nodes), printed('node list'));
});

test('NET_GET -> node get identity and node get netid', () => {
    const net = ownNetFrom(messages('NET_GET'));
    assert.equal(nodeIdentityText(nodeIdentityRecords(net.identity, fixture.ownAddress)), printed('node get identity'));
    // the kernel's default net id: test/lab/capture-fixtures.ts sets none
    assert.equal(printed('node get netid'), '4711\n');
    const netid = clusterIdRecords(net.netid);
    assert.equal(clusterIdText(netid), printed('node get netid'));
    assert.deepEqual(JSON.parse(formatJson(netid, false)), [{ clusterId: 4711 }]);
    assert.deepEqual(
        nodeIdFromWords(...([net.identityBytes.readBigUInt64LE(0), net.identityBytes.readBigUInt64LE(8)] as const)),
        net.identityBytes,
    );
});

test('SIOCGETNODEID own address -> node get address', () => {
    const address = nodeAddressRecords(fixture.ownAddress);
    assert.equal(printed('node get address'), '66783100\n');
    assert.equal(nodeAddressText(address), printed('node get address'));
    assert.deepEqual(JSON.parse(formatJson(address, false)), [{ address: 0x66783100, hash: '66783100' }]);
});

test('--all-netns node get: the header once, then one row per namespace (renderers given no records print only the header)', () => {
    const net = ownNetFrom(messages('NET_GET'));
    const twice = <R extends object>(records: R[], text: (rs: readonly R[]) => string) =>
        mergeText([
            { label: 'left', result: commandResult(records, text) },
            { label: 'right', result: commandResult(records, text) },
        ]);
    assert.equal(nodeIdentityText([]), 'Node Identity                    Hash\n');
    assert.equal(
        twice(nodeIdentityRecords(net.identity, fixture.ownAddress), nodeIdentityText),
        [
            'Namespace  Node Identity                    Hash',
            'left       fx1                              66783100',
            'right      fx1                              66783100',
            '',
        ].join('\n'),
    );
    assert.equal(twice(nodeAddressRecords(fixture.ownAddress), nodeAddressText), 'left   66783100\nright  66783100\n');
    assert.equal(twice(clusterIdRecords(net.netid), clusterIdText), 'left   4711\nright  4711\n');
});

test('BEARER_GET -> bearer list', () => {
    const bearers = bearersFrom(messages('BEARER_GET'));
    // the fixture's namespace has one bearer, on its veth (test/integration/lab.ts makeCluster)
    assert.deepEqual(
        bearers.map((b) => b.name),
        ['eth:eth0'],
    );
    assert.equal(bearerListText(bearers), printed('bearer list'));
});

test('LINK_GET -> link list and the -j link list object', () => {
    const links = linksFrom(messages('LINK_GET'));
    assert.equal(linkListText(links), printed('link list'));
    const reference = JSON.parse(printed('-j link list')) as Record<string, string>[];
    assert.deepEqual(Object.fromEntries(links.map((l) => [l.name, l.up ? 'up' : 'down'])), reference[0]);
});

test('LINK_GET unicast records carry the MTU, properties and 33 statistics the kernel sent', () => {
    const unicast = linksFrom(messages('LINK_GET')).filter((l) => !l.broadcast);
    assert.equal(unicast.length, 2);
    for (const l of unicast) {
        assert.equal(l.mtu, 1500);
        assert.deepEqual({ prio: l.prop?.prio, tol: l.prop?.tol, win: l.prop?.win }, { prio: 10, tol: 1500, win: 50 });
        assert.equal(Object.keys(l.stats ?? {}).length, 33);
        assert.ok(l.active);
    }
});
