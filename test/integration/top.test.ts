// tipcx top against the real kernel: NDJSON with python3 traffic flowing, and
// the interactive UI in a real terminal (tmux). Names start with "topx".
//
// Which traffic moves link counters (checked in the lab VM): RDM data from
// topx1 to a service bound in topx2 takes the netns crossover path and leaves
// the link at its keepalive count; name-table distribution never does, and
// with the broadcast mode set to REPLICAST it goes over each unicast link. So
// the sender also binds and closes sockets in a loop: that is the "busy link"
// whose rates top must show.
// The last test flaps a bearer: top's log of links up and down comes from the
// kernel's topology events, or with polled-events from comparing samples.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { reportCount } from '../suite-count.js';
import { LINK_EVENTS_ACTIVE } from '../../src/top/sampler.js';
import { assertInLab, installedTipcx, makeCluster, run, sh, tipcOk, tipcx, waitFor, type Cluster } from './lab.js';
import { startNdjson } from './ndjson.js';
import { Terminal } from './terminal.js';

const BUSY = 'topx1:eth0-topx2:eth0';
let cluster: Cluster | undefined;
const traffic: ChildProcess[] = [];

const RECEIVER = `
import socket
s = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
s.bind((socket.TIPC_ADDR_NAMESEQ, 1000, 1, 10))
while True:
    s.recv(70000)
`;
const SENDER = `
import socket, time
s = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
n = 0
while True:
    try:
        s.sendto(b'x' * 1000, (socket.TIPC_ADDR_NAME, 1000, 5, 0))
    except OSError:
        pass
    t = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
    t.bind((socket.TIPC_ADDR_NAMESEQ, 2000 + n % 50, n, n))
    t.close()
    n += 1
    # ~100 publications a second: plenty for the counters, light on the VM's two emulated cores
    time.sleep(0.01)
`;

before(async () => {
    assertInLab();
    cluster = await makeCluster(2, 'topx');
    for (const ns of cluster.namespaces) tipcOk(['link', 'set', 'broadcast', 'REPLICAST'], ns);
    writeFileSync('/tmp/topx-recv.py', RECEIVER);
    writeFileSync('/tmp/topx-send.py', SENDER);
    traffic.push(spawn('ip', ['netns', 'exec', 'topx2', 'python3', '/tmp/topx-recv.py'], { stdio: 'ignore' }));
    await new Promise((r) => setTimeout(r, 500));
    traffic.push(spawn('ip', ['netns', 'exec', 'topx1', 'python3', '/tmp/topx-send.py'], { stdio: 'ignore' }));
});

after(() => {
    for (const p of traffic) p.kill('SIGKILL');
    run(['tmux', '-L', 'topx', 'kill-server']);
    run(['ip', 'netns', 'del', 'topxgone']);
    cluster?.destroy();
});

interface NdjsonLink {
    namespace: string | null;
    name: string;
    state: string;
    verdict: string;
    note: string | null;
    rates: Record<string, { s2: number; s10: number; s40: number }>;
    queue: { max: number; avg: number };
    stats: Record<string, number> | null;
}

test('NDJSON: one sample per interval, count stops it, the busy link has non-zero rates', async () => {
    const started = Date.now();
    const r = await tipcx(['--all-netns', '-j', 'top', 'count', '3', 'interval', '0.5']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 3);
    const samples = lines.map(
        (l) =>
            JSON.parse(l) as {
                seq: number;
                links: NdjsonLink[];
                namespaces: { namespace: string }[];
                totals: { tx: number };
            },
    );
    assert.ok(Date.now() - started >= 1500, 'three samples take three intervals');
    assert.ok(samples.every((s, i) => i === 0 || s.seq === samples[i - 1].seq + 1));
    const last = samples.at(-1)!;
    assert.ok(
        last.namespaces.some((n) => n.namespace === 'topx1') && last.namespaces.some((n) => n.namespace === 'topx2'),
    );
    const busy = last.links.find((l) => l.namespace === 'topx1' && l.name === BUSY);
    assert.ok(busy, `no ${BUSY} in ${JSON.stringify(last.links.map((l) => `${l.namespace}/${l.name}`))}`);
    assert.equal(busy.state, 'active');
    assert.ok(busy.rates.tx.s2 > 10, `TX rate of the busy link: ${busy.rates.tx.s2}/s`);
    const receiving = last.links.find((l) => l.namespace === 'topx2' && l.name === 'topx2:eth0-topx1:eth0')!;
    assert.ok(receiving.rates.rx.s2 > 10, `RX rate at the other end: ${receiving.rates.rx.s2}/s`);
    assert.ok(last.totals.tx > 10);
    // Whatever decides the verdict, a crossover row must explain its flat counters.
    for (const l of last.links)
        if (l.verdict === 'crossover') assert.match(l.note ?? '', /bypasses the link.*counters stay flat/);
    // only the counters top shows are read: no full block unless asked
    assert.ok(
        last.links.every((l) => l.stats === null),
        'stats is null without all-counters',
    );
});

test('NDJSON with all-counters: every link carries the 33 counters, the same the table columns come from', async () => {
    const r = await tipcx(['--all-netns', '-j', 'top', 'all-counters', 'count', '1', 'interval', '0.5']);
    assert.equal(r.code, 0, r.stderr);
    const sample = JSON.parse(r.stdout) as { links: NdjsonLink[] };
    const busy = sample.links.find((l) => l.namespace === 'topx1' && l.name === BUSY);
    assert.ok(busy?.stats, `no statistics block for ${BUSY}: ${r.stdout.slice(0, 300)}`);
    assert.equal(Object.keys(busy.stats).length, 33);
    for (const l of sample.links) {
        assert.ok(l.stats, `${l.namespace}/${l.name} has no statistics block`);
        assert.equal(l.queue.max, l.stats.maxQueue);
        assert.equal(l.queue.avg, l.stats.avgQueue);
    }
});

test('NDJSON: the crossover verdicts of two local namespaces arrive, with the peer address and the note', async () => {
    // The verdict source loads in the background; poll samples until it has spoken.
    const r = await tipcx(['--all-netns', '-j', 'top', 'count', '30', 'interval', '0.5']);
    assert.equal(r.code, 0, r.stderr);
    const samples = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { links: (NdjsonLink & { peerAddress: number | null })[] });
    const decided = samples.find((s) =>
        s.links.some((l) => l.namespace === 'topx1' && l.name === BUSY && l.verdict !== 'unknown'),
    );
    assert.ok(decided, `no verdict for ${BUSY} in ${samples.length} samples`);
    const busy = decided.links.find((l) => l.namespace === 'topx1' && l.name === BUSY)!;
    assert.equal(busy.verdict, 'crossover');
    assert.match(busy.note ?? '', /bypasses the link.*counters stay flat/);
    const node = run(['ip', 'netns', 'exec', 'topx1', 'tipc', 'node', 'list']).stdout;
    const hash = /^topx2\s+([0-9a-f]{8})\s/m.exec(node)?.[1];
    assert.ok(hash, node);
    assert.equal(busy.peerAddress, Number.parseInt(hash, 16), 'the peer address is the hash node list shows for topx2');
});

// ------------------------------------------------------------------ tmux

const tmux = (...args: string[]): string => {
    const r = run(['tmux', '-L', 'topx', ...args]);
    if (r.code !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
};
const pane = (): string => tmux('capture-pane', '-p', '-t', 'topx');
const keys = (...k: string[]): string => tmux('send-keys', '-t', 'topx', ...k);

/** waitFor, with the pane in the error: a failed terminal test must show what was on screen. */
async function waitForPane(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
    try {
        await waitFor(what, check, timeoutMs);
    } catch (err) {
        // what was running and how loaded the VM was: an empty pane alone tells nothing
        const ps = run(['ps', '-eo', 'pid,stat,etime,time,rss,args', '--sort=-time'])
            .stdout.split('\n')
            .slice(0, 12)
            .join('\n');
        const state = `load ${run(['cat', '/proc/loadavg']).stdout.trim()}; netns: ${run(['ip', 'netns', 'list']).stdout.split('\n').length - 1}\n${ps}`;
        throw new Error(`${(err as Error).message}; the pane shows:\n${pane()}\n${state}`, { cause: err });
    }
}

/** The TX/s cell of `link`'s row, read under the header's TX/s column. */
function txCell(screen: string, link: string): string | undefined {
    const lines = screen.split('\n');
    const header = lines.find((l) => /LINK/.test(l) && /TX\/s/.test(l));
    const row = lines.find((l) => /^(> |\| | {2})/.test(l) && l.includes(link) && !/ rx /.test(l));
    if (!header || !row) return undefined;
    const end = header.indexOf('TX/s') + 4;
    return row.slice(end - 6, end).trim();
}

test('real terminal: rates, htop keys, a namespace deleted mid-run, F10 leaves the terminal as it was', async (t) => {
    reportCount(t, 'fault scenarios', 1); // the namespace deleted under it
    sh('ip netns add topxgone');
    tmux('new-session', '-d', '-s', 'topx', '-x', '170', '-y', '45', 'bash --norc --noprofile');
    keys('clear; echo BEFORE-TOP-MARKER', 'Enter');
    await waitForPane('the shell', () => pane().includes('BEFORE-TOP-MARKER\n'));
    // CI set (even empty) once made ink draw nothing until exit: a terminal in a CI job must work too
    keys(`CI= ${installedTipcx} top --all-netns interval 0.5`, 'Enter');

    // rates of the busy link (the first sample after start-up has none yet)
    await waitForPane(
        `a non-zero TX rate on ${BUSY}`,
        () => {
            const cell = txCell(pane(), BUSY);
            return cell !== undefined && cell !== '0' && cell !== '';
        },
        120_000,
    ); // the first rates need two samples, after node and ink have started on a loaded host
    assert.equal(
        tmux('display', '-p', '-t', 'topx', '#{alternate_on}').trim(),
        '1',
        'top runs on the alternate screen',
    );
    await waitForPane(
        `the crossover verdict on ${BUSY}`,
        () =>
            pane()
                .split('\n')
                .some((l) => /^(> |\| | {2})topx1\s/.test(l) && l.includes(BUSY) && l.includes('bypass*')),
        60_000,
    );
    let screen = pane();
    assert.match(screen, /tipcx top/);
    assert.match(screen, /interval 0\.5s/);
    assert.ok(!screen.includes('BEFORE-TOP-MARKER'), 'the shell is hidden behind the alternate screen');

    // filter (F4, as in htop): only topx1's links
    keys('F4');
    await waitForPane('the filter prompt', () => pane().includes('filter (regex'));
    keys('-l', '^topx1 ');
    keys('Enter');
    await waitForPane(
        'the filter applied',
        () => /filter \^topx1/.test(pane()) && !pane().includes('topx2:eth0-topx1:eth0'),
    );
    assert.ok(pane().includes(BUSY));

    // sort: the next column after LINK is NS; F6 opens the sort menu, where Right moves on to PEER
    keys('>');
    await waitForPane('sort by NS', () => /sort NS/.test(pane()));
    keys('F6');
    await waitForPane('the sort menu', () => /sort by .*\[ns\]/.test(pane()));
    keys('Right');
    await waitForPane('peer marked', () => /sort by .*\[peer\]/.test(pane()));
    keys('Enter');
    await waitForPane('sort by PEER', () => /sort PEER/.test(pane()) && !/sort by /.test(pane()));

    // search (F3): the busy link selected as its name is typed
    keys('F3');
    await waitForPane('the search prompt', () => /search \(F3/.test(pane()));
    keys('-l', 'eth0-topx2');
    await waitForPane('the busy link selected', () =>
        pane()
            .split('\n')
            .some((l) => l.startsWith('> ') && l.includes(BUSY)),
    );
    keys('Enter');
    await waitForPane('the search closed', () => !/search \(F3/.test(pane()));

    // pause: the display freezes, the clock in the status line does not move
    keys('Space');
    await waitForPane('PAUSED', () => pane().includes('PAUSED'));
    keys('Space');
    await waitForPane('resumed', () => !pane().includes('PAUSED'));

    // help overlay from the key table (F1, h or ?), closed by any key
    for (const help of ['F1', 'h']) {
        keys(help);
        await waitForPane('the help overlay', () => pane().includes('press any key to close'));
        for (const binding of ['F1  h  ?', 'F3  /', 'F4  \\', 'F6', 'q  F10'])
            assert.ok(pane().includes(binding), `the help lists ${binding}`);
        assert.match(pane(), /filter links by regex/);
        keys('x');
        await waitForPane('help closed', () => !pane().includes('press any key to close'));
    }

    // detail pane of the busy link: the last row under the filter (G), after broadcast-link
    keys('G');
    await waitForPane('the busy link selected', () =>
        pane()
            .split('\n')
            .some((l) => l.startsWith('> ') && l.includes(BUSY)),
    );
    keys('Enter');
    await waitForPane(
        'the detail pane',
        () => /Link <topx1:/.test(pane()) && /rates\/s over 2\/10\/40 samples/.test(pane()),
    );
    keys('Escape');

    // a namespace deleted mid-run: an event, and the monitor keeps sampling
    sh('ip netns del topxgone');
    await waitForPane('the deletion event', () => pane().includes('namespace topxgone was deleted'));
    const clock = (): string | undefined => /interval 0\.5s {2}(\d\d:\d\d:\d\d)/.exec(pane())?.[1];
    const first = clock();
    await waitForPane('the clock to move on', () => clock() !== undefined && clock() !== first, 10_000);
    screen = pane();
    assert.ok(txCell(screen, BUSY) !== undefined, 'the busy link is still listed');

    // F10 (q in the unit tests): back to the shell exactly as it was
    keys('F10');
    await waitForPane('the shell again', () => pane().includes('BEFORE-TOP-MARKER'), 20_000);
    await waitForPane(
        'top to exit',
        () => tmux('display', '-p', '-t', 'topx', '#{pane_current_command}').trim() === 'bash',
        20_000,
    );
    screen = pane();
    assert.equal(tmux('display', '-p', '-t', 'topx', '#{alternate_on}').trim(), '0', 'the alternate screen was left');
    // the typed command line stays, of course; the monitor's header and status line do not
    assert.ok(
        !/tipcx top {2}\d+ ns/.test(screen) && !/interval 0\.5s {2}\d/.test(screen),
        'nothing of the monitor is left on the screen',
    );
    assert.match(screen, /BEFORE-TOP-MARKER/);
    assert.equal(tmux('display', '-p', '-t', 'topx', '#{cursor_flag}').trim(), '1', 'the cursor is visible again');
});

interface TopLine {
    seq: number;
    links: { name: string }[];
    events: { kind: string; link: string | null; message: string }[];
}

test("the log's link down and up come from the kernel's topology events, in NDJSON and on a terminal; polled-events compares samples; SIGTERM ends it", async () => {
    // Disabling topx2's bearer deletes the link there at once: compared samples
    // can only see it removed (link-gone) and back (link-new, then link-up if
    // a sample caught it still coming up); link-down is what the topology
    // events say.
    const LINK = 'topx2:eth0-topx1:eth0';
    const fromEvents = startNdjson<TopLine>(['-n', 'topx2', '-j', 'top', 'interval', '0.5']);
    const polled = startNdjson<TopLine>(['-n', 'topx2', '-j', 'top', 'interval', '0.5', 'polled-events']);
    // exec: the pane's process is top itself, for the SIGTERM at the end
    const terminal = Terminal.start('topxev', `CI= exec ${installedTipcx} -n topx2 top interval 0.5`, {
        columns: 160,
        rows: 40,
    });
    const logged = (lines: TopLine[]) => lines.flatMap((l) => l.events);
    const kindsOf = (lines: TopLine[]) =>
        logged(lines)
            .filter((e) => e.link === LINK)
            .map((e) => e.kind);
    // the event pane shows the last few entries only: remember every one that was on screen
    const onScreen = new Set<string>();
    const screenShows = (text: string) => (screen: string) => {
        for (const line of screen.split('\n')) if (line.includes(LINK)) onScreen.add(line.trim());
        return [...onScreen].some((l) => l.endsWith(text));
    };
    try {
        await fromEvents.until(
            'the topology events read',
            (ls) => logged(ls).some((e) => e.kind === 'info' && e.message === LINK_EVENTS_ACTIVE),
            120_000,
        );
        await polled.until(
            'a sample with the link',
            (ls) => ls.some((l) => l.links.some((k) => k.name === LINK)),
            120_000,
        );
        await terminal.waitFor('the topology events read, on screen', (s) => s.includes(LINK_EVENTS_ACTIVE), 120_000);

        tipcOk(['bearer', 'disable', 'media', 'eth', 'device', 'eth0'], 'topx2');
        await fromEvents.until('link-down', (ls) => kindsOf(ls).includes('link-down'));
        await polled.until('link-gone', (ls) => kindsOf(ls).includes('link-gone'));
        await terminal.waitFor('the link down on screen', screenShows(`link ${LINK} went down`));
        tipcOk(['bearer', 'enable', 'media', 'eth', 'device', 'eth0'], 'topx2');
        await fromEvents.until('link-up', (ls) => kindsOf(ls).includes('link-up'), 60_000);
        await polled.until('link-new', (ls) => kindsOf(ls).includes('link-new'), 60_000);
        await terminal.waitFor('the link up on screen', screenShows(`link ${LINK} came up`), 60_000);

        assert.deepEqual(
            kindsOf(fromEvents.records).filter((k) => k === 'link-down' || k === 'link-up'),
            ['link-down', 'link-up'],
            'one down and one up, in that order, from the events',
        );
        const sampled = kindsOf(polled.records);
        assert.ok(
            sampled.includes('link-gone') && sampled.includes('link-new') && !sampled.includes('link-down'),
            `compared samples see the deleted link removed and back, never down: ${sampled.join(' ')}`,
        );
        assert.ok(
            !logged(polled.records).some((e) => e.message === LINK_EVENTS_ACTIVE),
            'polled-events reads no topology events',
        );

        // The UI leaves with process.exit() on SIGTERM; Node's exit joins libuv's threads, and a
        // topology poll nobody woke kept top alive for 40 s and more (src/netlink/poll.ts).
        const pid = Number(terminal.tmux('display', '-p', '-t', 'main', '#{pane_pid}').trim());
        const alive = () => {
            try {
                process.kill(pid, 0);
                return true;
            } catch {
                return false;
            }
        };
        assert.ok(alive(), `top runs in the pane (pid ${pid})`);
        process.kill(pid, 'SIGTERM');
        await waitFor('top to end on SIGTERM', () => !alive(), 20_000);
    } finally {
        terminal.kill();
        await Promise.all([fromEvents.stop(), polled.stop()]);
        await waitFor(
            'the busy link up again',
            () => tipcOk(['link', 'list'], 'topx1').includes(`${BUSY}: up`),
            60_000,
        );
    }
    assert.equal(fromEvents.stderr(), '');
    assert.equal(polled.stderr(), '');
});
