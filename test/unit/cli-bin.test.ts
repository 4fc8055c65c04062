import { test } from 'node:test';
import { errorLine } from '../../src/errors.js';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = new URL('../../../', import.meta.url);
const bin = fileURLToPath(new URL('bin/tipcx', root));
const version = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string }).version;

function tipcx(args: string[], viaNode = true) {
    const [file, argv] = viaNode ? [process.execPath, [bin, ...args]] : [bin, args];
    const env = { ...process.env };
    delete env.NO_COLOR;
    delete env.FORCE_COLOR;
    return spawnSync(file, argv, { encoding: 'utf8', env });
}

test('the extension-less CommonJS bin runs under node and via its shebang', () => {
    for (const viaNode of [true, false]) {
        const r = tipcx(['--help'], viaNode);
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /^Usage: tipcx /);
        assert.equal(r.stderr, '');
    }
});

test('bin exit codes: version 0, bare 2, usage error 2', () => {
    const v = tipcx(['-V']);
    assert.equal(v.status, 0);
    assert.equal(v.stdout, `tipcx ${version}\n`);
    assert.equal(tipcx([]).status, 2);
    const bad = tipcx(['link', 'foo']);
    assert.equal(bad.status, 2);
    assert.equal(
        bad.stderr,
        `${errorLine('invalid command "foo" (expected one of: list, get, set, statistics, monitor)')}\n`,
    );
});

test('without a build, bin/tipcx says what to run in one line', () => {
    // bin/ alone, as a checkout has it after "npm ci" and before "npm run build"
    const dir = mkdtempSync(join(tmpdir(), 'tipcx-unbuilt-'));
    try {
        cpSync(fileURLToPath(new URL('bin', root)), join(dir, 'bin'), { recursive: true });
        for (const args of [['link', 'list'], ['--help']]) {
            const r = spawnSync(process.execPath, [join(dir, 'bin/tipcx'), ...args], { encoding: 'utf8' });
            assert.equal(r.stderr, 'tipcx: not built: run npm ci && npm run build\n');
            assert.equal(r.stdout, '');
            assert.equal(r.status, 1);
        }
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});

test('the code cache: written once in the user cache directory, grown once by each command it lacks, kept, rebuilt when stale or rejected, one for each bundle file, skipped when unwritable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tipcx-cache-'));
    const run = (
        env: Record<string, string>,
        args = ['--version'],
        stdout: RegExp = new RegExp(`^tipcx ${version}\n$`),
    ) => {
        const r = spawnSync(process.execPath, [bin, ...args], {
            encoding: 'utf8',
            env: { PATH: process.env.PATH, ...env },
            timeout: 30_000,
        });
        assert.equal(r.signal, null, `tipcx ${args.join(' ')} did not end (killed after 30 s)`);
        assert.match(r.stdout, stdout, r.stderr);
        assert.equal(r.stderr, '');
        assert.equal(r.status, 0);
    };
    try {
        const env = { XDG_CACHE_HOME: join(dir, 'xdg'), HOME: join(dir, 'home') };
        if (typeof (Module as { enableCompileCache?: unknown }).enableCompileCache === 'function') {
            // Node >= 22.8 keeps its own cache, keyed by content and Node version
            run(env);
            assert.ok(existsSync(join(dir, 'xdg/tipcx/node-compile-cache')));
            return;
        }
        const file = join(dir, 'xdg/tipcx/code-cache/tipcx.cjs.v8');
        const bundleLine = readFileSync(new URL('dist/tipcx/cli/tipcx.cjs', root), 'utf8').split('\n')[0];
        assert.match(bundleLine, new RegExp(`^// tipcx ${version.replace(/\./g, '\\.')} bundle sha256:[0-9a-f]{32}$`));
        run(env);
        const first = readFileSync(file);
        const key = first.subarray(0, first.indexOf(10) + 1).toString();
        assert.equal(key, `${bundleLine} node ${process.version} v8 ${process.versions.v8} ${process.arch}\n`);
        /** The cache file's parts: the key line, the commands it holds, V8's data. */
        const parts = (bytes: Buffer) => {
            const coversEnd = bytes.indexOf(10, key.length);
            const covers = bytes.subarray(key.length, coversEnd).toString();
            assert.match(covers, /^covers \[.*\]$/);
            return {
                key: bytes.subarray(0, key.length).toString(),
                covers: JSON.parse(covers.slice('covers '.length)) as string[],
                data: bytes.subarray(coversEnd + 1),
            };
        };
        assert.deepEqual(parts(first).covers, ['version']);
        assert.ok(parts(first).data.length > 1000, 'V8 data follows the key');
        const { mtimeMs, ino } = statSync(file);
        run(env);
        assert.deepEqual(
            [statSync(file).mtimeMs, statSync(file).ino],
            [mtimeMs, ino],
            'an accepted cache is left alone',
        );
        // another command: its code is added once, then the cache is left alone again
        run(env, ['link', 'list', '-h'], /^Usage: tipcx link list/);
        const grown = readFileSync(file);
        assert.deepEqual(parts(grown).covers, ['version', 'help link list']);
        assert.ok(parts(grown).data.length > parts(first).data.length, 'the help code joined the cache');
        const grownStat = statSync(file);
        run(env, ['link', 'list', '-h'], /^Usage: tipcx link list/);
        run(env);
        assert.deepEqual([statSync(file).mtimeMs, statSync(file).ino], [grownStat.mtimeMs, grownStat.ino]);

        const rebuilt = () => {
            const now = parts(readFileSync(file));
            assert.equal(now.key, key);
            assert.deepEqual(now.covers, ['version']);
            assert.ok(now.data.length > 1000);
            assert.notEqual(now.data[1], 7);
        };
        // rejected by V8: same key, damaged data
        writeFileSync(
            file,
            Buffer.concat([Buffer.from(`${key}covers ["version"]\n`), Buffer.alloc(parts(first).data.length, 7)]),
        );
        run(env);
        rebuilt();
        // stale: another bundle's key
        writeFileSync(
            file,
            Buffer.concat([
                Buffer.from(`${key.replace('sha256:', 'sha256:0')}covers ["version"]\n`),
                Buffer.alloc(parts(first).data.length, 7),
            ]),
        );
        run(env);
        rebuilt();
        // damaged beyond the key (no list of commands): rebuilt too
        writeFileSync(file, Buffer.concat([Buffer.from(key), Buffer.alloc(100, 7)]));
        run(env);
        rebuilt();
        assert.deepEqual(readdirSync(join(dir, 'xdg/tipcx/code-cache')), ['tipcx.cjs.v8'], 'no temporary file left');

        // The lazy file (what handlers import: netlink, rendering) has a cache of its own,
        // made by the first command that loads it and keyed by its own first line.
        // A namespace that does not exist: the session is opened, nothing is changed.
        const noNetns = spawnSync(process.execPath, [bin, '-n', 'tipcx-no-such-netns', 'node', 'get', 'identity'], {
            encoding: 'utf8',
            env: { PATH: process.env.PATH, ...env },
        });
        assert.match(noNetns.stderr, /no such network namespace "tipcx-no-such-netns"/);
        const lazyLine = readFileSync(new URL('dist/tipcx/cli/tipcx-lazy.cjs', root), 'utf8').split('\n')[0];
        assert.match(lazyLine, /^\/\/ tipcx .* bundle sha256:[0-9a-f]{32}$/);
        assert.notEqual(lazyLine, bundleLine);
        const lazy = readFileSync(join(dir, 'xdg/tipcx/code-cache/tipcx-lazy.cjs.v8'));
        assert.equal(
            lazy.subarray(0, lazy.indexOf(10) + 1).toString(),
            `${lazyLine} node ${process.version} v8 ${process.versions.v8} ${process.arch}\n`,
        );
        const lazyParts = lazy.subarray(lazy.indexOf(10) + 1);
        assert.equal(lazyParts.subarray(0, lazyParts.indexOf(10)).toString(), 'covers ["run node get identity"]');
        assert.ok(lazyParts.length - lazyParts.indexOf(10) > 1000, 'V8 data follows');
        assert.deepEqual(readdirSync(join(dir, 'xdg/tipcx/code-cache')).sort(), ['tipcx-lazy.cjs.v8', 'tipcx.cjs.v8']);

        // no XDG_CACHE_HOME: ~/.cache/tipcx
        run({ HOME: join(dir, 'home') });
        assert.ok(existsSync(join(dir, 'home/.cache/tipcx/code-cache/tipcx.cjs.v8')));
        // a cache directory that cannot be made (a file in the way, as a read-only home would refuse): no cache, same output
        writeFileSync(join(dir, 'file'), '');
        run({ XDG_CACHE_HOME: join(dir, 'file'), HOME: join(dir, 'file') });
        assert.ok(statSync(join(dir, 'file')).isFile());
        // one where mkdir fails with ENOENT under a parent that exists (Node 20's recursive mkdir looped there)
        run({ XDG_CACHE_HOME: '/proc/tipcx-no-such-cache', HOME: join(dir, 'file') });
        assert.ok(!existsSync('/proc/tipcx-no-such-cache'));
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});

/** Node's own modules a process loaded (process.moduleLoadList), as `node --require` sees them at exit. */
function builtinsLoaded(argv: string[]): { status: number | null; modules: string[] } {
    const dir = mkdtempSync(join(tmpdir(), 'tipcx-builtins-'));
    try {
        const out = join(dir, 'modules.json');
        const preload = join(dir, 'record.cjs');
        writeFileSync(
            preload,
            `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.moduleLoadList)));`,
        );
        // stdout and stderr are pipes, as in a script's $(tipcx ...)
        const r = spawnSync(process.execPath, ['--require', preload, ...argv], { encoding: 'utf8' });
        return { status: r.status, modules: JSON.parse(readFileSync(out, 'utf8')) as string[] };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

test('help, version, a TAB and a usage error load none of the stream, socket and terminal modules that node -e 0 never loads', () => {
    const bare = new Set(builtinsLoaded(['-e', '0']).modules);
    // what writing through process.stdout, node:net's isIP or node:tty would bring
    const heavy = /^NativeModule (net|stream|tty|internal\/streams\/.*|internal\/stream_base_commons)$/;
    assert.ok(!bare.has('NativeModule net') && !bare.has('NativeModule stream'), 'node -e 0 loads neither');
    const control = builtinsLoaded(['-e', 'process.stdout.write("")']).modules.filter((m) => heavy.test(m));
    assert.ok(control.length > 10, `writing to a piped process.stdout loads them: ${control.join(', ')}`);
    for (const args of [
        ['--help'],
        ['--version'],
        ['__complete', 'link', 's'],
        ['link', 'foo'],
        ['node', 'get', 'identity'],
    ]) {
        const r = builtinsLoaded([bin, ...args]);
        assert.ok(r.status !== null && r.status <= 3, `${args.join(' ')} exited ${r.status}`);
        assert.deepEqual(
            r.modules.filter((m) => !bare.has(m) && heavy.test(m)),
            [],
            `tipcx ${args.join(' ')}`,
        );
    }
});
