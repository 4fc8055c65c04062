// `tipcx events` on the real kernel: links down and up, bindings published and
// withdrawn by python3 AF_TIPC sockets (1,000 at once, compared with the name
// table), a namespace deleted and one created mid-stream, the kernel's
// subscription limit, and the module the stream holds. (top's log fed by these
// events: top.test.ts; a stream started without the module: faults.test.ts.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { assertInLab, makeCluster, run, sh, tipc, tipcOk, tipcx, waitFor, type Cluster } from './lab.js';
import { matching, startEvents, type EventRecord } from './events.js';

assertInLab();

let cluster: Cluster;
before(async () => {
    cluster = await makeCluster(2, 'evt');
});
after(() => cluster?.destroy());

const LINK = 'evt1:eth0-evt2:eth0';

/**
 * python3 in `netns` binding an RDM socket per `bindings` entry
 * ([type, lower, upper, scope]); prints "bound" once all are bound, and closes
 * them all (withdrawing every binding) when a line arrives on stdin.
 */
function publisher(
    netns: string,
    bindings: [number, number, number, 'cluster' | 'node'][],
): {
    child: ChildProcessWithoutNullStreams;
    bound: Promise<void>;
    withdraw(): Promise<void>;
} {
    const script = `
import socket, sys, json
socks = []
for t, lo, hi, scope in json.loads(sys.argv[1]):
    s = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
    s.bind((socket.TIPC_ADDR_NAMESEQ, t, lo, hi, socket.TIPC_CLUSTER_SCOPE if scope == 'cluster' else socket.TIPC_NODE_SCOPE))
    socks.append(s)
print('bound', flush=True)
sys.stdin.readline()
for s in socks: s.close()
print('closed', flush=True)
`;
    const child = spawn('ip', ['netns', 'exec', netns, 'python3', '-c', script, JSON.stringify(bindings)]);
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const said = (word: string) =>
        new Promise<void>((resolve, reject) => {
            const look = () => {
                if (out.includes(word)) resolve();
            };
            child.stdout.on('data', (d: Buffer) => {
                out += d.toString();
                look();
            });
            // 'close', not 'exit': a process that prints its word and exits at once may be seen
            // exiting before its last output is read (once "exited 0 before "closed"" with nothing on stderr)
            child.on('close', (code) => {
                look();
                reject(new Error(`python3 exited ${code} before "${word}": ${err}`));
            });
            look();
        });
    const bound = said('bound');
    return {
        child,
        bound,
        withdraw: async () => {
            child.stdin.write('go\n');
            await said('closed');
        },
    };
}

/** The name table of `netns` as iproute2 prints it: rows of type `type`. */
function nameTableRows(
    netns: string,
    type: number,
): { lower: number; upper: number; scope: string; port: number; node: string }[] {
    return tipcOk(['nametable', 'show'], netns)
        .split('\n')
        .slice(1)
        .map((l) => l.trim().split(/\s+/))
        .filter((f) => Number(f[0]) === type)
        .map((f) => ({ lower: Number(f[1]), upper: Number(f[2]), scope: f[3], port: Number(f[4]), node: f[5] }));
}

test('the snapshot is marked state; a bearer disabled and enabled again gives link and node down, then up, as new', async (t) => {
    const s = startEvents(['-n', 'evt1', '-j', 'events']);
    try {
        await s.until(
            'the snapshot: link and peer up',
            (rs) =>
                rs.some(matching({ kind: 'link', origin: 'state', event: 'up', name: LINK })) &&
                rs.some(matching({ kind: 'node', origin: 'state', event: 'up', identity: 'evt2' })),
        );
        const self = s.records.find(matching({ kind: 'node', self: true }));
        assert.ok(self, 'the namespace itself is reported as a node');
        assert.equal(self.identity, 'evt1');
        assert.equal(self.address, tipcOk(['node', 'list'], 'evt2').match(/^evt1\s+([0-9a-f]{8})/m)?.[1]);
        assert.ok(s.records.every((r) => r.netns === 'evt1'));
        const before = s.records.length;

        tipcOk(['bearer', 'disable', 'media', 'eth', 'device', 'eth0'], 'evt1');
        await s.until(
            'link and node down',
            (rs) =>
                rs.some(matching({ kind: 'link', origin: 'new', event: 'down', name: LINK })) &&
                rs.some(matching({ kind: 'node', origin: 'new', event: 'down', identity: 'evt2' })),
        );
        tipcOk(['bearer', 'enable', 'media', 'eth', 'device', 'eth0'], 'evt1');
        await s.until(
            'link and node up again',
            (rs) =>
                rs.slice(before).some(matching({ kind: 'link', origin: 'new', event: 'up', name: LINK })) &&
                rs.slice(before).some(matching({ kind: 'node', origin: 'new', event: 'up', identity: 'evt2' })),
            60_000,
        );
        const changes = s.records.slice(before).map((r) => `${r.kind} ${r.event}`);
        assert.deepEqual(
            changes.filter((c) => c.startsWith('link')),
            ['link down', 'link up'],
            'the link went down once and came up once, in that order',
        );
        const up = s.records.slice(before).find(matching({ kind: 'node', event: 'up' }))!;
        assert.equal(up.address, tipcOk(['node', 'list'], 'evt1').match(/^evt2\s+([0-9a-f]{8})/m)![1]);
        // evt2 is a namespace of this host with the same net id: the crossover module decides it
        assert.ok(typeof up.verdict === 'string' && up.verdict !== '', `a verdict for evt2: ${JSON.stringify(up)}`);
        t.diagnostic(`verdict for evt2: ${String(up.verdict)} (${String(up.verdictReason)})`);
    } finally {
        await s.stop();
    }
    assert.equal(s.stderr(), '');
});

test('text output: one line per event with a timestamp, count N stops the stream', async () => {
    const r = await tipcx(['-n', 'evt1', 'events', 'link', 'count', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
        r.stdout,
        new RegExp(`^\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\] evt1 state link up ${LINK}\\n$`),
    );
});

test('timeout S ends a quiet stream with exit 0 after the snapshot', async () => {
    const started = Date.now();
    const r = await tipcx(['-n', 'evt2', '-j', 'events', 'service', '4000', 'timeout', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '', 'nothing is bound to type 4000');
    assert.ok(Date.now() - started >= 1000);
});

test('python3 sockets: bindings published and withdrawn, with scope, port and node, seen where they reach', async () => {
    // {1, 1} is each topology server's own binding: its snapshot event says the stream has subscribed there
    const s = startEvents(['--all-netns', '-j', 'events', 'service', '5000', 'service', '5001:7', 'service', '1:1']);
    await s.until('the subscriptions in evt1 and evt2', (rs) =>
        ['evt1', 'evt2'].every((netns) => rs.some(matching({ netns, type: 1, origin: 'state' }))),
    );
    const p = publisher('evt1', [
        [5000, 1, 3, 'cluster'],
        [5001, 7, 7, 'node'],
        [5001, 8, 8, 'cluster'],
    ]);
    try {
        await p.bound;
        const table = nameTableRows('evt1', 5000)[0];
        await s.until(
            'both published in evt1, the cluster one in evt2 too',
            (rs) =>
                rs.some(matching({ netns: 'evt1', type: 5000, event: 'published', origin: 'new' })) &&
                rs.some(matching({ netns: 'evt1', type: 5001, event: 'published' })) &&
                rs.some(matching({ netns: 'evt2', type: 5000, event: 'published' })),
        );
        const mine = s.records.find(matching({ netns: 'evt1', type: 5000, event: 'published' }))!;
        assert.deepEqual(
            { lower: mine.lower, upper: mine.upper, scope: mine.scope, port: mine.port, node: mine.nodeIdentity },
            { lower: 1, upper: 3, scope: 'cluster', port: table.port, node: 'evt1' },
        );
        const local = s.records.find(matching({ netns: 'evt1', type: 5001, event: 'published' }))!;
        assert.deepEqual([local.lower, local.upper, local.scope], [7, 7, 'node']);
        const remote = s.records.find(matching({ netns: 'evt2', type: 5000, event: 'published' }))!;
        assert.deepEqual([remote.scope, remote.port, remote.nodeIdentity], ['cluster', table.port, 'evt1']);
        assert.ok(!s.records.some(matching({ type: 5001, lower: 8 })), 'instance 8 is outside the subscribed 5001:7');
        assert.ok(!s.records.some(matching({ netns: 'evt2', type: 5001 })), 'a node-scope binding stays in its node');

        await p.withdraw();
        await s.until(
            'withdrawn in both',
            (rs) =>
                rs.some(matching({ netns: 'evt1', type: 5000, event: 'withdrawn', port: table.port })) &&
                rs.some(matching({ netns: 'evt1', type: 5001, event: 'withdrawn', scope: 'node' })) &&
                rs.some(matching({ netns: 'evt2', type: 5000, event: 'withdrawn', port: table.port })),
        );
    } finally {
        p.child.kill();
        await s.stop();
    }
});

test('a burst of 1,000 bindings: exactly 1,000 published and 1,000 withdrawn events, as the name table has them', async (t) => {
    const N = 1000;
    // {1, 1} is the topology server's own binding: its snapshot event says the stream has subscribed
    const s = startEvents(['-n', 'evt1', '-j', 'events', 'service', '1:1', 'service', '6000']);
    try {
        await s.until('the subscriptions in place', (rs) => rs.some(matching({ type: 1, origin: 'state' })));
        const p = publisher(
            'evt1',
            Array.from({ length: N }, (_, i) => [6000, i, i, 'cluster'] as [number, number, number, 'cluster']),
        );
        await p.bound;
        const table = nameTableRows('evt1', 6000);
        assert.equal(table.length, N, 'the name table has the 1,000 bindings');
        const published = (rs: EventRecord[]) => rs.filter(matching({ event: 'published', type: 6000 }));
        const withdrawn = (rs: EventRecord[]) => rs.filter(matching({ event: 'withdrawn', type: 6000 }));
        await s.until(`${N} published events`, (rs) => published(rs).length >= N, 120_000);
        const key = (r: Record<string, unknown>) => `${String(r.lower)}/${String(r.port)}`;
        assert.deepEqual(
            published(s.records).map(key).sort(),
            table.map(key).sort(),
            'one published event per name table row, same instance and port',
        );
        await p.withdraw();
        await s.until(`${N} withdrawn events`, (rs) => withdrawn(rs).length >= N, 120_000);
        assert.deepEqual(withdrawn(s.records).map(key).sort(), table.map(key).sort());
        assert.equal(nameTableRows('evt1', 6000).length, 0);
        assert.equal(published(s.records).length, N, 'exactly 1,000 published');
        assert.equal(withdrawn(s.records).length, N, 'exactly 1,000 withdrawn');
        assert.ok(published(s.records).every((r) => r.origin === 'new'));
        t.diagnostic(`${N} + ${N} events`);
    } finally {
        await s.stop();
    }
});

test('--all-netns: a namespace deleted mid-stream is reported and dropped, one created later is picked up', async () => {
    // a namespace without a bearer has no node address yet, so no node events: the
    // topology server's own binding {1, 1} shows that the stream reads it
    sh('ip netns add evgone');
    const s = startEvents(['--all-netns', '-j', 'events', 'node', 'service', '1:1']);
    try {
        await s.until(
            'the snapshot of evt1 and evgone',
            (rs) =>
                rs.some(matching({ netns: 'evt1', kind: 'node', self: true })) &&
                rs.some(matching({ netns: 'evgone', kind: 'service', type: 1, origin: 'state' })),
        );
        sh('ip netns del evgone');
        await s.until('evgone reported gone', (rs) =>
            rs.some(matching({ netns: 'evgone', kind: 'netns', event: 'gone' })),
        );
        sh('ip netns add evlater');
        await s.until(
            'evlater appeared and is watched',
            (rs) =>
                rs.some(matching({ netns: 'evlater', kind: 'netns', event: 'appeared' })) &&
                rs.some(matching({ netns: 'evlater', kind: 'service', type: 1, origin: 'state' })),
        );
        // still watching the others: a change in evt2 arrives
        tipcOk(['bearer', 'disable', 'media', 'eth', 'device', 'eth0'], 'evt2');
        await s.until('evt1 sees evt2 go down', (rs) =>
            rs.some(matching({ netns: 'evt1', kind: 'node', event: 'down', identity: 'evt2' })),
        );
        tipcOk(['bearer', 'enable', 'media', 'eth', 'device', 'eth0'], 'evt2');
        await waitFor(
            'evt1 and evt2 linked again',
            () => tipc(['link', 'list'], 'evt1').stdout.includes(`${LINK}: up`),
            60_000,
        );
    } finally {
        await s.stop();
        run(['ip', 'netns', 'del', 'evgone']);
        run(['ip', 'netns', 'del', 'evlater']);
    }
    assert.equal(s.stderr(), '');
});

test("the kernel's subscription limit: one clear line, exit 1", async () => {
    sh('ip netns add evlim');
    // 65,534 subscriptions, then one answered at once: when its event arrives, all are registered
    const script = `
import socket, struct, sys
s = socket.socket(socket.AF_TIPC, socket.SOCK_SEQPACKET)
s.connect((socket.TIPC_ADDR_NAME, 1, 1, 0))
for i in range(65534):
    s.send(struct.pack('!IIIII', 7000, i, i, 0xffffffff, 1) + bytes(8))
s.send(struct.pack('!IIIII', 1, 1, 1, 0xffffffff, 2) + bytes(8))
s.recv(48)
print('full', flush=True)
sys.stdin.readline()
`;
    const holder = spawn('ip', ['netns', 'exec', 'evlim', 'python3', '-c', script]);
    try {
        await new Promise<void>((resolve, reject) => {
            holder.stdout.on('data', (d: Buffer) => d.toString().includes('full') && resolve());
            holder.on('exit', (code) => reject(new Error(`the subscriber exited ${code}`)));
        });
        const r = await tipcx(['-n', 'evlim', 'events', 'timeout', '30']);
        assert.equal(r.code, 1, r.stdout + r.stderr);
        const lines = r.stderr.split('\n').filter(Boolean);
        assert.equal(lines.length, 1, r.stderr);
        assert.match(lines[0], /refused a subscription.*65535.*TIPC_MAX_SUBSCR/);
        assert.equal(r.stdout, '');
    } finally {
        holder.kill();
        run(['ip', 'netns', 'del', 'evlim']);
    }
});

test('the stream holds the tipc module: rmmod is refused while it runs, and it runs on', async () => {
    const s = startEvents(['-n', 'evt1', '-j', 'events', 'link']);
    try {
        await s.until('the snapshot', (rs) => rs.some(matching({ kind: 'link', origin: 'state' })));
        // the TIPC sock_diag module holds tipc too: take it out so that only the stream does, put it back after
        const diagLoaded = existsSync('/sys/module/diag');
        run(['rmmod', 'diag']);
        const r = run(['rmmod', 'tipc']);
        if (diagLoaded) run(['modprobe', 'diag']);
        if (r.code === 0) {
            run(['modprobe', 'tipc']);
            assert.fail('rmmod tipc succeeded under a running stream');
        }
        assert.match(r.stderr, /in use/);
        tipcOk(['bearer', 'disable', 'media', 'eth', 'device', 'eth0'], 'evt1');
        await s.until('a link event after the refused rmmod', (rs) =>
            rs.some(matching({ kind: 'link', origin: 'new', event: 'down', name: LINK })),
        );
        tipcOk(['bearer', 'enable', 'media', 'eth', 'device', 'eth0'], 'evt1');
    } finally {
        await s.stop();
    }
});
