// --json=iproute2 against iproute2's `tipc -j` on the same kernel state, for
// every command iproute2 prints JSON for (link list, link get, link
// statistics show, link monitor, nametable show): the same bytes, compact and
// with -p. Where iproute2 has no JSON, its -j prints text, and so does tipcx.
// Namespaces and the bridge are prefixed "pjs".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertInLab, makeCluster, tipc, tipcOk, tipcx, waitFor, type Cluster } from './lab.js';
import { sameJsonAsTipc, statisticsParity } from './parity.js';

let cluster: Cluster;
const LINK = 'pjs1:eth0-pjs2:eth0';

before(async () => {
    assertInLab();
    cluster = await makeCluster(3, 'pjs');
});
after(() => cluster?.destroy());

test('link list, link get, nametable show: the bytes tipc -j prints, compact and pretty', async () => {
    const list = await sameJsonAsTipc(['link', 'list'], 'pjs1');
    assert.deepEqual(list, [{ 'broadcast-link': 'up', 'pjs1:eth0-pjs2:eth0': 'up', 'pjs1:eth0-pjs3:eth0': 'up' }]);
    await sameJsonAsTipc(['link', 'list'], 'pjs1', true);
    for (const property of ['priority', 'tolerance', 'window']) {
        const [record] = (await sameJsonAsTipc(['link', 'get', property, 'link', LINK], 'pjs1')) as Record<
            string,
            number
        >[];
        assert.equal(record[property], Number(tipcOk(['link', 'get', property, 'link', LINK], 'pjs1')));
        await sameJsonAsTipc(['link', 'get', property, 'link', LINK], 'pjs1', true);
    }
    const table = (await sameJsonAsTipc(['nametable', 'show'], 'pjs1')) as { node: string }[];
    assert.ok(table.length >= 3 && table.some((p) => p.node === 'pjs2'), JSON.stringify(table));
    await sameJsonAsTipc(['nametable', 'show'], 'pjs1', true);
});

test('link get broadcast: every mode, AUTOSELECT as two objects as iproute2 prints it', async () => {
    tipcOk(['link', 'set', 'broadcast', 'REPLICAST'], 'pjs2');
    assert.deepEqual(await sameJsonAsTipc(['link', 'get', 'broadcast'], 'pjs2'), [{ method: 'REPLICAST' }]);
    tipcOk(['link', 'set', 'broadcast', 'AUTOSELECT', 'ratio', '30'], 'pjs2');
    assert.deepEqual(await sameJsonAsTipc(['link', 'get', 'broadcast'], 'pjs2'), [
        { method: 'AUTOSELECT' },
        { ratio: 30 },
    ]);
    await sameJsonAsTipc(['link', 'get', 'broadcast'], 'pjs2', true);
    tipcOk(['link', 'set', 'broadcast', 'BROADCAST'], 'pjs2');
    assert.deepEqual(await sameJsonAsTipc(['link', 'get', 'broadcast'], 'pjs2'), [{ method: 'BROADCAST' }]);
});

test('link statistics show: the bytes of tipc -j, counters within two readings', async () => {
    await statisticsParity([[], ['link', 'all'], ['link', LINK], ['link', 'broadcast']], 'pjs1');
});

test('link monitor summary and list with an active ring; get threshold as valid JSON', async () => {
    for (const ns of cluster.namespaces) tipcOk(['link', 'monitor', 'set', 'threshold', '2'], ns);
    await waitFor('overlapping-ring everywhere', () =>
        cluster.namespaces.every((ns) =>
            tipc(['link', 'monitor', 'summary'], ns).stdout.includes('algorithm overlapping-ring'),
        ),
    );
    const summary = (await sameJsonAsTipc(['link', 'monitor', 'summary'], 'pjs1')) as Record<string, unknown>[];
    assert.deepEqual(
        summary.map((m) => [m.bearer, m.cluster_size, m.algorithm]),
        [['eth:eth0', 3, 'overlapping-ring']],
    );
    await sameJsonAsTipc(['link', 'monitor', 'summary'], 'pjs1', true);
    // the domain records that fill applied_node_status arrive with the ring
    await waitFor('a peer with applied members', () => tipc(['link', 'monitor', 'list'], 'pjs1').stdout.includes('['));
    const list = (await sameJsonAsTipc(['link', 'monitor', 'list'], 'pjs1')) as Record<string, unknown>[];
    const peers = list[0]['eth:eth0'] as Record<string, unknown>[];
    assert.equal(list[0].bearer, 'eth:eth0');
    assert.equal(peers.length, 3);
    assert.ok(
        peers.some((p) => Array.isArray(p.applied_node_status)),
        `a peer with applied_node_status: ${JSON.stringify(peers)}`,
    );
    await sameJsonAsTipc(['link', 'monitor', 'list'], 'pjs1', true);
    await sameJsonAsTipc(['link', 'monitor', 'list', 'media', 'eth', 'device', 'eth0'], 'pjs1');

    // iproute2 prints ["threshold":2], which no JSON parser reads; tipcx prints valid JSON
    const reference = tipc(['-j', 'link', 'monitor', 'get', 'threshold'], 'pjs1');
    assert.equal(reference.code, 0, reference.stderr);
    assert.throws(() => JSON.parse(reference.stdout) as unknown, SyntaxError, reference.stdout);
    const ours = await tipcx(['-n', 'pjs1', '--json=iproute2', 'link', 'monitor', 'get', 'threshold']);
    assert.deepEqual([ours.code, ours.stderr], [0, '']);
    assert.deepEqual(JSON.parse(ours.stdout), [{ threshold: 2 }]);
    assert.equal(ours.stdout, reference.stdout.replace('[', '[{').replace(']', '}]'));
});

test('where tipc -j prints text, so does --json=iproute2; plain -j stays tipcx JSON; --all-netns refused', async () => {
    for (const args of [
        ['node', 'list'],
        ['bearer', 'list'],
    ]) {
        const reference = tipc(['-j', ...args], 'pjs1');
        const ours = await tipcx(['-n', 'pjs1', '--json=iproute2', ...args]);
        assert.equal(reference.code, 0, reference.stderr);
        assert.deepEqual([ours.code, ours.stdout, ours.stderr], [0, reference.stdout, ''], args.join(' '));
        assert.throws(() => JSON.parse(ours.stdout) as unknown, SyntaxError, 'tipc -j prints text here');
    }
    const own = await tipcx(['-n', 'pjs1', '-j', 'link', 'list']);
    assert.deepEqual(JSON.parse(own.stdout), [
        { name: 'broadcast-link', up: true },
        { name: 'pjs1:eth0-pjs2:eth0', up: true },
        { name: 'pjs1:eth0-pjs3:eth0', up: true },
    ]);
    const everywhere = await tipcx(['--all-netns', '--json=iproute2', 'link', 'list']);
    assert.equal(everywhere.code, 2);
    assert.equal(everywhere.stdout, '');
    assert.match(everywhere.stderr, /--json=iproute2 .* does not go with --all-netns/);
    const bad = await tipcx(['--json=yaml', 'link', 'list']);
    assert.deepEqual([bad.code, bad.stdout], [2, '']);
    assert.match(bad.stderr, /invalid value "yaml" for "--json".*iproute2/);
});
