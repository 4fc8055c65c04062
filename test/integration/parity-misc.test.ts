// nametable show, socket list, link monitor, node set/flush key and peer remove:
// tipcx against iproute2's tipc on the same kernel state. Namespaces and the
// bridge are prefixed "pmx" so they cannot collide with other test files.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { errorLine } from '../../src/errors.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import {
    assertInLab,
    makeBareNamespace,
    makeCluster,
    run,
    sh,
    tipc,
    tipcOk,
    tipcx,
    waitFor,
    type Cluster,
} from './lab.js';

assertInLab();

const SERVICE_RANGES = 1000;

async function sameAsTipc(args: string[], netns: string): Promise<string> {
    const reference = tipc(args, netns);
    const ours = await tipcx(['-n', netns, ...args]);
    assert.equal(reference.code, 0, `tipc ${args.join(' ')} failed: ${reference.stderr}`);
    assert.equal(ours.stderr, '', `tipcx ${args.join(' ')} wrote to stderr`);
    assert.equal(ours.code, 0);
    assert.equal(ours.stdout, reference.stdout, `tipcx ${args.join(' ')} differs from tipc in ${netns}`);
    return ours.stdout;
}

/**
 * For state the kernel keeps changing on its own (monitor domain generations):
 * tipcx must print what tipc printed just before or just after it, within a
 * few attempts.
 */
async function sameAsTipcEventually(args: string[], netns: string): Promise<string> {
    let last = '';
    for (let attempt = 0; attempt < 10; attempt++) {
        const before = tipc(args, netns).stdout;
        const ours = await tipcx(['-n', netns, ...args]);
        const after = tipc(args, netns).stdout;
        assert.equal(ours.code, 0, ours.stderr);
        if (ours.stdout === before || ours.stdout === after) return ours.stdout;
        last = `tipc:\n${before}\ntipcx:\n${ours.stdout}`;
        await new Promise((r) => setTimeout(r, 300));
    }
    assert.fail(`tipcx ${args.join(' ')} never matched tipc in ${netns}: ${last}`);
}

/** A python3 process in `netns`, kept alive until stop(); resolves once it printed "ready". */
async function background(netns: string, code: string): Promise<{ proc: ChildProcess; stop(): void }> {
    const proc = spawn('ip', ['netns', 'exec', netns, 'python3', '-c', code], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await waitFor(`python3 in ${netns} to be ready`, () => {
        if (proc.exitCode !== null) throw new Error(`python3 in ${netns} exited: ${err}`);
        return out.includes('ready');
    });
    return { proc, stop: () => void proc.kill('SIGKILL') };
}

// One RDM socket bound to 1000 service ranges {5000, 10i, 10i+9}, plus a stream
// socket connected by name to the server in the second namespace.
const CLIENT = `
import socket, sys, time
rdm = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
for i in range(${SERVICE_RANGES}):
    rdm.bind((socket.TIPC_ADDR_NAMESEQ, 5000, 10 * i, 10 * i + 9, socket.TIPC_CLUSTER_SCOPE))
for attempt in range(200):
    try:
        c = socket.socket(socket.AF_TIPC, socket.SOCK_STREAM)
        c.connect((socket.TIPC_ADDR_NAME, 7000, 1, 0))
        break
    except OSError:
        c.close()
        time.sleep(0.1)
c.send(b'hello')
print('ready', flush=True)
sys.stdin.read()
`;
const SERVER = `
import socket, sys
srv = socket.socket(socket.AF_TIPC, socket.SOCK_STREAM)
srv.bind((socket.TIPC_ADDR_NAMESEQ, 7000, 1, 1, socket.TIPC_CLUSTER_SCOPE))
srv.listen(1)
print('ready', flush=True)
conn, peer = srv.accept()
conn.recv(5)
sys.stdin.read()
`;

/** TIPC encryption needs the kernel's gcm(aes): the lab's initramfs loads it (src/lab/kernel.ts). */
function ensureGcmAes(): void {
    const loaded = readdirSync('/sys/module');
    for (const m of ['gf128mul', 'ghash_generic', 'ctr', 'gcm'])
        assert.ok(loaded.includes(m), `kernel module ${m} is not loaded in the lab`);
}

const nametableRows = (ns: string) => Math.max(0, tipc(['nametable', 'show'], ns).stdout.split('\n').length - 2);

describe('nametable, sockets, monitor, keys and peers on a 4-namespace cluster', () => {
    let cluster: Cluster;
    const procs: { stop(): void }[] = [];

    before(async () => {
        cluster = await makeCluster(4, 'pmx');
        procs.push(await background('pmx2', SERVER));
        procs.push(await background('pmx1', CLIENT));
        // the 1000 ranges reach the other namespaces over the links
        await waitFor(
            '1000 publications everywhere',
            () => cluster.namespaces.every((ns) => nametableRows(ns) > SERVICE_RANGES),
            60_000,
        );
    });
    after(() => {
        for (const p of procs) p.stop();
        cluster?.destroy();
    });

    test('nametable show with over a thousand publications: byte for byte, in every namespace', async () => {
        for (const ns of ['pmx1', 'pmx3']) {
            const out = await sameAsTipc(['nametable', 'show'], ns);
            assert.ok(out.split('\n').length > SERVICE_RANGES + 2);
            assert.match(out, /^Type {7}Lower {6}Upper {6}Scope {4}Port {7}Node {29}$/m);
            assert.match(out, /^5000 {7}9990 {7}9999 {7}cluster {2}\d+ +pmx1$/m);
        }
    });

    test('nametable show -j: the same records as tipc -j', async () => {
        const ours = await tipcx(['-n', 'pmx3', '-j', 'nametable', 'show']);
        const reference = JSON.parse(tipc(['-j', 'nametable', 'show'], 'pmx3').stdout) as unknown[];
        assert.equal(ours.code, 0);
        assert.deepEqual(JSON.parse(ours.stdout), reference);
        assert.ok(reference.length > SERVICE_RANGES);
    });

    test('socket list: bound and connected sockets, byte for byte, on both ends', async () => {
        const client = await sameAsTipc(['socket', 'list'], 'pmx1');
        assert.match(client, /^ {2}connected to [0-9a-f]+:\d+ via \{7000,1\}$/m);
        assert.match(client, /^ {2}bound to \{5000,9990,9999\}$/m);
        const server = await sameAsTipc(['socket', 'list'], 'pmx2');
        assert.match(server, /^ {2}bound to \{7000,1,1\}$/m);
        // the accepted socket: connected back to the client's port
        assert.match(server, /^ {2}connected to [0-9a-f]+:\d+/m);
    });

    test('socket list -j: connection and bindings as records', async () => {
        const r = await tipcx(['-n', 'pmx1', '-j', 'socket', 'list']);
        const records = JSON.parse(r.stdout) as {
            ref: number;
            connection: { service: unknown; identity: string } | null;
            bindings: unknown[];
        }[];
        const connected = records.find((k) => k.connection !== null);
        assert.deepEqual(connected?.connection?.service, { type: 7000, instance: 1 });
        assert.equal(connected?.connection?.identity, 'pmx2');
        assert.ok(records.some((k) => k.bindings.length === SERVICE_RANGES));
    });

    test('link monitor set threshold 2 on every node: tipc reads it back, the ring becomes active', async () => {
        for (const ns of cluster.namespaces) {
            const r = await tipcx(['-n', ns, 'link', 'monitor', 'set', 'threshold', '2']);
            assert.equal(r.code, 0, r.stderr);
            assert.equal(tipcOk(['link', 'monitor', 'get', 'threshold'], ns), '2\n');
        }
        await sameAsTipc(['link', 'monitor', 'get', 'threshold'], 'pmx1');
        assert.deepEqual(
            JSON.parse((await tipcx(['-n', 'pmx1', '-j', 'link', 'monitor', 'get', 'threshold'])).stdout),
            [{ threshold: 2 }],
        );
        await waitFor('overlapping-ring everywhere', () =>
            cluster.namespaces.every((ns) =>
                tipc(['link', 'monitor', 'summary'], ns).stdout.includes('algorithm overlapping-ring'),
            ),
        );
        for (const ns of ['pmx1', 'pmx4']) await sameAsTipcEventually(['link', 'monitor', 'summary'], ns);
    });

    test('link monitor list (all bearers and one bearer) with an active ring: byte for byte', async () => {
        for (const ns of ['pmx1', 'pmx4']) {
            const out = await sameAsTipcEventually(['link', 'monitor', 'list'], ns);
            assert.equal(out.split('\n').filter((l) => /^\d+\.\d+\.\d+ +(up|down) /.test(l)).length, 4);
        }
        await sameAsTipcEventually(['link', 'monitor', 'list', 'media', 'eth', 'device', 'eth0'], 'pmx1');
        await sameAsTipcEventually(['link', 'monitor', 'list', 'media', 'eth', 'device', 'nosuch'], 'pmx1');
    });

    test('link monitor summary/list -j carry what tipc -j carries', async () => {
        const summary = JSON.parse((await tipcx(['-n', 'pmx1', '-j', 'link', 'monitor', 'summary'])).stdout) as Record<
            string,
            unknown
        >[];
        const reference = JSON.parse(tipc(['-j', 'link', 'monitor', 'summary'], 'pmx1').stdout) as Record<
            string,
            unknown
        >[];
        assert.deepEqual(
            summary.map((m) => [m.bearer, m.clusterSize, m.algorithm]),
            reference.map((m) => [m.bearer, m.cluster_size, m.algorithm]),
        );
        const list = JSON.parse((await tipcx(['-n', 'pmx1', '-j', 'link', 'monitor', 'list'])).stdout) as {
            bearer: string;
            peers: { node: string; status: string; identity: string }[];
        }[];
        assert.deepEqual(list[0].peers.map((p) => p.identity).sort(), ['pmx1', 'pmx2', 'pmx3', 'pmx4']);
        const refList = JSON.parse(tipc(['-j', 'link', 'monitor', 'list'], 'pmx1').stdout) as Record<
            string,
            { node: string; status: string }[]
        >[];
        assert.deepEqual(
            list.map((b) => [b.bearer, b.peers.map((p) => [p.node, p.status])]),
            refList.map((b) => [b.bearer, (b[b.bearer as unknown as string] ?? []).map((p) => [p.node, p.status])]),
        );
    });

    test('link monitor set threshold: out of range is refused before the kernel, state unchanged', async () => {
        const r = await tipcx(['-n', 'pmx1', 'link', 'monitor', 'set', 'threshold', '4096']);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /4096/);
        assert.equal(tipcOk(['link', 'monitor', 'get', 'threshold'], 'pmx1'), '2\n');
    });

    test('node set key: a cluster key in every namespace, links stay up and carry traffic; node flush key', async () => {
        ensureGcmAes();
        const key = '0x' + '11'.repeat(16) + 'aabbccdd';
        try {
            for (const ns of cluster.namespaces) {
                const r = await tipcx(['-n', ns, 'node', 'set', 'key', key]);
                assert.equal(r.code, 0, r.stderr);
            }
            await new Promise((r) => setTimeout(r, 2000));
            await waitFor('links up with crypto', () =>
                cluster.namespaces.every(
                    (ns) => (tipc(['link', 'list'], ns).stdout.match(/: up$/gm)?.length ?? 0) === 4,
                ),
            );
            // traffic still flows: a fresh publication in pmx4 reaches pmx1
            const publisher = await background(
                'pmx4',
                `
import socket, sys
s = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
s.bind((socket.TIPC_ADDR_NAMESEQ, 6000, 1, 1, socket.TIPC_CLUSTER_SCOPE))
print('ready', flush=True)
sys.stdin.read()
`,
            );
            try {
                await waitFor(
                    'the publication to reach pmx1 over encrypted links',
                    () => /^6000 /m.test(tipc(['nametable', 'show'], 'pmx1').stdout),
                    15_000,
                );
            } finally {
                publisher.stop();
            }
            const perNode = await tipcx(['-n', 'pmx1', 'node', 'set', 'key', 'this_is_a_key16_salt', 'nodeid', 'pmx2']);
            assert.equal(perNode.code, 0, perNode.stderr);
            const master = await tipcx([
                '-n',
                'pmx1',
                'node',
                'set',
                'key',
                'this_is_a_master_key',
                'master',
                'rekeying',
                '0',
            ]);
            assert.equal(master.code, 0, master.stderr);
        } finally {
            for (const ns of cluster.namespaces) {
                const r = await tipcx(['-n', ns, 'node', 'flush', 'key']);
                assert.equal(r.code, 0, r.stderr);
            }
        }
        assert.equal(tipc(['node', 'flush', 'key'], 'pmx1').code, 0);
        await waitFor('links up after flush', () =>
            cluster.namespaces.every((ns) => (tipc(['link', 'list'], ns).stdout.match(/: up$/gm)?.length ?? 0) === 4),
        );
    });

    test("node set key: the kernel's refusals become sentences, bad input exits 2", async () => {
        const alg = await tipcx(['-n', 'pmx1', 'node', 'set', 'key', 'this_is_a_key16_salt', 'algname', 'cbc(aes)']);
        assert.equal(alg.code, 1);
        assert.match(alg.stderr, /does not support algorithm "cbc\(aes\)"/);
        assert.notEqual(tipc(['node', 'set', 'key', 'this_is_a_key16_salt', 'algname', 'cbc(aes)'], 'pmx1').code, 0);
        for (const args of [
            ['node', 'set', 'key', 'short'],
            ['node', 'set', 'key', 'this_is_a_key16_salt', 'nodeid', 'pmx2', 'master'],
            ['node', 'set', 'key', 'this_is_a_key16_salt', 'nodeid', 'x'.repeat(33)],
            ['node', 'set', 'key', 'this_is_a_key16_salt', 'rekeying', 'soon'],
            ['node', 'set', 'key'],
        ]) {
            const r = await tipcx(['-n', 'pmx1', ...args]);
            assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
            assert.equal(r.stderr.trim().split('\n').length, 1);
        }
        const bare = makeBareNamespace('pmxbare');
        try {
            const r = await tipcx(['-n', 'pmxbare', 'node', 'set', 'key', 'this_is_a_key16_salt']);
            assert.equal(r.code, 1);
            assert.match(r.stderr, /no identity yet/);
        } finally {
            bare.destroy();
        }
    });

    test('peer remove: EBUSY while up, ENXIO, own node; then removed by identity as node list printed it', async () => {
        // a fifth node without a configured identity: the kernel derives a hex one
        // from its MAC, which node list prints shortened and iproute2 reads as text
        sh(`ip netns add pmxp
      ip link add v-pmxp type veth peer name eth0 netns pmxp
      ip link set v-pmxp master ${cluster.bridge} up
      ip -n pmxp link set lo up
      ip -n pmxp link set eth0 address 02:00:00:00:77:a5 up`);
        try {
            tipcOk(['bearer', 'enable', 'media', 'eth', 'device', 'eth0'], 'pmxp');
            const line = () =>
                tipc(['node', 'list'], 'pmx1')
                    .stdout.split('\n')
                    .find((l) => l.startsWith('0200000077a5'));
            await waitFor('pmxp up in pmx1', () => / up$/.test(line() ?? ''));
            const identity = line()!.split(' ')[0];
            assert.equal(identity, '0200000077a5');

            const busy = await tipcx(['-n', 'pmx1', 'peer', 'remove', 'identity', identity]);
            assert.equal(busy.code, 1);
            assert.equal(
                busy.stderr.trim(),
                errorLine(`peer ${identity} is still up: it can be removed only when down`),
            );

            const unknown = await tipcx(['-n', 'pmx1', 'peer', 'remove', 'identity', 'nobody']);
            assert.equal(unknown.code, 1);
            assert.match(unknown.stderr, /no such peer nobody/);
            const own = await tipcx(['-n', 'pmx1', 'peer', 'remove', 'identity', 'pmx1']);
            assert.equal(own.code, 1);
            assert.match(own.stderr, /own node cannot be removed/);
            const badAddress = await tipcx(['-n', 'pmx1', 'peer', 'remove', 'address', '1001002']);
            assert.equal(badAddress.code, 2);

            run(['ip', 'netns', 'del', 'pmxp']);
            await waitFor('pmxp down in pmx1', () => / down$/.test(line() ?? ''), 20_000);
            // iproute2 takes the printed id as the 12 ASCII characters: no such peer
            const reference = tipc(['peer', 'remove', 'identity', identity], 'pmx1');
            assert.notEqual(reference.code, 0);
            assert.match(reference.stderr, /No such device or address/);

            const removed = await tipcx(['-n', 'pmx1', 'peer', 'remove', 'identity', identity]);
            assert.equal(removed.code, 0, removed.stderr);
            assert.equal(line(), undefined, 'pmxp is gone from tipc node list');
        } finally {
            run(['ip', 'netns', 'del', 'pmxp']);
            run(['ip', 'link', 'del', 'v-pmxp']);
        }
    });
});
