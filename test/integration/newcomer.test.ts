// A newcomer's mistakes (a sample: newcomer.ts) and the habits of people who
// live in ip and tipc, run against the installed package on a real kernel:
// every mistake is exit 2 (or 3 for a missing file) and a line or two that
// names it, every habit gives the same output as the spelling it stands for,
// and nothing a mistake does changes the kernel (read back with iproute2's
// tipc before and after).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { errorLine } from '../../src/errors.js';
import { assertIncomplete, assertMistake, incomplete, mistakeArgv, mistakeTitle, mistakes } from './newcomer.js';
import { assertInLab, installedTipcx, makeCluster, tipc, tipcx, waitFor, type Cluster } from './lab.js';

assertInLab();

const NS = 'nc1';

/** One mistake in MISTAKE_SAMPLE: all of them run on the host (test/host/usage.test.ts). */
const MISTAKE_SAMPLE = 5;
const labMistakes = mistakes.filter((_, i) => i % MISTAKE_SAMPLE === 0);

/** A habit and the canonical spelling whose output it must reproduce exactly. */
type Habit = [string[], string[]];
const habits: Habit[] = [
    [['help'], ['-h']],
    [
        ['link', 'help'],
        ['link', '-h'],
    ],
    [
        ['help', 'link', 'list'],
        ['link', 'list', '-h'],
    ],
    [
        ['link', 'list', 'help'],
        ['link', 'list', '--help'],
    ],
    [['-help'], ['--help']],
    [
        ['-json', 'node', 'list'],
        ['-j', 'node', 'list'],
    ],
    [
        ['-js', '-pretty', 'link', 'list'],
        ['--json', '--pretty', 'link', 'list'],
    ],
    [
        ['-jp', 'link', 'list'],
        ['--json', '--pretty', 'link', 'list'],
    ],
    [
        ['-color=never', 'link', 'list'],
        ['--color=never', 'link', 'list'],
    ],
    [
        ['-c', 'link', 'list'],
        ['--color=always', 'link', 'list'],
    ],
    [
        ['-all', 'node', 'get', 'netid'],
        ['--all-netns', 'node', 'get', 'netid'],
    ],
];

/** Everything a wrong command could have changed in the namespace, as iproute2 reads it. */
function stateDump(): string {
    return [
        ['bearer', 'list'],
        ['link', 'list'],
        ['node', 'list'],
        ['node', 'get', 'identity'],
        ['node', 'get', 'netid'],
    ]
        .map((args) => {
            const r = tipc(args, NS);
            return `$ tipc ${args.join(' ')}\n${r.stdout}${r.code}\n`;
        })
        .join('');
}

describe(`newcomer on a TIPC kernel: ${labMistakes.length + 1} of the mistakes, ${habits.length + 5} habits`, () => {
    let cluster: Cluster;
    let before_: string;
    before(async () => {
        cluster = await makeCluster(2, 'nc');
        before_ = stateDump();
    });
    after(() => cluster.destroy());

    for (const m of labMistakes) {
        test(mistakeTitle(m), async () => assertMistake(await tipcx(mistakeArgv(NS, m[0])), m));
    }

    test(`an incomplete command lists what may follow in two lines, exit 2`, async () => {
        const { path, node } = incomplete[1];
        assertIncomplete(await tipcx(path), path, node);
    });

    for (const [habit, canonical] of habits) {
        test(`tipcx ${habit.join(' ')} prints what tipcx ${canonical.join(' ')} prints`, async () => {
            // -all and -n cannot go together: that pair runs over every namespace
            const where = habit.includes('-all') ? [] : ['-n', NS];
            const env = { NO_COLOR: '' };
            const [ours, reference] = await Promise.all([
                tipcx([...where, ...habit], env),
                tipcx([...where, ...canonical], env),
            ]);
            assert.equal(reference.code, 0, reference.stderr);
            assert.ok(reference.stdout.length > 0, 'the canonical spelling printed something');
            assert.equal(ours.code, reference.code, ours.stderr);
            assert.equal(ours.stdout, reference.stdout);
            assert.equal(ours.stderr, reference.stderr);
        });
    }

    test("ip's -netns NAME and getopt's -nNAME both name the namespace", async () => {
        const reference = await tipcx(['-n', NS, 'node', 'get', 'identity']);
        assert.equal(reference.code, 0, reference.stderr);
        assert.match(reference.stdout, new RegExp(`^${NS} `, 'm'));
        for (const spelling of [['-netns', NS], ['-net', NS], [`-n${NS}`], [`--netns=${NS}`]]) {
            const r = await tipcx([...spelling, 'node', 'get', 'identity']);
            assert.equal(r.code, 0, `${spelling.join(' ')}: ${r.stderr}`);
            assert.equal(r.stdout, reference.stdout, spelling.join(' '));
        }
    });

    test('-n pid:N reads the namespace --all-netns=pids labels pid:N, as iproute2 sees it there', async () => {
        // a namespace no /run/netns entry names, held by one process
        const holder: ChildProcess = spawn('unshare', ['--net', 'sleep', '120'], { stdio: 'ignore' });
        try {
            const pid = holder.pid!;
            const label = `pid:${pid}`;
            await waitFor(`${label} in its own namespace`, () => {
                const own = spawnSync('readlink', [`/proc/${pid}/ns/net`], { encoding: 'utf8' }).stdout;
                const mine = spawnSync('readlink', ['/proc/self/ns/net'], { encoding: 'utf8' }).stdout;
                return own !== '' && own !== mine;
            });
            const all = await tipcx(['--all-netns=pids', '-j', 'node', 'get', 'netid']);
            assert.equal(all.code, 0, all.stderr);
            const rows = JSON.parse(all.stdout) as { netns: string; clusterId: number }[];
            const row = rows.find((r) => r.netns === label);
            assert.ok(row, `--all-netns=pids lists ${label}: ${all.stdout}`);

            const one = await tipcx(['-n', label, '-j', 'node', 'get', 'netid']);
            assert.equal(one.code, 0, one.stderr);
            assert.deepEqual(JSON.parse(one.stdout), [{ clusterId: row.clusterId }]);
            const text = await tipcx(['-n', label, 'node', 'get', 'netid']);
            const reference = spawnSync('nsenter', [`--net=/proc/${pid}/ns/net`, 'tipc', 'node', 'get', 'netid'], {
                encoding: 'utf8',
            });
            assert.equal(reference.status, 0, reference.stderr);
            assert.equal(text.stdout, reference.stdout);
        } finally {
            holder.kill('SIGKILL');
        }
    });

    test('a full stdout ends with one line and exit 1; a closed pipe ends quietly', () => {
        const full = openSync('/dev/full', 'w');
        try {
            for (const args of [['-h'], ['-n', NS, 'link', 'list']]) {
                const r = spawnSync(installedTipcx, args, { stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
                assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
                assert.equal(
                    r.stderr,
                    `${errorLine('cannot write to standard output: No space left on device')}\n`,
                    args.join(' '),
                );
            }
        } finally {
            closeSync(full);
        }
        // `true` exits at once, long before tipcx has started: its first write meets a closed pipe
        const piped = spawnSync('bash', ['-c', 'set -o pipefail; "$0" completion bash | true', installedTipcx], {
            encoding: 'utf8',
        });
        assert.equal(piped.stderr, '', 'no stack trace, no message');
        assert.equal(piped.status, 0);
    });

    test('the kernel state is exactly as before the matrix', () => {
        assert.equal(stateDump(), before_);
    });
});
