// Faults on the real kernel: namespaces deleted under --all-netns, rmmod tipc
// under `tipcx top` (refused while its topology events hold the module; with
// polled-events, unloaded and loaded again), `tipcx events` started without the
// module, a kernel that does not answer, and a user who is not root.
// Names start with "flt". This file reloads the tipc module, which wipes every
// namespace's TIPC state: test/run-all.ts runs it last in its lab kernel.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportCount } from '../suite-count.js';
import { LINK_EVENTS_ACTIVE } from '../../src/top/sampler.js';
import { matching, startEvents } from './events.js';
import { assertInLab, installedTipcx as bin, makeCluster, run, tipcOk, waitFor, type Cluster } from './lab.js';
import { startNdjson } from './ndjson.js';

let cluster: Cluster | undefined;

/** The lab kernel's modules are at /lib/modules/RELEASE (src/uml/init-script.ts): modprobe finds them. */
function loadTipc(): void {
    // net/tipc/diag.ko (sock_diag for TIPC) is called just "diag" in lsmod, and holds tipc
    for (const module of ['tipc', 'diag']) {
        if (!existsSync(`/sys/module/${module}`)) assert.equal(run(['modprobe', module]).code, 0, `modprobe ${module}`);
    }
}

before(async () => {
    assertInLab();
    cluster = await makeCluster(2, 'flt');
});

after(() => {
    loadTipc();
    cluster?.destroy();
});

test('namespaces deleted while --all-netns reads them: left out with a note, exit 0, valid JSON', async (t) => {
    reportCount(t, 'fault scenarios', 1);
    const names = Array.from({ length: 40 }, (_, i) => `fltgone${String(i + 1).padStart(2, '0')}`);
    for (const n of names) assert.equal(run(['ip', 'netns', 'add', n]).code, 0);
    // strace stops the reader (SIGSTOP) right after its first setns(2): by then it
    // has listed the namespaces, sorted (listNamedNetns, src/netlink/netns.ts), and
    // entered the first named one, flt1 at the latest; every fltgone* is listed and
    // not opened yet. They are deleted while it stands still: each one vanishes under it.
    const trace = join(tmpdir(), `fltgone-${process.pid}.strace`);
    rmSync(trace, { force: true });
    const reader = spawn(
        'strace',
        [
            '-f',
            '-qq',
            '-o',
            trace,
            '-e',
            'trace=setns',
            '-e',
            'signal=SIGSTOP',
            '-e',
            'inject=setns:signal=SIGSTOP:when=1',
            bin,
            '--all-netns',
            '-j',
            'link',
            'list',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    reader.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    reader.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = new Promise<number | null>((resolve) => reader.on('exit', (c) => resolve(c)));
    let stopped: number | undefined;
    try {
        await waitFor(
            'the reader stopped after its first setns',
            () => {
                const traced = existsSync(trace) ? readFileSync(trace, 'utf8') : '';
                const m = /^(\d+) +--- SIGSTOP /m.exec(traced);
                if (m && traced.includes('--- stopped by SIGSTOP ---')) stopped = Number(m[1]);
                return stopped !== undefined || reader.exitCode !== null;
            },
            60_000,
        );
        assert.ok(stopped !== undefined, `the reader ended without reaching a setns: ${stderr}`);
        for (const n of names) assert.equal(run(['ip', 'netns', 'del', n]).code, 0, `ip netns del ${n}`);
        process.kill(stopped, 'SIGCONT');
        assert.equal(await code, 0, stderr);
    } finally {
        if (reader.exitCode === null) reader.kill('SIGKILL');
        if (stopped !== undefined && reader.exitCode === null) process.kill(stopped, 'SIGKILL');
        for (const n of names) run(['ip', 'netns', 'del', n]);
    }
    const records = JSON.parse(stdout) as { netns: string; name: string; up: boolean }[];
    assert.deepEqual(
        records.filter((r) => r.netns === 'flt1').map((r) => [r.name, r.up]),
        [
            ['broadcast-link', true],
            ['flt1:eth0-flt2:eth0', true],
        ],
        'the namespaces that stayed are read',
    );
    assert.ok(
        records.some((r) => r.netns === 'flt2'),
        'so is the one after the stop',
    );
    assert.deepEqual(
        records.filter((r) => r.netns.startsWith('fltgone')),
        [],
    );
    assert.deepEqual(
        stderr.split('\n').filter(Boolean),
        names.map((n) => `netns ${n}: gone while tipcx read the namespaces; left out`),
    );
    t.diagnostic(`deleted while reading: ${names.length} left out, ${new Set(records.map((r) => r.netns)).size} read`);
});

interface TopLine {
    seq: number;
    moduleLoaded: boolean;
    links: { namespace: string | null; name: string }[];
    events: { kind: string; namespace: string | null; link: string | null; message: string }[];
}

const LINK = 'flt1:eth0-flt2:eth0';
const logOf = (lines: TopLine[]) => lines.flatMap((l) => l.events);
const topologyEventsRead = (lines: TopLine[]) =>
    logOf(lines).some((e) => e.kind === 'info' && e.message === LINK_EVENTS_ACTIVE);
const consecutive = (lines: TopLine[]) => lines.every((l, i) => i === 0 || l.seq === lines[i - 1].seq + 1);

/** rmmod, retried while sockets still closing (a verdict probe's, a stream's) hold the module for a moment. */
async function unloadTipc(): Promise<void> {
    if (existsSync('/sys/module/diag')) assert.equal(run(['rmmod', 'diag']).code, 0, 'rmmod diag (TIPC sock_diag)');
    let refused = '';
    await waitFor(
        'rmmod tipc to succeed',
        () => {
            const r = run(['rmmod', 'tipc']);
            refused = r.stderr.trim();
            return r.code === 0;
        },
        30_000,
    ).catch((e: Error) => {
        throw new Error(`${e.message}: ${refused}`);
    });
}

/** The reload wiped the namespaces' TIPC state: set the nodes up again, as makeCluster did. */
function setUpNodesAgain(): void {
    for (const ns of cluster!.namespaces) {
        tipcOk(['node', 'set', 'identity', ns], ns);
        tipcOk(['bearer', 'enable', 'media', 'eth', 'device', 'eth0'], ns);
    }
}

test('rmmod tipc under top: refused, the topology events hold the module; top runs on and still logs a link down and up', async (t) => {
    reportCount(t, 'fault scenarios', 1);
    const top = startNdjson<TopLine>(['--all-netns', '-j', 'top', 'interval', '0.5', 'count', '400']);
    try {
        await top.until(
            'top to list the flt1 link and read topology events',
            (ls) =>
                topologyEventsRead(ls) &&
                ls.some((l) => l.links.some((k) => k.namespace === 'flt1' && k.name === LINK)),
            120_000,
        );
        // the TIPC sock_diag module holds tipc too: out, so that only top can
        if (existsSync('/sys/module/diag')) assert.equal(run(['rmmod', 'diag']).code, 0, 'rmmod diag');
        const r = run(['rmmod', 'tipc']);
        loadTipc();
        assert.notEqual(r.code, 0, 'rmmod tipc succeeded under top');
        assert.match(r.stderr, /Module tipc is in use/);

        const before = top.records.length;
        tipcOk(['bearer', 'disable', 'media', 'eth', 'device', 'eth0'], 'flt1');
        tipcOk(['bearer', 'enable', 'media', 'eth', 'device', 'eth0'], 'flt1');
        await top.until(
            'link-down then link-up of the flt1 link in the log',
            (ls) =>
                logOf(ls.slice(before))
                    .filter((e) => e.namespace === 'flt1' && e.link === LINK && /^link-(down|up)$/.test(e.kind))
                    .map((e) => e.kind)
                    .join(' ') === 'link-down link-up',
            60_000,
        );
        assert.ok(consecutive(top.records), 'no sample was skipped');
        assert.ok(top.records.every((l) => l.moduleLoaded));
    } finally {
        const code = await top.stop();
        assert.ok(code === 0 || code === 130, `top exited ${code}: ${top.stderr()}`);
    }
    assert.equal(top.stderr(), '', 'top wrote no errors');
    await waitFor('flt1 and flt2 linked again', () => tipcOk(['link', 'list'], 'flt1').includes(`${LINK}: up`), 60_000);
});

test('rmmod tipc under top polled-events: the module goes, comes back, and top samples on', async (t) => {
    reportCount(t, 'fault scenarios', 1);
    const top = startNdjson<TopLine>(['--all-netns', '-j', 'top', 'interval', '0.5', 'count', '400', 'polled-events']);
    const events = () => logOf(top.records);
    try {
        await top.until(
            'top to list the flt1 links',
            (ls) => ls.some((l) => l.links.some((k) => k.namespace === 'flt1' && k.name !== 'broadcast-link')),
            120_000,
        );
        await unloadTipc();
        await top.until('the module-gone event', () => events().some((e) => e.kind === 'module-gone'), 30_000);
        const gone = top.records.at(-1)!;
        assert.equal(gone.moduleLoaded, false);
        assert.equal(gone.links.length, 0, 'no links are shown while the module is away');

        loadTipc();
        await top.until('the module-back event', () => events().some((e) => e.kind === 'module-back'), 30_000);
        const back = top.records.length;
        await top.until('two more samples after the module came back', (ls) => ls.length >= back + 2, 30_000);
        // The reload may have renumbered the genl family (tipcx keeps family ids
        // per module load): see the link through the monitor's sessions.
        setUpNodesAgain();
        await top.until(
            'the flt1 link through top after the reload',
            (ls) => ls.slice(back).some((l) => l.links.some((k) => k.namespace === 'flt1' && k.name === LINK)),
            60_000,
        );
        assert.ok(consecutive(top.records), 'no sample was skipped');
        assert.ok(!topologyEventsRead(top.records), 'polled-events read no topology events');
        assert.equal(top.child.exitCode, null, `top is still running (stderr: ${top.stderr()})`);
    } finally {
        const code = await top.stop();
        assert.ok(code === 0 || code === 130, `top exited ${code}: ${top.stderr()}`);
    }
    assert.equal(top.stderr(), '', 'top wrote no errors: what went wrong became events');
});

test('tipcx events started without the tipc module: says so on stderr, waits, and streams once it is loaded', async (t) => {
    reportCount(t, 'fault scenarios', 1);
    await waitFor('flt1 and flt2 linked', () => tipcOk(['link', 'list'], 'flt1').includes(`${LINK}: up`), 60_000);
    await unloadTipc();
    // {1, 1} is the topology server's own binding: its snapshot event says the stream has connected
    const s = startEvents(['-n', 'flt1', '-j', 'events', 'link', 'service', '1:1']);
    try {
        await waitFor(
            'the waiting line on stderr',
            () => {
                if (s.child.exitCode !== null) throw new Error(`events exited ${s.child.exitCode}: ${s.stderr()}`);
                return s.stderr().includes('\n');
            },
            60_000,
        );
        assert.match(
            s.stderr(),
            /^tipcx events: the tipc module is not loaded; waiting for it [^\n]*modprobe tipc[^\n]*\n$/,
        );
        assert.ok(!existsSync('/sys/module/tipc'), 'waiting did not load the module');
        assert.deepEqual(s.records, [], 'nothing on stdout while waiting');

        loadTipc();
        await s.until('the snapshot once the module is loaded', (rs) =>
            rs.some(matching({ netns: 'flt1', kind: 'service', type: 1, origin: 'state' })),
        );
        setUpNodesAgain();
        await s.until(
            'the flt1 link up, as a change',
            (rs) => rs.some(matching({ kind: 'link', origin: 'new', event: 'up', name: LINK })),
            60_000,
        );
    } finally {
        const code = await s.stop();
        assert.ok(code === 0 || code === 130, `events exited ${code}: ${s.stderr()}`);
    }
    assert.equal(s.stderr().split('\n').filter(Boolean).length, 1, `one line on stderr: ${s.stderr()}`);
    t.diagnostic(`${s.records.length} events after the module was loaded`);
});

test('a kernel that never answers: exit 1 and one sentence after the timeout, not a hang', (t) => {
    reportCount(t, 'fault scenarios', 1);
    // strace makes every recvmsg(2) fail with EAGAIN: the requests go out, no reply ever comes in.
    const started = Date.now();
    const r = spawnSync(
        'strace',
        ['-f', '-qq', '-o', '/dev/null', '-e', 'inject=recvmsg:error=EAGAIN', bin, 'node', 'list'],
        { encoding: 'utf8', timeout: 120_000 },
    );
    const took = Date.now() - started;
    assert.equal(r.status, 1, `exit ${r.status}, stderr: ${r.stderr}`);
    const errLines = r.stderr.trim().split('\n');
    assert.equal(errLines.length, 1, r.stderr);
    assert.match(errLines[0], /the kernel did not answer within 5000 ms/);
    assert.equal(r.stdout, '');
    assert.ok(took < 100_000, `gave up after ${took} ms`);
});

// Only entering a namespace needs privilege: Linux 6.1's TIPCv2 netlink
// commands carry no GENL_ADMIN_PERM, so an unprivileged user may even change
// TIPC state in its own namespace (fixed upstream later); nothing to test there.
test('not root: -n is refused with a sentence naming the namespace and what it needs, exit 3', (t) => {
    reportCount(t, 'fault scenarios', 1);
    const nobody = (args: string[]) =>
        spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', bin, ...args], {
            encoding: 'utf8',
            env: { PATH: process.env.PATH, NO_COLOR: '1' },
        });
    const enter = nobody(['-n', 'flt1', 'node', 'list']);
    assert.equal(enter.status, 3, enter.stderr);
    assert.match(enter.stderr.trim(), /^[^\n]*"flt1"[^\n]*needs root \(CAP_SYS_ADMIN\)$/);
    assert.equal(enter.stdout, '');
});
