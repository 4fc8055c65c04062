// On a host without TIPC (like the machine CI runs on), help and version work,
// and kernel commands fail with exit 3 and one line that says what to do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_BUNDLE, LAZY_BUNDLE } from '../../src/cli/bundle.js';
import { EnvironmentError, errorLine } from '../../src/errors.js';
import { tipcProvablyAbsent } from '../../src/netlink/availability.js';
import { openTipc } from '../../src/netlink/transport.js';

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

test(
    'where the kernel provably has no TIPC, a command says so without native code, in the words of the lookup',
    { skip: hostHasTipc && 'this host has TIPC' },
    async () => {
        // what the kernel itself answers, asked over generic netlink in this process
        const lookup: unknown = await openTipc().then(
            (t) => t.close(),
            (e: unknown) => e,
        );
        assert.ok(lookup instanceof EnvironmentError, String(lookup));
        const dir = mkdtempSync(join(tmpdir(), 'tipcx-addons-'));
        try {
            const preload = join(dir, 'addons.cjs');
            writeFileSync(
                preload,
                `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'loaded.json'))}, JSON.stringify({
                    addons: require('node:fs').readFileSync('/proc/self/maps', 'utf8').split('\\n').map((l) => l.split(/\\s+/).pop()).filter((f) => f && f.endsWith('.node')),
                    files: Object.keys(require.cache) })));`,
            );
            for (const args of [
                ['node', 'get', 'identity'],
                ['-j', 'link', 'list'],
                // refused before colour is decided: no chalk, which the lazy file holds
                ['--color=always', 'link', 'list'],
            ]) {
                const r = spawnSync(process.execPath, ['--require', preload, bin, ...args], { encoding: 'utf8' });
                assert.equal(r.status, 3, r.stderr);
                assert.equal(r.stderr, `${errorLine(lookup.message)}\n`);
                const { addons, files } = JSON.parse(readFileSync(join(dir, 'loaded.json'), 'utf8')) as {
                    addons: string[];
                    files: string[];
                };
                const lazyFile = files.some((f) => basename(f) === LAZY_BUNDLE);
                // this machine's kind has no loadable modules: the proof holds, and neither native code
                // nor the handlers' code (the lazy bundle file, src/cli/bundle.ts) was loaded
                if (tipcProvablyAbsent()) {
                    assert.deepEqual(addons, [], args.join(' '));
                    assert.ok(
                        files.some((f) => basename(f) === CLI_BUNDLE),
                        files.join(', '),
                    );
                    assert.equal(lazyFile, false, args.join(' '));
                } else assert.ok(addons.length > 0 && lazyFile, `${args.join(' ')} asked the kernel`);
            }
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    },
);
