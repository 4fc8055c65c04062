// tipcx against iproute2's tipc on the same kernel state: identical text, exit
// codes that agree on success, and the kernel state after set commands as
// `tipc` reads it back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertInLab, makeBareNamespace, makeCluster, sh, tipc, tipcOk, tipcx, type Cluster } from './lab.js';

assertInLab();

async function sameAsTipc(args: string[], netns?: string): Promise<string> {
    const reference = tipc(args, netns);
    const ours = await tipcx(netns ? ['-n', netns, ...args] : args);
    assert.equal(reference.code, 0, `tipc ${args.join(' ')} failed: ${reference.stderr}`);
    assert.equal(ours.stderr, '', `tipcx ${args.join(' ')} wrote to stderr`);
    assert.equal(ours.code, 0);
    assert.equal(ours.stdout, reference.stdout, `tipcx ${args.join(' ')} differs from tipc`);
    return ours.stdout;
}

describe('read commands on a 3-namespace cluster, with -n from the root namespace', () => {
    let cluster: Cluster;
    before(async () => {
        cluster = await makeCluster(3, 'p');
    });
    after(() => cluster.destroy());

    for (const args of [
        ['node', 'list'],
        ['node', 'get', 'identity'],
        ['node', 'get', 'address'],
        ['node', 'get', 'netid'],
        ['node', 'get', 'clusterid'],
        ['bearer', 'list'],
        ['link', 'list'],
    ]) {
        test(`${args.join(' ')} prints what tipc prints, in every namespace`, async () => {
            for (const ns of cluster.namespaces) await sameAsTipc(args, ns);
        });
    }

    test('node list shows both peers up, by name', async () => {
        const out = await sameAsTipc(['node', 'list'], 'p1');
        assert.match(out, /^p2 +[0-9a-f]{8} up$/m);
        assert.match(out, /^p3 +[0-9a-f]{8} up$/m);
    });

    test('unique prefixes work as in tipc: "n l", "l l", "b l", "no g i"', async () => {
        assert.equal((await tipcx(['-n', 'p1', 'no', 'l'])).stdout, tipc(['node', 'list'], 'p1').stdout);
        assert.equal((await tipcx(['-n', 'p1', 'l', 'l'])).stdout, tipc(['link', 'list'], 'p1').stdout);
        assert.equal((await tipcx(['-n', 'p1', 'b', 'l'])).stdout, tipc(['bearer', 'list'], 'p1').stdout);
        assert.equal(
            (await tipcx(['no', 'g', 'i', '-n', 'p2'])).stdout,
            tipc(['node', 'get', 'identity'], 'p2').stdout,
        );
    });

    test('link list -j carries the same links and states as tipc -j', async () => {
        const reference = JSON.parse(tipc(['-j', 'link', 'list'], 'p1').stdout) as Record<string, string>[];
        const ours = JSON.parse((await tipcx(['-j', '-n', 'p1', 'link', 'list'])).stdout) as {
            name: string;
            up: boolean;
        }[];
        assert.deepEqual(Object.fromEntries(ours.map((l) => [l.name, l.up ? 'up' : 'down'])), reference[0]);
    });

    test('node list -j gives identities, hashes and states as node list prints them', async () => {
        const ours = JSON.parse((await tipcx(['-n', 'p1', 'node', 'list', '-j'])).stdout) as {
            identity: string;
            hash: string;
            up: boolean;
        }[];
        const text = tipc(['node', 'list'], 'p1').stdout.trim().split('\n').slice(1);
        assert.deepEqual(
            ours.map((n) => `${n.identity.padEnd(32)} ${n.hash} ${n.up ? 'up' : 'down'}`),
            text,
        );
    });

    test('node get clusterid -j -p is a pretty array with a number', async () => {
        const r = await tipcx(['-n', 'p1', '-j', '-p', 'node', 'get', 'clusterid']);
        assert.deepEqual(JSON.parse(r.stdout), [{ clusterId: 4711 }]);
        assert.match(r.stdout, /^ +"clusterId": 4711$/m);
    });

    test('the root namespace (no -n) is read too: no identity, no peers', async () => {
        await sameAsTipc(['node', 'list']);
        await sameAsTipc(['bearer', 'list']);
        await sameAsTipc(['node', 'get', 'netid']);
    });
});

describe('set commands change the kernel state as tipc reads it back', () => {
    test('node set identity and clusterid/netid, then EPERM once the node has an address', async () => {
        const ns = makeBareNamespace('s1');
        try {
            assert.equal((await tipcx(['-n', 's1', 'node', 'set', 'clusterid', '1234'])).code, 0);
            assert.equal(tipcOk(['node', 'get', 'netid'], 's1'), '1234\n');
            assert.equal((await tipcx(['-n', 's1', 'node', 'set', 'netid', '4321'])).code, 0);
            assert.equal(tipcOk(['node', 'get', 'netid'], 's1'), '4321\n');
            assert.equal((await tipcx(['-n', 's1', 'node', 'set', 'identity', 'alpha-1'])).code, 0);
            assert.match(tipcOk(['node', 'get', 'identity'], 's1'), /^alpha-1 +[0-9a-f]{8}$/m);
            // the address is final once a bearer has been up past the address trial period
            tipcOk(['bearer', 'enable', 'media', 'eth', 'device', 'eth0'], 's1');
            let refused = await tipcx(['-n', 's1', 'node', 'set', 'clusterid', '4321']);
            for (let i = 0; i < 50 && refused.code === 0; i++) {
                await new Promise((r) => setTimeout(r, 200));
                refused = await tipcx(['-n', 's1', 'node', 'set', 'clusterid', '4321']);
            }
            assert.equal(refused.code, 1);
            assert.match(refused.stderr, /already set/);
            assert.equal(refused.stderr.split('\n').length, 2, 'one line');
            assert.equal((await tipcx(['-n', 's1', 'node', 'set', 'clusterid', '99'])).code, 1);
            assert.equal(tipcOk(['node', 'get', 'netid'], 's1'), '4321\n');
        } finally {
            ns.destroy();
        }
    });

    test('node set identity with hex (17+ digits) stores the bytes tipc shows', async () => {
        const ns = makeBareNamespace('s2');
        try {
            assert.equal(
                (await tipcx(['-n', 's2', 'node', 'set', 'identity', '00112233445566778899aabbccddeeff'])).code,
                0,
            );
            assert.match(tipcOk(['node', 'get', 'identity'], 's2'), /^00112233445566778899aabbccddeeff +[0-9a-f]{8}$/m);
            assert.equal(
                (await tipcx(['-n', 's2', 'node', 'get', 'identity'])).stdout,
                tipcOk(['node', 'get', 'identity'], 's2'),
            );
        } finally {
            ns.destroy();
        }
    });

    test('bad values are refused before anything is sent, state unchanged', async () => {
        const ns = makeBareNamespace('s3');
        try {
            for (const args of [
                ['node', 'set', 'clusterid', '0'],
                ['node', 'set', 'clusterid', '10000'],
                ['node', 'set', 'clusterid', 'abc'],
                ['node', 'set', 'identity', 'has space'],
                ['node', 'set', 'identity', '0123456789abcdef0123456789abcdef0'],
            ]) {
                const r = await tipcx(['-n', 's3', ...args]);
                assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
                assert.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ')}: one line`);
                assert.ok(r.stderr.includes(args.at(-1)!), `${args.join(' ')}: names the bad value: ${r.stderr}`);
            }
            assert.equal(tipcOk(['node', 'get', 'netid'], 's3'), '4711\n');
            assert.match(tipcOk(['node', 'get', 'identity'], 's3'), /^Node Identity/);
        } finally {
            ns.destroy();
        }
    });

    test('bearer enable/disable eth, the same effect as tipc', async () => {
        const a = makeBareNamespace('e1');
        const b = makeBareNamespace('e2');
        try {
            assert.equal(tipc(['bearer', 'enable', 'priority', '5', 'media', 'eth', 'device', 'eth0'], 'e1').code, 0);
            const r = await tipcx(['-n', 'e2', 'bearer', 'enable', 'priority', '5', 'media', 'eth', 'device', 'eth0']);
            assert.equal(r.code, 0, r.stderr);
            assert.equal(tipcOk(['bearer', 'list'], 'e2'), tipcOk(['bearer', 'list'], 'e1'));
            assert.equal(tipcOk(['bearer', 'get', 'priority', 'media', 'eth', 'device', 'eth0'], 'e2'), '5\n');
            const again = await tipcx(['-n', 'e2', 'bearer', 'enable', 'media', 'eth', 'device', 'eth0']);
            assert.equal(again.code, 1, 'enabling twice is refused');
            assert.equal((await tipcx(['-n', 'e2', 'b', 'd', 'me', 'eth', 'dev', 'eth0'])).code, 0);
            assert.equal(tipcOk(['bearer', 'list'], 'e2'), '');
            const gone = await tipcx(['-n', 'e2', 'bearer', 'disable', 'media', 'eth', 'device', 'eth0']);
            assert.equal(gone.code, 1);
            assert.match(gone.stderr, /eth:eth0/);
        } finally {
            a.destroy();
            b.destroy();
        }
    });

    test('bearer enable udp with localip and the default multicast remote, as tipc does it', async () => {
        const a = makeBareNamespace('u1');
        const b = makeBareNamespace('u2');
        try {
            sh('ip -n u1 addr add 10.99.0.1/24 dev eth0; ip -n u2 addr add 10.99.0.2/24 dev eth0');
            assert.equal(tipc(['bearer', 'enable', 'media', 'udp', 'name', 'x', 'localip', '10.99.0.1'], 'u1').code, 0);
            const r = await tipcx([
                '-n',
                'u2',
                'bearer',
                'enable',
                'media',
                'udp',
                'name',
                'x',
                'localip',
                '10.99.0.2',
            ]);
            assert.equal(r.code, 0, r.stderr);
            assert.equal(tipcOk(['bearer', 'list'], 'u2'), 'udp:x\n');
            const remote = (ns: string) => tipcOk(['bearer', 'get', 'media', 'udp', 'name', 'x', 'remoteip'], ns);
            assert.equal(remote('u2'), remote('u1'));
            assert.equal(remote('u2'), '228.0.18.103\n');
            assert.equal(tipcOk(['bearer', 'get', 'media', 'udp', 'name', 'x', 'localip'], 'u2'), '10.99.0.2\n');
        } finally {
            a.destroy();
            b.destroy();
        }
    });
});
