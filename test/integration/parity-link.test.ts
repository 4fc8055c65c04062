// link, bearer and media (except monitor) against iproute2's tipc on the same
// kernel state, on an eth cluster carrying traffic: identical text, equivalent
// JSON, and what set commands changed read back with tipc. Namespaces are
// prefixed "bl". (udp bearers: parity-bearer-udp.test.ts.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { assertInLab, makeCluster, sh, tipc, tipcOk, tipcx, waitFor, type Cluster } from './lab.js';
import { fails, ok, readBack, sameAsTipc, statisticsParity } from './parity.js';

assertInLab();

// Namespaces on one host talk through the kernel's netns crossover, which skips
// the link (and its counters) for named and direct unicast. Group unicast
// (GRP_UCAST) and broadcast-link multicast still take the link and the bearer,
// so that is the traffic used here (the kernel's tipc_lxc_xmit in net/tipc/node.c
// takes no GRP_UCAST messages and never sees broadcast-link sends).
const SERVER = `import socket, struct, threading
def drain(s):
    while True:
        s.recv(70000)
group = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
group.setsockopt(271, 135, struct.pack('4I', 1001, 1, 2, 0))  # SOL_TIPC, TIPC_GROUP_JOIN {type, instance, cluster scope}
mcast = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
mcast.bind((socket.TIPC_ADDR_NAMESEQ, 1000, 1, 10))
threading.Thread(target=drain, args=(mcast,), daemon=True).start()
drain(group)
`;
const CLIENT = `import socket, struct
group = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
group.setsockopt(271, 135, struct.pack('4I', 1001, 2, 2, 0))
sizes = [10, 100, 500, 1000, 1400]
for i in range(200):
    group.sendto(b'u' * sizes[i % len(sizes)], (socket.TIPC_ADDR_NAME, 1001, 1, 0))
mcast = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
for i in range(60):
    mcast.sendto(b'm' * [100, 3000, 20000][i % 3], (socket.TIPC_ADDR_NAMESEQ, 1000, 1, 10))
`;

describe('links carrying traffic on a 3-namespace eth cluster', () => {
    let cluster: Cluster;
    let server = '';
    const link12 = 'bl1:eth0-bl2:eth0';
    before(async () => {
        cluster = await makeCluster(3, 'bl');
        writeFileSync('/tmp/bl-server.py', SERVER);
        writeFileSync('/tmp/bl-client.py', CLIENT);
        server = sh('ip netns exec bl2 python3 /tmp/bl-server.py >/dev/null 2>&1 & echo $!').trim();
        tipcOk(['link', 'set', 'broadcast', 'BROADCAST'], 'bl1');
        await waitFor('services 1000 and 1001 seen from bl1', () => {
            const table = tipc(['nametable', 'show'], 'bl1').stdout;
            return /^1000 /m.test(table) && /^1001 /m.test(table);
        });
        sh('ip netns exec bl1 timeout 120 python3 /tmp/bl-client.py');
    });
    after(() => {
        if (server) sh(`kill ${server} || true`);
        cluster.destroy();
    });

    test('link statistics show [link all|SUBSTRING|NAME|none]: text and JSON as tipc, after traffic', async () => {
        const [plain, all, some] = await statisticsParity(
            [[], ['link', 'all'], ['link', 'bl3'], ['link', link12], ['link', 'nothing-like-this']],
            'bl1',
        );
        const block = plain.split('\n\n').find((b) => b.startsWith(`Link <${link12}>`))!;
        assert.match(block, /TX packets:[1-9]\d\d+ /, 'the group messages went over the link');
        assert.match(
            plain,
            /^Link <broadcast-link>\n {2}Window:\d+ packets\n.*\n {2}TX packets:[1-9]/m,
            'the multicast went over the broadcast link',
        );
        assert.doesNotMatch(plain, /broadcast-link:/, 'receiver links only with "link"');
        assert.match(all, /^Link <broadcast-link:bl2>$/m, 'broadcast receiver links are asked for');
        assert.deepEqual(some.match(/^Link <.*>$/gm)?.sort(), [
            'Link <bl1:eth0-bl3:eth0>',
            'Link <broadcast-link:bl3>',
        ]);
        await statisticsParity([['link', 'broadcast-link']], 'bl2');
    });

    test('link statistics reset link NAME zeroes the counters tipc shows', async () => {
        await ok(['-n', 'bl1', 'link', 'statistics', 'reset', 'link', link12]);
        await ok(['-n', 'bl1', 'l', 'stat', 'r', 'l', 'broadcast-link']);
        const [unicast, broadcast] = readBack(
            [
                ['link', 'statistics', 'show', 'link', link12],
                ['link', 'statistics', 'show', 'link', 'broadcast-link'],
            ],
            'bl1',
        );
        assert.match(unicast, /TX packets:\d+ fragments:0\/0 bundles:0\/0/);
        assert.match(unicast, /TX profile sample:0 /);
        assert.match(broadcast, /^Link <broadcast-link>\n {2}Window:\d+ packets\n {2}RX packets:0 fragments:0\/0/);
        await statisticsParity([['link', link12]], 'bl1');
    });

    test('link get priority|tolerance|window link NAME, text and -j; window of the broadcast link', async () => {
        await sameAsTipc(
            ['priority', 'tolerance', 'window']
                .flatMap((p) => [
                    ['link', 'get', p, 'link', link12],
                    ['-j', 'link', 'get', p, 'link', link12],
                ])
                .concat([['link', 'get', 'window', 'link', 'broadcast-link']]),
            'bl1',
        );
    });

    test('link set priority|tolerance|window, read back with tipc', async () => {
        await ok(['-n', 'bl1', 'link', 'set', 'priority', '20', 'link', link12]);
        await ok(['-n', 'bl1', 'link', 'set', 'window', '100', 'link', link12]);
        await ok(['-n', 'bl1', 'l', 'set', 't', '2500', 'l', link12]); // abbreviations as tipc takes them
        const [priority, tolerance] = readBack(
            [
                ['link', 'get', 'priority', 'link', link12],
                ['link', 'get', 'tolerance', 'link', link12],
            ],
            'bl1',
        );
        assert.deepEqual([priority, tolerance], ['20\n', '2500\n']);
        await sameAsTipc(
            [
                ['link', 'get', 'window', 'link', link12],
                ['link', 'get', 'priority', 'link', link12],
            ],
            'bl1',
        );
    });

    test('link get/set broadcast: every mode, read back with tipc', async () => {
        for (const [args, expected] of [
            [['REPLICAST'], 'REPLICAST\n'],
            [['BROADCAST'], 'BROADCAST\n'],
            [['AUTOSELECT', 'ratio', '25'], 'AUTOSELECT ratio:25\n'],
            [['ratio', '30'], 'AUTOSELECT ratio:30\n'],
        ] as const) {
            await ok(['-n', 'bl1', 'link', 'set', 'broadcast', ...args]);
            const [ours] = await sameAsTipc([['link', 'get', 'broadcast']], 'bl1');
            assert.equal(ours, expected);
        }
        assert.deepEqual(JSON.parse((await tipcx(['-n', 'bl1', '-j', 'link', 'get', 'broadcast'])).stdout), [
            { mode: 'AUTOSELECT', ratio: 30 },
        ]);
        await ok(['-n', 'bl1', 'link', 'set', 'broadcast', 'BROAD']);
        assert.deepEqual(JSON.parse((await tipcx(['-n', 'bl1', '-j', 'link', 'get', 'broadcast'])).stdout), [
            { mode: 'BROADCAST' },
        ]);
        assert.deepEqual(JSON.parse(tipc(['-j', 'link', 'get', 'broadcast'], 'bl1').stdout), [{ method: 'BROADCAST' }]);
    });

    test('bearer get|set priority|tolerance|window on an eth bearer, read back with tipc', async () => {
        const bearer = ['media', 'eth', 'device', 'eth0'];
        const properties = ['priority', 'tolerance', 'window'];
        const outputs = await sameAsTipc(
            properties.map((p) => ['bearer', 'get', p, ...bearer]),
            'bl3',
        );
        for (const [i, p] of properties.entries()) {
            const json = JSON.parse(
                (await tipcx(['-n', 'bl3', '-j', 'bearer', 'get', p, ...bearer])).stdout,
            ) as unknown;
            assert.deepEqual(json, [{ [p]: Number(outputs[i]) }]);
        }
        const values = ['12', '2000', '120'];
        for (const [i, p] of properties.entries()) await ok(['-n', 'bl3', 'bearer', 'set', p, values[i], ...bearer]);
        assert.deepEqual(
            readBack(
                properties.map((p) => ['bearer', 'get', p, ...bearer]),
                'bl3',
            ),
            values.map((v) => `${v}\n`),
        );
    });

    test('media list, media get and set (every media the kernel has, udp with mtu), read back with tipc', async () => {
        // the media this kernel was built with (User-Mode Linux has no InfiniBand, so no ib)
        const media = tipcOk(['media', 'list'], 'bl3').trim().split('\n');
        assert.ok(media.includes('eth') && media.includes('udp'), `tipc media list: ${media.join(' ')}`);
        const [list] = await sameAsTipc(
            [
                ['media', 'list'],
                ['media', 'get', 'priority', 'media', 'eth'],
                ['media', 'get', 'tolerance', 'media', 'eth'],
                ...media.map((m) => ['media', 'get', 'window', 'media', m]),
                ['media', 'get', 'mtu', 'media', 'udp'],
            ],
            'bl3',
        );
        assert.deepEqual(
            JSON.parse((await tipcx(['-n', 'bl3', '-j', 'media', 'list'])).stdout),
            list
                .trim()
                .split('\n')
                .map((name) => ({ name })),
        );
        const sets = [
            ['tolerance', '1800', 'eth'],
            ['priority', '9', 'udp'],
            ['mtu', '1400', 'udp'],
            ['window', '200', 'eth'],
        ] as const;
        for (const [p, v, m] of sets) await ok(['-n', 'bl3', 'media', 'set', p, v, 'media', m]);
        assert.deepEqual(
            readBack(
                sets.map(([p, , m]) => ['media', 'get', p, 'media', m]),
                'bl3',
            ),
            sets.map(([, v]) => `${v}\n`),
        );
        assert.deepEqual(JSON.parse((await tipcx(['-n', 'bl3', '-j', 'media', 'get', 'mtu', 'media', 'udp'])).stdout), [
            { mtu: 1400 },
        ]);
    });

    test('refusals: sentences from the kernel (exit 1), bad values before sending (exit 2), state unchanged', async () => {
        const state = () =>
            readBack(
                [
                    ['link', 'get', 'tolerance', 'link', link12],
                    ['link', 'get', 'broadcast'],
                    ['media', 'get', 'tolerance', 'media', 'eth'],
                ],
                'bl1',
            );
        const before = state();
        await fails(
            ['-n', 'bl1', 'link', 'get', 'priority', 'link', 'no-such-link'],
            1,
            /^no link named "no-such-link"$/m,
        );
        await fails(
            ['-n', 'bl1', 'link', 'set', 'priority', '5', 'link', 'no-such-link'],
            1,
            /^no link named "no-such-link"$/m,
        );
        await fails(
            ['-n', 'bl1', 'link', 'statistics', 'reset', 'link', 'no-such-link'],
            1,
            /^no link named "no-such-link"$/m,
        );
        await fails(
            ['-n', 'bl1', 'link', 'get', 'priority', 'link', 'broadcast-link'],
            1,
            /broadcast link has only a window/,
        );
        await fails(
            ['-n', 'bl1', 'link', 'set', 'priority', '5', 'link', 'broadcast-link'],
            1,
            /broadcast link has only a window/,
        );
        await fails(['-n', 'bl1', 'link', 'set', 'window', '20', 'link', link12], 1, /refused window 20 .*50\.\.8191/);
        await fails(
            ['-n', 'bl1', 'bearer', 'get', 'priority', 'media', 'eth', 'device', 'nope0'],
            1,
            /no bearer "eth:nope0" is enabled/,
        );
        await fails(
            ['-n', 'bl1', 'bearer', 'set', 'priority', '3', 'media', 'eth', 'device', 'nope0'],
            1,
            /no bearer "eth:nope0" is enabled/,
        );
        await fails(['-n', 'bl1', 'link', 'set', 'tolerance', '10', 'link', link12], 2, /"10".*50\.\.30000/);
        await fails(['-n', 'bl1', 'link', 'set', 'priority', '32', 'link', link12], 2, /"32".*0\.\.31/);
        await fails(['-n', 'bl1', 'link', 'set', 'priority', 'abc', 'link', link12], 2, /"abc"/);
        await fails(['-n', 'bl1', 'link', 'set', 'window', '9000', 'link', link12], 2, /"9000"/);
        await fails(['-n', 'bl1', 'link', 'set', 'broadcast', 'AUTOSELECT', 'ratio', '101'], 2, /"101".*1\.\.100/);
        await fails(['-n', 'bl1', 'link', 'set', 'broadcast', 'BROADCAST', 'REPLICAST'], 2, /one broadcast mode/);
        await fails(['-n', 'bl1', 'link', 'set', 'broadcast'], 2, /missing broadcast mode/);
        await fails(['-n', 'bl1', 'link', 'get', 'priority'], 2, /missing link/);
        await fails(
            ['-n', 'bl1', 'bearer', 'get', 'mtu', 'media', 'eth', 'device', 'eth0'],
            2,
            /not supported for media eth/,
        );
        await fails(
            ['-n', 'bl1', 'bearer', 'set', 'mtu', '1400', 'media', 'eth', 'device', 'eth0'],
            2,
            /not supported for media eth/,
        );
        await fails(['-n', 'bl1', 'media', 'get', 'mtu', 'media', 'eth'], 2, /not supported for media eth/);
        await fails(['-n', 'bl1', 'media', 'set', 'tolerance', '40000', 'media', 'eth'], 2, /"40000"/);
        await fails(['-n', 'bl1', 'media', 'get', 'priority', 'media', 'ethernet'], 2, /invalid media type "ethernet"/);
        await fails(
            ['-n', 'bl1', 'bearer', 'get', 'media', 'eth', 'name', 'eth0', 'localip'],
            2,
            /no "eth" media specific options/,
        );
        await fails(
            ['-n', 'bl1', 'bearer', 'add', 'media', 'eth', 'name', 'x', 'remoteip', '10.0.0.1'],
            2,
            /no "eth" media specific options/,
        );
        assert.deepEqual(state(), before, 'nothing was changed');
    });
});
