// --all-netns from one process: 16 namespaces, one merged table, nothing spawned
// (strace counts the programs the installed tipcx executes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { assertInLab, installedTipcx, run, sh, tipcx, type Run } from './lab.js';

const N = 16;
const names = Array.from({ length: N }, (_, i) => `alln${i + 1}`);

/**
 * The installed tipcx under strace: its output, and the programs it executed.
 * The launcher's own `#!/usr/bin/env node` accounts for exactly two (the
 * script, then node); anything more is a child process tipcx started.
 */
function tracedTipcx(args: string[]): { run: Run; executed: string[] } {
    const log = `/tmp/alln-strace-${process.pid}`;
    const r = spawnSync('strace', ['-f', '-qq', '-e', 'trace=execve', '-o', log, installedTipcx, ...args], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
    });
    const executed = readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => /execve\(/.test(l) && / = 0$/.test(l))
        .map((l) => /execve\("([^"]+)"/.exec(l)![1]);
    rmSync(log, { force: true });
    return { run: { stdout: r.stdout, stderr: r.stderr, code: r.status ?? 128 }, executed };
}

test(`tipcx --all-netns link list over ${N} namespaces: one table, one process`, async () => {
    assertInLab();
    sh(names.map((n) => `ip netns add ${n}`).join('\n'));
    try {
        const { run: r, executed } = tracedTipcx(['--all-netns', 'link', 'list']);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(executed, [installedTipcx, process.execPath], 'the launcher and node, and no child process');
        const lines = r.stdout.trimEnd().split('\n');
        for (const n of names) assert.match(r.stdout, new RegExp(`^${n}\\s+broadcast-link: up$`, 'm'));
        // one table: every line has the same namespace column width
        const col = lines[0].indexOf('broadcast-link');
        assert.ok(col > 0 && lines.every((l) => l.indexOf('broadcast-link') === col), r.stdout);
        const json = await tipcx(['--all-netns', '-j', 'link', 'list']);
        const records = JSON.parse(json.stdout) as { netns: string; name: string; up: boolean }[];
        for (const n of names)
            assert.deepEqual(
                records.filter((x) => x.netns === n),
                [{ netns: n, name: 'broadcast-link', up: true }],
            );
        // the current namespace is included, once
        assert.equal(records.filter((x) => x.netns === '(current)' && x.name === 'broadcast-link').length, 1);
        // tables with a header keep one header: node get identity prints a header and
        // one row in every namespace, so one header line, then one row per namespace
        const ids = await tipcx(['--all-netns', 'node', 'get', 'identity']);
        assert.equal(ids.code, 0, ids.stderr);
        const idLines = ids.stdout.trimEnd().split('\n');
        assert.match(idLines[0], /^Namespace\s+Node Identity\s+Hash$/, ids.stdout);
        assert.equal(idLines.filter((l) => /Node Identity/.test(l)).length, 1, ids.stdout);
        for (const n of names) {
            assert.equal(
                idLines.filter((l) => new RegExp(`^${n}\\s.*\\s[0-9a-f]{8}$`).test(l)).length,
                1,
                `one row for ${n}:\n${ids.stdout}`,
            );
        }
        const idRecords = JSON.parse((await tipcx(['--all-netns', '-j', 'node', 'get', 'identity'])).stdout) as {
            netns: string;
        }[];
        for (const n of names) assert.equal(idRecords.filter((x) => x.netns === n).length, 1, n);
        assert.ok(idRecords.length >= N + 1, 'the current namespace and the 16 named ones');
        assert.equal(idLines.length - 1, idRecords.length, 'a row per namespace read, as many as JSON records');
        // a text made as bytes (the name table) merges as the strings do: one header, and each
        // namespace's own rows behind its name
        const table = await tipcx(['--all-netns', 'nametable', 'show']);
        assert.equal(table.code, 0, table.stderr);
        const tableLines = table.stdout.replace(/\n$/, '').split('\n');
        assert.match(tableLines[0], /^Namespace\s+Type\s+Lower\s+Upper\s+Scope\s+Port\s+Node/, table.stdout);
        assert.equal(tableLines.filter((l) => /\bLower\b/.test(l)).length, 1, table.stdout);
        const own = (await tipcx(['-n', names[0], 'nametable', 'show'])).stdout.replace(/\n$/, '').split('\n').slice(1);
        assert.ok(own.length > 0, `${names[0]} has bindings of its own`);
        assert.deepEqual(
            tableLines.filter((l) => l.startsWith(`${names[0]} `)).map((l) => l.slice(tableLines[0].indexOf('Type'))),
            own,
        );
        // node list prints its header even with no peers: the 16 bare namespaces add none, and no rows
        const nodes = await tipcx(['--all-netns', 'node', 'list']);
        assert.equal(nodes.code, 0, nodes.stderr);
        const nodeLines = nodes.stdout.trimEnd().split('\n');
        assert.match(nodeLines[0], /^Namespace\s+Node Identity\s+Hash\s+State$/, nodes.stdout);
        assert.equal(nodeLines.filter((l) => /Node Identity/.test(l)).length, 1, nodes.stdout);
        assert.deepEqual(
            nodeLines.filter((l) => /^alln\d+\s/.test(l)),
            [],
            'namespaces without bearers have no peers',
        );
    } finally {
        for (const n of names) run(['ip', 'netns', 'del', n]);
    }
});

test('--all-netns=pids adds the unnamed namespace of a running process as pid:N', async () => {
    assertInLab();
    // a process in a namespace of its own that /run/netns does not name
    const { spawn } = await import('node:child_process');
    const hidden = spawn('unshare', ['--net', 'sleep', '120'], { stdio: 'ignore' });
    try {
        let r = await tipcx(['--all-netns', 'link', 'list']);
        assert.ok(!r.stdout.includes(`pid:${hidden.pid}`), 'plain --all-netns lists named namespaces only');
        for (let i = 0; i < 50 && !r.stdout.includes(`pid:${hidden.pid}`); i++) {
            await new Promise((w) => setTimeout(w, 100));
            r = await tipcx(['--all-netns=pids', 'link', 'list']);
        }
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, new RegExp(`^pid:${hidden.pid}\\s+broadcast-link: up$`, 'm'));
        const json = JSON.parse((await tipcx(['--all-netns=pids', '-j', 'node', 'get', 'clusterid'])).stdout) as {
            netns: string;
        }[];
        assert.ok(
            json.some((rec) => rec.netns === `pid:${hidden.pid}`),
            'JSON records carry netns "pid:N"',
        );
        // every namespace once: the root namespace's processes do not add rows
        const labels = json.map((rec) => rec.netns);
        assert.equal(new Set(labels).size, labels.length);
    } finally {
        hidden.kill();
    }
});
