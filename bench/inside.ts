// The half of `npm run bench` that needs a TIPC kernel: runs inside the lab kernel
// (bench/run.ts boots it) on a cluster of 64 namespaces, and writes its figures
// to the JSON file named by argv[2].
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ratio, timeCommand, type Figure, type Timing } from './measure.js';

const out = process.argv[2];
const NODES = Number(process.env.BENCH_NODES ?? 64);
const PREFIX = 'bn';
const tipcx = fileURLToPath(new URL('../../bin/tipcx', import.meta.url));
const node = process.execPath;
const timings: Timing[] = [];
const figures: Figure[] = [];
const notes: string[] = [];

function sh(script: string): string {
    return execFileSync('bash', ['-ec', script], { encoding: 'utf8', maxBuffer: 64 << 20 });
}
function t(label: string, argv: string[], runs = 7): Timing {
    const timing = timeCommand(label, argv, runs);
    timings.push(timing);
    if (timing.error) notes.push(`${label}: ${timing.error}`);
    return timing;
}
const inNs = (ns: string, argv: string[]) => ['ip', 'netns', 'exec', ns, ...argv];

// ---- the cluster: tipcx lab up, timed (it is one of the figures)
const t0 = Date.now();
const up = spawnSync(node, [tipcx, 'lab', 'up', '--nodes', String(NODES), '--prefix', PREFIX, '-j'], {
    encoding: 'utf8',
});
const labUpSeconds = (Date.now() - t0) / 1000;
if (up.status !== 0) throw new Error(`tipcx lab up --nodes ${NODES} failed: ${up.stderr.trim()}`);
figures.push({
    name: `lab up --nodes ${NODES}`,
    value: labUpSeconds,
    unit: 's',
    detail: 'wall time until every link is up',
});
const first = `${PREFIX}1`;
const linkCount = Number(sh(`ip netns exec ${first} tipc link list | grep -c ': up$'`).trim());

// an empty TIPC namespace: each tool's own cost with (almost) nothing to print
sh('ip netns add bench-empty');

// ---- a name table of 1,000+ publications, and traffic between two namespaces
const publisher = spawn(
    'ip',
    [
        'netns',
        'exec',
        first,
        'python3',
        '-c',
        `
import socket, time
socks = []
for i in range(1000):
    s = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
    s.bind((socket.TIPC_ADDR_NAMESEQ, 20000 + i, 0, 10, socket.TIPC_CLUSTER_SCOPE))
    socks.append(s)
print('bound', flush=True)
time.sleep(3600)
`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
);
await new Promise<void>((resolve) => publisher.stdout.once('data', () => resolve()));
const traffic = spawn(
    'ip',
    [
        'netns',
        'exec',
        `${PREFIX}2`,
        'python3',
        '-c',
        `
import socket, time
s = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
while True:
    for i in range(50):
        try: s.sendto(b'x' * 200, (socket.TIPC_ADDR_NAME, 20000, 5, 0))
        except OSError: pass
    time.sleep(0.05)
`,
    ],
    { stdio: 'ignore' },
);

try {
    // ---- cold start of a simple kernel command
    const nodeFloor = t('node -e 0', [node, '-e', '0']);
    const coldTipcx = t('tipcx node get identity', [node, tipcx, '-n', first, 'node', 'get', 'identity']);
    const coldTipc = t('tipc node get identity', inNs(first, ['tipc', 'node', 'get', 'identity']));
    const netnsExec = t('ip netns exec true', inNs(first, ['true']));
    figures.push({
        name: 'cold start vs node -e 0',
        value: ratio(coldTipcx, nodeFloor),
        unit: 'x',
        target: '<= 1.3',
        met: ratio(coldTipcx, nodeFloor) <= 1.3,
        detail: `tipcx ${coldTipcx.medianMs.toFixed(0)} ms, node -e 0 ${nodeFloor.medianMs.toFixed(0)} ms (medians)`,
    });
    figures.push({
        name: 'cold start vs tipc',
        value: ratio(coldTipcx, coldTipc),
        unit: 'x',
        detail: `tipc ${coldTipc.medianMs.toFixed(0)} ms incl. ip netns exec (${netnsExec.medianMs.toFixed(0)} ms alone)`,
    });

    // ---- per-entry cost: (full - empty) / entries, each tool against its own empty run
    const perEntry = (what: string, args: string[], entries: number): Timing => {
        const ours = t(`tipcx ${what} (${entries} entries)`, [node, tipcx, '-n', first, ...args], 5);
        const oursEmpty = t(`tipcx ${what} (empty)`, [node, tipcx, '-n', 'bench-empty', ...args], 5);
        const ref = t(`tipc ${what} (${entries} entries)`, inNs(first, ['tipc', ...args]), 5);
        const refEmpty = t(`tipc ${what} (empty)`, inNs('bench-empty', ['tipc', ...args]), 5);
        const a = (ours.medianMs - oursEmpty.medianMs) / entries;
        const b = (ref.medianMs - refEmpty.medianMs) / entries;
        figures.push({
            name: `per-entry ${what} vs tipc`,
            value: a / b,
            unit: 'x',
            target: '<= 1.5',
            met: a / b <= 1.5,
            detail: `tipcx ${(a * 1000).toFixed(0)} us/entry, tipc ${(b * 1000).toFixed(0)} us/entry over ${entries} entries`,
        });
        return ref;
    };
    const statsByTipc = perEntry('link statistics show', ['link', 'statistics', 'show'], linkCount);
    const names = Number(sh(`ip netns exec ${first} tipc nametable show | tail -n +2 | wc -l`).trim());
    perEntry('nametable show', ['nametable', 'show'], names);

    // ---- every namespace from one process vs a process per namespace
    const all = t(`tipcx --all-netns link list (${NODES + 1} ns)`, [node, tipcx, '--all-netns', 'link', 'list'], 5);
    const allRef = t(
        `ip -all netns exec tipc link list (${NODES + 1} ns)`,
        ['ip', '-all', 'netns', 'exec', 'tipc', 'link', 'list'],
        5,
    );
    figures.push({
        name: `--all-netns over ${NODES} namespaces`,
        value: allRef.medianMs / all.medianMs,
        unit: 'x faster',
        target: '>= 3',
        met: allRef.medianMs / all.medianMs >= 3,
        detail: `tipcx ${all.medianMs.toFixed(0)} ms, ip -all netns exec tipc ${allRef.medianMs.toFixed(0)} ms`,
    });

    // ---- the monitor at 1 Hz for a minute: share of one core and peak RSS
    const seconds = Number(process.env.BENCH_TOP_SECONDS ?? 60);
    // NDJSON to /dev/null: at native speed a minute of samples over 4,000 links
    // is more than a pipe buffer should hold (spawnSync killed top at its maxBuffer)
    const top = spawnSync(
        '/usr/bin/time',
        [
            '-f',
            '%U %S %e %M',
            node,
            tipcx,
            'top',
            '--all-netns',
            '--json',
            '--interval',
            '1',
            '--count',
            String(seconds),
        ],
        { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const [user, sys, elapsed, rssKb] = (top.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
    if (top.status === 0 && elapsed) {
        const share = ((user + sys) / elapsed) * 100;
        figures.push({
            name: 'top: CPU share of one core',
            value: share,
            unit: '%',
            target: '<= 5',
            met: share <= 5,
            detail: `${seconds} samples at 1 Hz over ${NODES + 1} namespaces, ${linkCount * NODES} links (in a User-Mode Linux kernel)`,
        });
        // What the same reads cost the C tool, once a second: `tipc link statistics
        // show` in every namespace (wall time of one round, as a share of a second).
        const round = (statsByTipc.medianMs * NODES) / 1000;
        figures.push({
            name: 'top vs the same reads by tipc each second',
            value: share / (round * 100),
            unit: 'x',
            detail: `tipc needs ${(round * 100).toFixed(0)}% of each second for one round of ${NODES} namespaces (incl. ip netns exec)`,
        });
        figures.push({
            name: 'top: peak RSS',
            value: rssKb / 1024,
            unit: 'MB',
            target: '<= 100',
            met: rssKb / 1024 <= 100,
            detail: 'GNU time %M',
        });
    } else {
        notes.push(`tipcx top: exit ${top.status ?? top.signal}: ${top.stderr.trim().split('\n')[0]}`);
    }
} finally {
    publisher.kill();
    traffic.kill();
    spawnSync(node, [tipcx, 'lab', 'down', '--prefix', PREFIX]);
    spawnSync('ip', ['netns', 'del', 'bench-empty']);
}

writeFileSync(out, JSON.stringify({ nodes: NODES, links: linkCount, timings, figures, notes }, null, 2) + '\n');
