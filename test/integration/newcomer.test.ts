// A newcomer's mistakes and the habits of people who live in ip and tipc, run
// against the installed package on a real kernel: every mistake is exit 2 (or 3
// for a missing file) and a line or two that names it, every habit gives the
// same output as the spelling it stands for, and nothing a mistake does
// changes the kernel (read back with iproute2's tipc before and after).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { commandTree } from '../../src/commands/index.js';
import { isGroup, visibleChildren, type GroupNode } from '../../src/cli/registry.js';
import { MAX_SHOWN_VALUE, errorLine } from '../../src/errors.js';
import { reportCount } from '../suite-count.js';
import { assertInLab, installedTipcx, makeCluster, tipc, tipcx, waitFor, type Cluster } from './lab.js';

assertInLab();

const NS = 'nc1';

/** A mistake: argv, the exit code, and what the first line must contain. */
type Mistake = [string[], 2 | 3, string];

const ESC = '\x1b';
const mistakes: Mistake[] = [
    [['bogus', '-h'], 2, 'invalid command "bogus"'],
    [['link', 'bogus', '--help'], 2, 'invalid command "bogus"'],
    [['lnk', 'list'], 2, 'did you mean "link"?'],
    [['link', 'lsit'], 2, 'did you mean "list"?'],
    [['nod', 'lst'], 2, 'did you mean "list"?'],
    [['--colour', 'link', 'list'], 2, 'did you mean "--color"?'],
    [['link', 'list', '--colour'], 2, 'did you mean "--color"?'],
    [['-colour', 'link', 'list'], 2, 'did you mean "--color"?'],
    [['link', 'get', 'priority', 'lnk', 'x'], 2, 'did you mean "link"?'],
    [['bearer', 'enable', 'media', 'eth', 'devcie', 'eth0'], 2, 'did you mean "device"?'],
    [['node', 'set', 'clusterid', `${ESC}[2J`], 2, '"\\x1b[2J"'],
    [['link', 'set', 'priority', `5\n6`, 'link', 'x'], 2, '"5\\n6"'],
    [['node', 'set', 'clusterid', '9'.repeat(5000)], 2, `"${'9'.repeat(MAX_SHOWN_VALUE - 1)}…"`],
    [['bearer', 'enable', 'priority', '33', 'media', 'eth', 'device', 'eth0'], 2, '0..32'],
    [['link', 'set', 'window', '8192', 'link', 'x'], 2, '16..8191'],
    [['proof', 'pcap', '/nonexistent/capture.pcap'], 3, '/nonexistent/capture.pcap: No such file or directory'],
    [['proof', 'pcap', '/'], 3, 'cannot read /: Is a directory'],
    [['-n', 'pid:999999999', 'node', 'list'], 3, 'no such process 999999999'],
    [
        ['proof', 'pcap', `/${'p'.repeat(5000)}`],
        3,
        `cannot read /${'p'.repeat(MAX_SHOWN_VALUE - 2)}…: File name too long`,
    ],
    [['top', 'filter', `(${'a'.repeat(5000)}`], 2, '…" (Unterminated group; expected a regular expression'],
];

/** Every level that needs one more word: the bare command and the groups below it. */
function groups(node: GroupNode, path: string[]): { path: string[]; node: GroupNode }[] {
    return [
        { path, node },
        ...node.children.flatMap((child) => (isGroup(child) ? groups(child, [...path, child.name]) : [])),
    ];
}
// Each spawn costs seconds in a lab kernel: a sample here, every level in
// test/unit/cli-main.test.ts (the same code, in-process).
const SAMPLE = new Set(['', 'link', 'link statistics', 'node set', 'lab']);
const incomplete = groups(commandTree, []).filter((g) => SAMPLE.has(g.path.join(' ')));

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

describe(`newcomer: ${mistakes.length + incomplete.length} mistakes, ${habits.length + 5} habits`, () => {
    let cluster: Cluster;
    let before_: string;
    before(async () => {
        cluster = await makeCluster(2, 'nc');
        before_ = stateDump();
    });
    after(() => cluster.destroy());

    test('the matrix counts its cases', (t) => {
        reportCount(t, 'bad inputs', mistakes.length + incomplete.length);
        assert.equal(incomplete.length, SAMPLE.size, 'every sampled level exists');
    });

    for (const [argv, code, expected] of mistakes) {
        const shown = argv.map((a) => JSON.stringify(a).slice(1, -1).slice(0, 24)).join(' ');
        test(`${shown} -> exit ${code}, one line with ${JSON.stringify(expected.slice(0, 30))}`, async () => {
            // proof pcap takes no -n, and a -n of the case's own must stay the only one
            const r = await tipcx(argv[0] === 'proof' || argv[0] === '-n' ? argv : ['-n', NS, ...argv]);
            assert.equal(r.code, code, `exit ${r.code}, stderr: ${r.stderr}`);
            assert.equal(r.stdout, '');
            const lines = r.stderr.split('\n').filter(Boolean);
            assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
            assert.ok(lines[0].startsWith(errorLine('')), `the error style: ${lines[0]}`);
            assert.ok(lines[0].includes(expected), `names ${expected}: ${lines[0]}`);
            // nothing echoed can move the cursor or end the line, nor fill the screen
            assert.doesNotMatch(r.stderr.trimEnd(), /[\x00-\x09\x0b-\x1f\x7f]/);
            assert.ok(lines[0].length < 400, `${lines[0].length} characters`);
        });
    }

    test(`every incomplete command (${incomplete.length}) lists what may follow in two lines, exit 2`, async () => {
        for (const { path, node } of incomplete) {
            const r = await tipcx(path);
            const line = `tipcx ${path.join(' ')}`;
            assert.equal(r.code, 2, `${line}: exit ${r.code}`);
            assert.equal(r.stdout, '', line);
            const lines = r.stderr.trimEnd().split('\n');
            assert.equal(lines.length, 2, `${line}:\n${r.stderr}`);
            assert.ok(lines[0].startsWith(errorLine('missing ')), lines[0]);
            for (const child of visibleChildren(node))
                assert.ok(lines[0].includes(child.name), `${line}: ${child.name}`);
        }
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
