// On a host without TIPC (like the machine CI runs on), help and version work,
// and kernel commands fail with exit 3 and one line that says what to do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../bin/tipcx', import.meta.url));
const tipcx = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
const hostHasTipc = existsSync('/sys/module/tipc');

test('tipcx --help and --version exit 0', () => {
    const help = tipcx('--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: tipcx/);
    const version = tipcx('--version');
    assert.equal(version.status, 0);
    assert.match(version.stdout, /^tipcx \d+\.\d+\.\d+\n$/);
    assert.equal(tipcx('node', 'list', '-h').status, 0);
});

test(
    'a kernel command without TIPC exits 3 with one line naming the fix',
    { skip: hostHasTipc && 'this host has TIPC' },
    () => {
        for (const args of [
            ['node', 'list'],
            ['link', 'list'],
            ['bearer', 'list'],
            ['node', 'get', 'identity'],
            ['-json', 'link', 'list'],
            // every namespace fails alike: one line, the cause, not a count of failures
            ['--all-netns', 'link', 'list'],
            ['--all-netns=pids', '-j', 'node', 'list'],
            // top samples once before its loop: no TIPC is no monitor, not an empty one
            ['-j', 'top', 'count', '1'],
            ['--all-netns', '-j', 'top', 'count', '1'],
            ['crossover', 'wait', '0'],
        ]) {
            const r = tipcx(...args);
            assert.equal(r.status, 3, `${args.join(' ')}: ${r.stderr}`);
            assert.equal(r.stdout, '');
            assert.equal(r.stderr.split('\n').length, 2, 'exactly one line');
            assert.match(r.stderr, /TIPC is not available in this kernel.*modprobe tipc/);
        }
    },
);
