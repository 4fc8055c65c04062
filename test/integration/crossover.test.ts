// Netns crossover in the lab: `crossover wait` started before a cluster is built
// proves it from the frames of its bearers coming up, 3 namespaces on a bridge
// are `crossover` for each other once proven, a forged discovery frame gives
// `mismatch`, and a pcap recorded here decodes to the live values. The peer
// kernel's remote1 is in crossover-remote.test.ts.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LiveCapture, injectFrame, type LiveFrame } from '../../src/discovery/capture.js';
import { decodeLinkFrame, type DiscoveryFrame } from '../../src/discovery/frame.js';
import { readCapture, writePcap } from '../../src/discovery/pcap.js';
import type { SenderProof } from '../../src/discovery/proofs.js';
import { assertInLab, installedTipcx, makeCluster, tipc, tipcOk, tipcx, waitFor, type Cluster } from './lab.js';
import { row, rowsOf } from './crossover.js';

const PREFIX = 'xo';
let cluster: Cluster;

before(async () => {
    assertInLab();
    cluster = await makeCluster(3, PREFIX);
});

after(() => cluster?.destroy());

test(
    'crossover wait started before the cluster exists proves the peers that come up, and returns before its deadline',
    { timeout: 180_000 },
    async (t) => {
        const WAIT_S = 20;
        // the installed tipcx, as a setup script would start it, watching before anything exists
        const child = spawn(installedTipcx, ['-n', 'xw1', '-j', 'crossover', 'wait', String(WAIT_S)], {
            stdio: ['ignore', 'pipe', 'pipe'],
            env: { ...process.env, NO_COLOR: '1' },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        const exited = new Promise<{ code: number | null; atMs: number }>((resolve, reject) => {
            child.on('error', reject);
            child.on('close', (code) => resolve({ code, atMs: Date.now() }));
        });
        // build only once the command is watching (node starts slowly in the VM): its first message says so
        const waiting = await new Promise<number>((resolve, reject) => {
            child.stderr.setEncoding('utf8').on('data', (d: string) => {
                stderr += d;
                if (/waiting up to 20 s/.test(stderr)) resolve(Date.now());
            });
            exited.then((e) => reject(new Error(`crossover exited (${e.code}) before it waited: ${stderr}`)), reject);
        });
        let cluster: Cluster | undefined;
        try {
            cluster = await makeCluster(3, 'xw');
            const linksUp = Date.now();
            const { code, atMs } = await exited;
            assert.equal(code, 0, stderr);
            t.diagnostic(
                `all links up ${linksUp - waiting} ms after the wait began; crossover returned ${atMs - waiting} ms after it began (${atMs - linksUp} ms after the links were up)`,
            );
            const rows = rowsOf(stdout);
            assert.deepEqual(rows.map((r) => r.peer).sort(), ['xw2', 'xw3'], stdout);
            for (const peer of ['xw2', 'xw3']) {
                const r = row(rows, 'xw1', peer);
                assert.equal(r.verdict, 'crossover', r.reason);
                assert.equal(r.localNetns, peer);
                assert.ok(r.localHash, `no hash of ${peer} itself`);
                assert.deepEqual(r.peerHashes, [r.localHash]);
            }
            assert.notEqual(row(rows, 'xw1', 'xw2').localHash, row(rows, 'xw1', 'xw3').localHash);
            // a wait that ran out would have taken WAIT_S from its first message
            assert.ok(
                atMs - waiting < (WAIT_S - 1) * 1000,
                `returned ${atMs - waiting} ms after the wait began: at the deadline, not when proven`,
            );
        } finally {
            child.kill();
            cluster?.destroy();
        }
    },
);

test('after proof, the 3 namespaces are crossover for each other', async () => {
    const r = await tipcx(['--all-netns', '-j', 'crossover', 'wait', '70']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /waiting up to 70 s for discovery frames/);
    const rows = rowsOf(r.stdout).filter((x) => x.netns.startsWith(PREFIX));
    assert.equal(rows.length, 6);
    for (const x of cluster.namespaces) {
        for (const p of cluster.namespaces.filter((n) => n !== x)) {
            const rr = row(rows, x, p);
            assert.equal(rr.verdict, 'crossover', rr.reason);
            assert.equal(rr.localNetns, p);
            assert.equal(rr.netId, 4711);
            assert.deepEqual(rr.peerHashes, [rr.localHash]);
            assert.ok(rr.lastProven);
        }
    }
    // a peer sends one hash to everyone: xo2's hash as seen in xo1 and in xo3
    assert.equal(row(rows, 'xo1', 'xo2').localHash, row(rows, 'xo3', 'xo2').localHash);
    assert.notEqual(row(rows, 'xo1', 'xo2').localHash, row(rows, 'xo1', 'xo3').localHash);
    // text: one row per pair, verdict column
    const text = await tipcx(['-n', 'xo1', 'crossover', 'wait', '0']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Namespace\s+Peer\s+Verdict/);
    assert.match(text.stdout, /^xo1\s+xo2\s+local-unproven\s+xo2\s+4711/m);
});

test('proof streams senders as they arrive and names the namespace that sends the same hash', async () => {
    // JSON: change events while the capture runs; Ctrl-C ends it early with one final event per sender
    const j = streamTipcx(['--all-netns', '-j', 'proof', 'wait', '600']);
    await capturing(j);
    for (const ns of cluster.namespaces) bounceBearer(ns);
    const events = () => j.lines.map((l) => JSON.parse(l) as ProofEvent);
    // each namespace's REQs reach the other two, and each is seen sending its own
    const proven = (list: ProofEvent[], ns: string) =>
        list.some(
            (e) =>
                e.identity === ns &&
                e.sentBy === ns &&
                cluster.namespaces.every((o) => o === ns || e.seenIn.includes(o)),
        );
    await waitFor(
        'every xo namespace streamed, seen in the other two and sent by itself',
        () =>
            !j.running() ||
            cluster.namespaces.every((ns) =>
                proven(
                    events().filter((e) => e.event !== 'final'),
                    ns,
                ),
            ),
        30_000,
    );
    assert.ok(j.running(), `the events came while the capture ran, not after it: ${j.lines.join('\n')}\n${j.stderr()}`);
    j.interrupt();
    assert.equal(await j.exit, 0, j.stderr());
    const finals = events().filter((e) => e.event === 'final');
    for (const ns of cluster.namespaces) {
        const mine = finals.filter((e) => e.identity === ns);
        assert.equal(mine.length, 1, `one final event for ${ns}: ${JSON.stringify(finals)}`);
        assert.equal(mine[0].sentBy, ns);
        assert.equal(mine[0].netId, 4711);
        assert.match(mine[0].hash, /^[0-9a-f]{8}$/);
        for (const o of cluster.namespaces.filter((x) => x !== ns))
            assert.ok(mine[0].seenIn.includes(o), `${ns} seen in ${o}`);
    }
    for (const e of finals.filter((x) => x.identity.startsWith(PREFIX) && x.sentBy)) assert.equal(e.sentBy, e.identity);

    // text: a "+" line as a sender is first seen, then, at Ctrl-C, the table
    const t = streamTipcx(['--all-netns', 'proof', 'wait', '0']);
    await capturing(t);
    assert.match(t.stderr(), /every 60 s once links are up/);
    bounceBearer('xo1');
    const xo1New = /^\+ xo1 {2}netid 4711 {2}hash [0-9a-f]{8} {2}from 02:00:00:00:12:01 {2}seen in \S+ {2}sent by \S+$/;
    await waitFor('a "+ xo1" line', () => !t.running() || t.lines.some((l) => xo1New.test(l)), 30_000);
    assert.ok(t.running(), `the line came while the capture ran, not after it: ${t.lines.join('\n')}\n${t.stderr()}`);
    // "~" lines follow as xo1's frames reach the other namespaces and its own is matched
    const xo1Complete = (l: string) => {
        const m = /^[+~] xo1 .* seen in (\S+) {2}sent by (\S+)$/.exec(l);
        return m !== null && m[1].includes('xo2') && m[1].includes('xo3') && m[2] === 'xo1';
    };
    await waitFor('xo1 seen in xo2 and xo3, sent by xo1', () => !t.running() || t.lines.some(xo1Complete), 30_000);
    t.interrupt();
    assert.equal(await t.exit, 0, t.stderr());
    const head = t.lines.findIndex((l) =>
        /^Sender +Net id +Hash +Media +Seen in +Sent by +First seen +Last seen +Frames$/.test(l),
    );
    assert.ok(head > 0, `the table follows the streamed lines: ${t.lines.join('\n')}`);
    const xo1Rows = t.lines.slice(head + 1).filter((l) => l.startsWith('xo1 '));
    assert.equal(xo1Rows.length, 1, t.lines.join('\n'));
    assert.match(xo1Rows[0], /^xo1 +4711 +[0-9a-f]{8} +02:00:00:00:12:01 +\S*xo2\S* +xo1 +/);
    assert.match(xo1Rows[0], /^\S+ +\S+ +\S+ +\S+ +\S*xo3\S* /);
    // the bounces took the links down: the tests after this one need them up
    await waitFor(
        'all links up again in xo*',
        () =>
            cluster.namespaces.every(
                (ns) => (tipc(['link', 'list'], ns).stdout.match(/: up$/gm)?.length ?? 0) === cluster.namespaces.length,
            ),
        60_000,
    );
});

test('a forged discovery frame claiming xo2 with a wrong hash yields mismatch, even arriving first', async () => {
    // a genuine frame from xo2 as received in xo1, to forge from
    let genuine: Buffer | undefined;
    const cap = LiveCapture.open([{ netns: { name: 'xo1' }, label: 'xo1' }], (f) => {
        const d = f.decoded.tipc;
        if (d.kind === 'discovery' && d.identity === 'xo2' && f.direction !== 'outgoing') genuine ??= f.bytes;
    });
    try {
        // xo2 only sends when its timer fires (up to 60 s apart): provoke a fresh REQ by re-enabling its bearer
        tipc(['bearer', 'disable', 'media', 'eth', 'device', 'eth0'], 'xo2');
        tipc(['bearer', 'enable', 'media', 'eth', 'device', 'eth0'], 'xo2');
        await waitFor(
            'a discovery frame from xo2 in xo1',
            () => {
                cap.drain();
                return genuine !== undefined;
            },
            30_000,
        );
    } finally {
        cap.close();
    }
    await waitFor('xo2 up again in xo1', () => /^xo2\s+\S+\s+up$/m.test(tipc(['node', 'list'], 'xo1').stdout), 30_000);
    const forged = Buffer.from(genuine!);
    const hashAt = 14 + 52;
    forged.writeUInt32BE((forged.readUInt32BE(hashAt) ^ 0x5a5a5a5a) >>> 0, hashAt);
    // injected from the bridge side of xo1's veth: arrives in xo1 before any new genuine frame
    injectFrame(undefined, 'v-xo1', forged);
    const timer = setInterval(() => injectFrame(undefined, 'v-xo1', forged), 300);
    try {
        const r = await tipcx(['-n', 'xo1', '-j', 'crossover', 'wait', '70']);
        assert.equal(r.code, 0, r.stderr);
        const rr = row(rowsOf(r.stdout), 'xo1', 'xo2');
        assert.equal(rr.verdict, 'mismatch', rr.reason);
        assert.ok(rr.peerHashes.includes((forged.readUInt32BE(hashAt) >>> 0).toString(16).padStart(8, '0')));
        assert.match(rr.reason, /possible spoof/);
    } finally {
        clearInterval(timer);
    }
    // xo3 was not forged to: still crossover or unproven, never mismatch
    const other = await tipcx(['-n', 'xo3', '-j', 'crossover', 'wait', '0']);
    assert.notEqual(row(rowsOf(other.stdout), 'xo3', 'xo2').verdict, 'mismatch');
});

test('a pcap recorded in the lab decodes to the exact values the live decoder saw', async () => {
    const recorded: LiveFrame[] = [];
    const cap = LiveCapture.open(
        cluster.namespaces.map((n) => ({ netns: { name: n }, label: n })),
        (f) => {
            if (f.decoded.tipc.kind === 'discovery') recorded.push(f);
        },
    );
    try {
        tipc(['bearer', 'disable', 'media', 'eth', 'device', 'eth0'], 'xo3');
        tipc(['bearer', 'enable', 'media', 'eth', 'device', 'eth0'], 'xo3');
        await waitFor(
            'discovery frames of xo3 seen in two namespaces',
            () => {
                cap.drain();
                return (
                    new Set(
                        recorded
                            .filter((f) => (f.decoded.tipc as DiscoveryFrame).identity === 'xo3')
                            .map((f) => f.netns),
                    ).size >= 2
                );
            },
            30_000,
        );
    } finally {
        cap.close();
    }
    const pcap = writePcap(
        1,
        recorded.map((f) => ({ timeMs: f.timeMs, data: f.bytes })),
    );
    const decoded = readCapture(pcap).map((p) => decodeLinkFrame(p.linkType, p.data));
    const live = recorded.map((f) => ({
        ...f.decoded,
        encapsulation: { ...f.decoded.encapsulation, direction: undefined },
    }));
    assert.deepEqual(JSON.parse(JSON.stringify(decoded)), JSON.parse(JSON.stringify(live)));
    const xo3 = decoded.map((d) => d.tipc as DiscoveryFrame).find((d) => d.identity === 'xo3')!;
    assert.equal(xo3.netId, 4711);
    assert.equal(xo3.media.mac, '02:00:00:00:12:03');
    assert.equal(xo3.capabilities & 0x20, 0x20);
    // npm test makes build/lab-out writable: keep the recording for the unit fixture
    const out = join(process.cwd(), 'build', 'lab-out');
    try {
        mkdirSync(out, { recursive: true });
        writeFileSync(join(out, 'discovery-lab.pcap'), pcap);
        writeFileSync(join(out, 'discovery-lab.json'), `${JSON.stringify(decoded, null, 2)}\n`);
    } catch {
        // read-only outside npm test: the assertions above are what counts
    }
});

type ProofEvent = SenderProof & { event: 'new' | 'updated' | 'final' };

interface Streaming {
    /** Complete stdout lines so far. */
    readonly lines: string[];
    stderr(): string;
    running(): boolean;
    /** Ctrl-C, as a user ends a capture. */
    interrupt(): void;
    readonly exit: Promise<number | null>;
}

/** tipcx as a process of its own: what it writes can be read while it runs (tipcx() answers at the end). */
function streamTipcx(args: string[]): Streaming {
    const child = spawn(installedTipcx, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
    });
    const lines: string[] = [];
    let partial = '';
    let stderr = '';
    let running = true;
    child.stdout.on('data', (d: Buffer) => {
        const parts = (partial + d.toString()).split('\n');
        partial = parts.pop()!;
        lines.push(...parts);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => (stderr += `${e.message}\n`));
    const exit = new Promise<number | null>((resolve) =>
        child.on('close', (code) => {
            running = false;
            if (partial) lines.push(partial);
            resolve(code);
        }),
    );
    return { lines, stderr: () => stderr, running: () => running, interrupt: () => child.kill('SIGINT'), exit };
}

/** proof says on stderr once its packet sockets are open. */
async function capturing(p: Streaming): Promise<void> {
    await waitFor(
        'proof to start capturing',
        () => !p.running() || p.stderr().includes('capturing discovery frames on '),
        60_000,
    );
    assert.ok(p.running(), `proof ended before capturing: ${p.stderr()}`);
}

/** A re-enabled bearer sends discovery REQs at once (once links are up, they are up to 60 s apart). */
function bounceBearer(ns: string): void {
    tipcOk(['bearer', 'disable', 'media', 'eth', 'device', 'eth0'], ns);
    tipcOk(['bearer', 'enable', 'media', 'eth', 'device', 'eth0'], ns);
}
