// udp bearers against iproute2's tipc on the same kernel state: IPv4 and IPv6,
// explicit remote ips, the multicast default and replicast peers, read back
// with tipc. Namespaces are prefixed "blu".
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertInLab, makeBareNamespace, sh, tipcx } from './lab.js';
import { fails, ok, readBack, sameAsTipc } from './parity.js';

assertInLab();

describe('udp bearers: IPv4 and IPv6, explicit remote ips, multicast default, replicast peers', () => {
    let ns1: { name: string; destroy(): void };
    let ns2: { name: string; destroy(): void };
    before(() => {
        ns1 = makeBareNamespace('blu1');
        ns2 = makeBareNamespace('blu2');
        sh(`ip -n blu1 addr add 10.77.0.1/24 dev eth0
      ip -n blu1 addr add fd77::1/64 dev eth0 nodad
      ip -n blu2 addr add 10.78.0.1/24 dev eth0
      ip -n blu2 addr add fd78::1/64 dev eth0 nodad`);
        // made by tipc: the state tipcx reads
        readBack(
            [
                ['bearer', 'enable', 'media', 'udp', 'name', 'v4mc', 'localip', '10.77.0.1'],
                [
                    'bearer',
                    'enable',
                    'media',
                    'udp',
                    'name',
                    'v4rc',
                    'localip',
                    '10.77.0.1',
                    'localport',
                    '6200',
                    'remoteip',
                    '10.77.0.254',
                    'remoteport',
                    '6300',
                ],
                [
                    'bearer',
                    'enable',
                    'media',
                    'udp',
                    'name',
                    'v6rc',
                    'localip',
                    'fd77::1',
                    'localport',
                    '6400',
                    'remoteip',
                    'fd77::254',
                ],
            ],
            'blu1',
        );
    });
    after(() => {
        ns1.destroy();
        ns2.destroy();
    });

    test('bearer get media udp … localip|localport|remoteip|remoteport and priority|tolerance|window|mtu, IPv4 and IPv6', async () => {
        const udp = (name: string, option: string) => ['bearer', 'get', 'media', 'udp', 'name', name, option];
        const outputs = await sameAsTipc(
            [
                ...['v4mc', 'v4rc', 'v6rc'].flatMap((name) =>
                    ['localip', 'localport', 'remoteip', 'remoteport'].map((o) => udp(name, o)),
                ),
                ...['v4mc', 'v6rc'].flatMap((name) =>
                    ['priority', 'tolerance', 'window', 'mtu'].map((p) => [
                        'bearer',
                        'get',
                        p,
                        'media',
                        'udp',
                        'name',
                        name,
                    ]),
                ),
            ],
            'blu1',
        );
        assert.equal(outputs[2], '228.0.18.103\n', 'the multicast default from cluster id 4711');
        assert.equal(outputs[10], 'fd77::254\n');
        assert.deepEqual(JSON.parse((await tipcx(['-n', 'blu1', '-j', ...udp('v4rc', 'localport')])).stdout), [
            { localPort: 6200 },
        ]);
        assert.deepEqual(JSON.parse((await tipcx(['-n', 'blu1', '-j', ...udp('v6rc', 'localip')])).stdout), [
            { localIp: 'fd77::1' },
        ]);
    });

    test('bearer set mtu on a udp bearer, read back with tipc; the kernel minimum as a sentence', async () => {
        await ok(['-n', 'blu1', 'bearer', 'set', 'mtu', '1300', 'media', 'udp', 'name', 'v4rc']);
        assert.deepEqual(readBack([['bearer', 'get', 'mtu', 'media', 'udp', 'name', 'v4rc']], 'blu1'), ['1300\n']);
        await fails(
            ['-n', 'blu1', 'bearer', 'set', 'mtu', '100', 'media', 'udp', 'name', 'v4rc'],
            1,
            /refused mtu 100/,
        );
    });

    test('bearer add: replicast peers (IPv4 and IPv6) all listed by remoteip, as tipc lists them', async () => {
        await ok(['-n', 'blu1', 'bearer', 'add', 'media', 'udp', 'name', 'v4rc', 'remoteip', '10.77.0.9']);
        await ok([
            '-n',
            'blu1',
            'bearer',
            'add',
            'media',
            'udp',
            'name',
            'v4rc',
            'remoteip',
            '10.77.0.10',
            'remoteport',
            '6300',
        ]);
        await ok(['-n', 'blu1', 'bearer', 'add', 'media', 'udp', 'name', 'v4rc', 'remoteip', '10.77.0.9']); // known: silent success
        await ok(['-n', 'blu1', 'b', 'a', 'm', 'udp', 'n', 'v6rc', 'remoteip', 'fd77::9']);
        const [v4, v6] = await sameAsTipc(
            [
                ['bearer', 'get', 'media', 'udp', 'name', 'v4rc', 'remoteip'],
                ['bearer', 'get', 'media', 'udp', 'name', 'v6rc', 'remoteip'],
            ],
            'blu1',
        );
        assert.deepEqual(v4.trim().split('\n').sort(), ['10.77.0.10', '10.77.0.254', '10.77.0.9']);
        assert.deepEqual(v6.trim().split('\n').sort(), ['fd77::254', 'fd77::9']);
        const json = JSON.parse(
            (await tipcx(['-n', 'blu1', '-j', 'bearer', 'get', 'media', 'udp', 'name', 'v4rc', 'remoteip'])).stdout,
        ) as unknown;
        assert.deepEqual(
            json,
            v4
                .trim()
                .split('\n')
                .map((remoteIp) => ({ remoteIp })),
        );
        await fails(
            ['-n', 'blu1', 'bearer', 'add', 'media', 'udp', 'name', 'v4mc', 'remoteip', '10.77.0.11'],
            1,
            /multicast/,
        );
        await fails(
            ['-n', 'blu1', 'bearer', 'add', 'media', 'udp', 'name', 'v4rc', 'remoteip', 'not-an-ip'],
            2,
            /"not-an-ip"/,
        );
        await fails(
            ['-n', 'blu1', 'bearer', 'get', 'media', 'udp', 'name', 'nope', 'remoteip'],
            1,
            /no bearer "udp:nope" is enabled/,
        );
    });

    test('bearers enabled by tipcx (IPv6 multicast default, udp by device) read back with tipc', async () => {
        await ok(['-n', 'blu2', 'bearer', 'enable', 'media', 'udp', 'name', 'v6mc', 'localip', 'fd78::1']);
        await ok([
            '-n',
            'blu2',
            'bearer',
            'enable',
            'media',
            'udp',
            'name',
            'dev',
            'device',
            'eth0',
            'localport',
            '6500',
        ]);
        const [group, local] = await sameAsTipc(
            [
                ['bearer', 'get', 'media', 'udp', 'name', 'v6mc', 'remoteip'],
                ['bearer', 'get', 'media', 'udp', 'name', 'dev', 'localip'],
                ['bearer', 'get', 'media', 'udp', 'name', 'dev', 'localport'],
                ['bearer', 'list'],
            ],
            'blu2',
        );
        assert.equal(group, 'ff02::4711\n');
        assert.equal(local, '10.78.0.1\n');
    });
});
