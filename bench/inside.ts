// The lab ground of `npm run bench`, run inside a lab kernel (bench/run.ts
// boots it): the installed tipcx (on PATH) against iproute2's `tipc` on the
// same kernel state, each figure a comparison of commands timed in the same
// phase, interleaved. Writes its measurements as JSON to argv[2].
//   phase A, a 3-namespace cluster: cold start; name tables of 100 and 10,000
//            node-scope publications (the marginal cost per row);
//   phase B, lab up nodes 64 against bench/lab-up-iproute2.sh, alternately;
//            the last tipcx cluster stays up;
//   phase C, both clusters: link statistics of 2 against 63 unicast links;
//   phase D, the 64-namespace cluster alone: --all-netns against
//            `ip -all netns exec`, and top's share of a core.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { summarize, timeCases, timedEnv, type Case, type Timings } from './measure.js';

const out = process.argv[2];
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const LAB_UP_RUNS = Number(process.env.BENCH_LAB_UP_RUNS ?? 3);
const NODES = Number(process.env.BENCH_NODES ?? 64);
const TOP_SECONDS = Number(process.env.BENCH_TOP_SECONDS ?? 60);
const SCRIPT = fileURLToPath(new URL('../../bench/lab-up-iproute2.sh', import.meta.url));
const node = process.execPath;
const tipcx = 'tipcx'; // the installed package, on PATH
/** Its script, for runs that give node flags of their own. */
const tipcxScript = execFileSync('bash', ['-c', 'readlink -f "$(command -v tipcx)"'], { encoding: 'utf8' }).trim();

const timings: Timings = {};
const values: Record<string, number> = {};
const missing: Record<string, string> = {};
const log = (l: string) => process.stdout.write(`${l}\n`);

function sh(script: string): string {
    return execFileSync('bash', ['-ec', script], { encoding: 'utf8', maxBuffer: 256 << 20 });
}
const inNs = (ns: string, argv: string[]) => ['ip', 'netns', 'exec', ns, ...argv];
const rows = (ns: string) => Number(sh(`ip netns exec ${ns} tipc nametable show | tail -n +2 | wc -l`).trim());
const unicastLinks = (ns: string) =>
    Number(sh(`ip netns exec ${ns} tipc link list | grep -v '^broadcast-link' | grep -c ': up$' || true`).trim());

/** A process in `ns` holding `count` node-scope publications until killed; resolves once bound. */
async function publish(ns: string, count: number, base: number): Promise<ChildProcess> {
    const p = spawn(
        'ip',
        [
            'netns',
            'exec',
            ns,
            'python3',
            '-c',
            `
import socket, time
s = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
for i in range(${count}):
    s.bind((socket.TIPC_ADDR_NAMESEQ, ${base} + i, 0, 0, socket.TIPC_NODE_SCOPE))
print('bound', flush=True)
time.sleep(3600)
`,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
        p.stdout.once('data', () => resolve());
        p.once('exit', (code) => reject(new Error(`the publisher in ${ns} exited ${code}`)));
    });
    return p;
}

function labUp(nodes: number, prefix: string): void {
    const r = spawnSync(tipcx, ['lab', 'up', 'nodes', String(nodes), 'prefix', prefix], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tipcx lab up nodes ${nodes} prefix ${prefix}: ${r.stderr.trim()}`);
}
const labDown = (prefix: string) => spawnSync(tipcx, ['lab', 'down', 'prefix', prefix]);

/** Starts of `top` timed in a terminal: each costs a few seconds of the lab's CPU. */
const FRAME_RUNS = 5;

/** Links of every namespace as iproute2 lists them (`tipc link list`, the broadcast link included). */
function linksInEveryNetns(): number {
    return Number(sh(`ip -all netns exec tipc link list | grep -cE ': (up|down)$' || true`).trim());
}

/**
 * How long `tipcx --all-netns top` takes from the command's Enter in a real
 * terminal (tmux, 200 x 50, a server of its own) to its first full frame: the
 * footer counting all `links` of every namespace. The screen is read back
 * (capture-pane) as fast as tmux answers; `pollMs` is how long one look
 * takes, the figure's resolution.
 */
async function firstFullFrame(links: number): Promise<{ ms: number; pollMs: number }> {
    const socket = `bench-top-${process.pid}`;
    const tmux = (...args: string[]) => {
        const r = spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`tmux ${args[0]}: ${(r.stderr || r.error?.message || '').trim()}`);
        return r.stdout;
    };
    const until = async (what: string, check: (screen: string) => boolean, timeoutMs: number) => {
        const deadline = performance.now() + timeoutMs;
        let looks = 0;
        const started = performance.now();
        for (;;) {
            const screen = tmux('capture-pane', '-p', '-t', 'top');
            looks++;
            if (check(screen)) return { at: performance.now(), pollMs: (performance.now() - started) / looks };
            if (performance.now() > deadline)
                throw new Error(`timed out waiting for ${what}; the screen shows:\n${screen}`);
            // yield to the event loop between looks (no fixed pause: each look is a tmux process)
            await new Promise((resolve) => setImmediate(resolve));
        }
    };
    const footer = new RegExp(`total ${links} links,`);
    tmux('new-session', '-d', '-s', 'top', '-x', '200', '-y', '50', 'bash --norc --noprofile');
    try {
        tmux('send-keys', '-t', 'top', 'clear; echo TOP-READY | tr A-Z a-z', 'Enter');
        await until('the shell', (s) => s.includes('top-ready\n'), 60_000);
        const started = performance.now();
        tmux('send-keys', '-t', 'top', `${tipcx} --all-netns top`, 'Enter');
        const shown = await until(`a frame counting ${links} links`, (s) => footer.test(s), 120_000);
        return { ms: shown.at - started, pollMs: shown.pollMs };
    } finally {
        spawnSync('tmux', ['-L', socket, 'kill-server']);
    }
}

const publishers: ChildProcess[] = [];
try {
    // ---------------------------------------------------------------- phase A
    labUp(3, 'bs');
    publishers.push(await publish('bs1', 100, 30000), await publish('bs2', 10000, 30000));
    values['names.small'] = rows('bs1');
    values['names.large'] = rows('bs2');
    const cold: Case[] = [
        { key: 'node -e 0', label: 'node -e 0', argv: [node, '-e', '0'] },
        {
            key: 'tipcx identity',
            label: 'tipcx -n bs1 node get identity',
            argv: [tipcx, '-n', 'bs1', 'node', 'get', 'identity'],
        },
        {
            key: 'tipc identity',
            label: 'ip netns exec bs1 tipc node get identity',
            argv: inNs('bs1', ['tipc', 'node', 'get', 'identity']),
        },
        {
            key: 'tipcx nametable small',
            label: `tipcx nametable show (${values['names.small']} rows)`,
            argv: [tipcx, '-n', 'bs1', 'nametable', 'show'],
        },
        {
            key: 'tipcx nametable large',
            label: `tipcx nametable show (${values['names.large']} rows)`,
            argv: [tipcx, '-n', 'bs2', 'nametable', 'show'],
        },
        {
            key: 'tipc nametable small',
            label: `tipc nametable show (${values['names.small']} rows)`,
            argv: inNs('bs1', ['tipc', 'nametable', 'show']),
        },
        {
            key: 'tipc nametable large',
            label: `tipc nametable show (${values['names.large']} rows)`,
            argv: inNs('bs2', ['tipc', 'nametable', 'show']),
        },
    ];
    log(`phase A: ${cold.length} commands x ${RUNS} runs`);
    Object.assign(timings, timeCases(cold, RUNS, log));

    // ---------------------------------------------------------------- phase B
    const ours: number[] = [];
    const script: number[] = [];
    for (let r = 0; r < LAB_UP_RUNS; r++) {
        log(`phase B: round ${r + 1}/${LAB_UP_RUNS}: iproute2 script, then tipcx lab up, ${NODES} nodes`);
        let t0 = performance.now();
        const s = spawnSync('sh', [SCRIPT, 'sh', String(NODES), 'sh-br'], { encoding: 'utf8' });
        script.push(performance.now() - t0);
        sh(
            `ip -batch - <<EOF\n${Array.from({ length: NODES }, (_, i) => `netns del sh${i + 1}`).join('\n')}\nEOF\nip link del sh-br`,
        );
        if (s.status !== 0) throw new Error(`bench/lab-up-iproute2.sh failed: ${s.stderr.trim()}`);
        t0 = performance.now();
        labUp(NODES, 'bn');
        ours.push(performance.now() - t0);
        if (r < LAB_UP_RUNS - 1) labDown('bn');
    }
    timings['tipcx lab up'] = summarize(`tipcx lab up nodes ${NODES}`, ours);
    timings['iproute2 lab up'] = summarize(`bench/lab-up-iproute2.sh (${NODES} nodes)`, script);

    // ---------------------------------------------------------------- phase C
    values['links.small'] = unicastLinks('bs1');
    values['links.large'] = unicastLinks('bn1');
    const stats: Case[] = [
        {
            key: 'tipcx link stats small',
            label: `tipcx link statistics show (${values['links.small']} links)`,
            argv: [tipcx, '-n', 'bs1', 'link', 'statistics', 'show'],
        },
        {
            key: 'tipcx link stats large',
            label: `tipcx link statistics show (${values['links.large']} links)`,
            argv: [tipcx, '-n', 'bn1', 'link', 'statistics', 'show'],
        },
        // The same without TurboFan (--max-opt=1: V8 stops at its baseline compiler), its code cache apart:
        // at 63 links TurboFan starts compiling, and in UML every page its compiler touches traps to the host.
        ...(['small', 'large'] as const).map((size) => ({
            key: `tipcx link stats ${size} no turbofan`,
            label: `node --max-opt=1 tipcx link statistics show (${values[`links.${size}`]} links)`,
            argv: [
                node,
                '--max-opt=1',
                tipcxScript,
                '-n',
                size === 'small' ? 'bs1' : 'bn1',
                'link',
                'statistics',
                'show',
            ],
            env: { ...timedEnv, XDG_CACHE_HOME: '/tmp/tipcx-bench-max-opt-1-cache' },
        })),
        {
            key: 'tipc link stats small',
            label: `tipc link statistics show (${values['links.small']} links)`,
            argv: inNs('bs1', ['tipc', 'link', 'statistics', 'show']),
        },
        {
            key: 'tipc link stats large',
            label: `tipc link statistics show (${values['links.large']} links)`,
            argv: inNs('bn1', ['tipc', 'link', 'statistics', 'show']),
        },
    ];
    log(`phase C: ${stats.length} commands x ${RUNS} runs`);
    Object.assign(timings, timeCases(stats, RUNS, log));

    // ---------------------------------------------------------------- phase D
    for (const p of publishers.splice(0)) p.kill();
    labDown('bs');
    values['allNetns.namespaces'] = Number(sh('ip netns list | wc -l').trim());
    const all: Case[] = [
        { key: 'tipcx all-netns', label: 'tipcx --all-netns link list', argv: [tipcx, '--all-netns', 'link', 'list'] },
        {
            key: 'ip all-netns',
            label: 'ip -all netns exec tipc link list',
            argv: ['ip', '-all', 'netns', 'exec', 'tipc', 'link', 'list'],
        },
    ];
    log(`phase D: --all-netns over ${values['allNetns.namespaces']} namespaces, ${RUNS} runs`);
    Object.assign(timings, timeCases(all, RUNS, log));

    log(`phase D: tipcx --all-netns top for ${TOP_SECONDS} s`);
    const top = spawnSync(
        '/usr/bin/time',
        ['-f', '%U %S %e %M', tipcx, '--all-netns', '-j', 'top', 'interval', '1', 'count', String(TOP_SECONDS)],
        { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const [user, sys, elapsed, rssKb] = (top.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
    const round = timings['tipc link stats large'];
    if (top.status === 0 && elapsed > 0) {
        values['labTop.cpuPercent'] = ((user + sys) / elapsed) * 100;
        values['labTop.rssMB'] = rssKb / 1024;
        // the same reads by the C tool once a second: one `ip netns exec NS tipc link statistics show` per namespace
        if (round && !round.error) values['labTop.tipcPercent'] = (round.medianMs * NODES) / 10;
    } else {
        missing['labTop.cpuPercent'] =
            `tipcx top exited ${top.status ?? top.signal}: ${top.stderr.trim().split('\n')[0]}`;
    }

    log(`phase D: tipcx --all-netns top in a terminal, ${FRAME_RUNS} starts`);
    const links = linksInEveryNetns();
    values['labTop.links'] = links;
    const frames: number[] = [];
    const polls: number[] = [];
    try {
        for (let r = 0; r < FRAME_RUNS; r++) {
            const frame = await firstFullFrame(links);
            frames.push(frame.ms);
            polls.push(frame.pollMs);
        }
        const firstFrame = summarize('first full frame', frames);
        values['labTop.firstFrameMs'] = firstFrame.medianMs;
        values['labTop.firstFrameMinMs'] = firstFrame.minMs;
        values['labTop.firstFrameMaxMs'] = firstFrame.maxMs;
        values['labTop.firstFrameRuns'] = firstFrame.runs;
        values['labTop.framePollMs'] = summarize('one look at the screen', polls).medianMs;
    } catch (e) {
        missing['labTop.firstFrameMs'] = (e as Error).message;
    }
} catch (e) {
    missing['lab.'] = (e as Error).message;
    log(`failed: ${(e as Error).message}`);
} finally {
    for (const p of publishers) p.kill();
    labDown('bn');
    labDown('bs');
}

writeFileSync(out, JSON.stringify({ timings, values, missing }, null, 2) + '\n');
