// The published package: npm pack (prepack builds and bundles), a global
// install into an empty prefix (from the local cache where it can: npm ci
// caches tarballs but not the registry metadata a global install asks for), and the installed
// command, completion scripts, man page and library entry point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

test('npm pack produces a package that installs into an empty prefix and runs', { timeout: 300_000 }, () => {
    const work = mkdtempSync(join(tmpdir(), 'tipcx-pack-'));
    try {
        // Pack a copy: prepack writes dist/, which must never appear in the
        // shared checkout (bin/tipcx would prefer a stale bundle there).
        const copy = join(work, 'src-copy');
        mkdirSync(copy);
        for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'README.md', 'bin', 'src', 'completions', 'man']) {
            cpSync(join(root, entry), join(copy, entry), { recursive: true });
        }
        symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
        const npm = (args: string[], cwd: string) =>
            execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });

        npm(['pack', '--pack-destination', work, '--silent'], copy);
        const tarball = join(work, `tipcx-${pkg.version}.tgz`);
        assert.ok(existsSync(tarball), 'npm pack wrote the tarball');
        assert.ok(!existsSync(join(copy, 'dist')), 'postpack removes dist/');
        const listing = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n');
        for (const file of ['package/bin/tipcx', 'package/dist/tipcx/cli/tipcx.js', 'package/man/tipcx.1', 'package/completions/tipcx.bash',
            'package/completions/_tipcx', 'package/completions/tipcx.fish', 'package/build/src/index.js', 'package/build/src/index.d.ts',
            // the sandbox VMs' payload, which the bundled sandbox command starts by this path
            'package/build/src/lab/sandbox-inside.js']) {
            assert.ok(listing.includes(file), `${file} is in the package`);
        }
        assert.ok(!listing.some((f) => f.startsWith('package/build/test/') || f.endsWith('.ts') && !f.endsWith('.d.ts')), 'no tests or sources');

        const prefix = join(work, 'prefix');
        npm(['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], work);
        const installed = join(prefix, 'lib/node_modules/tipcx');
        const tipcx = (args: string[]) => spawnSync(join(prefix, 'bin/tipcx'), args, { encoding: 'utf8', env: { PATH: process.env.PATH } });

        const help = tipcx(['--help']);
        assert.equal(help.status, 0, help.stderr);
        assert.match(help.stdout, /^Usage: tipcx /);
        assert.equal(tipcx(['-V']).stdout, `tipcx ${pkg.version}\n`);
        assert.equal(tipcx(['completion', 'bash']).stdout, readFileSync(join(root, 'completions/tipcx.bash'), 'utf8'));
        assert.equal(tipcx(['__complete', 'nod']).stdout, 'node\tShow or modify node parameters\n');
        assert.equal(tipcx(['bogus']).status, 2);
        assert.equal(readFileSync(join(installed, 'man/tipcx.1'), 'utf8'), readFileSync(join(root, 'man/tipcx.1'), 'utf8'));
        // package.json "man": npm links the page where man(1) finds it.
        assert.equal(readFileSync(join(prefix, 'share/man/man1/tipcx.1'), 'utf8'), readFileSync(join(root, 'man/tipcx.1'), 'utf8'));
        assert.ok(readdirSync(join(installed, 'dist/tipcx/cli')).length > 1, 'the bundle is installed');
        // Every import() in the bundle names its chunk: a computed one would point
        // at a build/src path that is not under dist/ (top lost its verdicts so).
        for (const f of readdirSync(join(installed, 'dist/tipcx/cli'))) {
            const computed = readFileSync(join(installed, 'dist/tipcx/cli', f), 'utf8').match(/\bimport\((?!\s*["'`])[^)]*\)/g);
            assert.equal(computed, null, `${f}: import() of a computed specifier`);
        }
        // top loads its verdict source from the bundle: no note that it could not
        // (without TIPC here, each sample reports the namespace error instead).
        const top = tipcx(['-j', 'top', 'count', '2']);
        assert.equal(top.status, 0, top.stderr);
        const samples = top.stdout.trim().split('\n').map((l) => JSON.parse(l) as { events: { message: string }[] });
        assert.equal(samples.length, 2, top.stdout);
        const notes = samples.flatMap((s) => s.events.map((e) => e.message)).filter((m) => /verdict/i.test(m));
        assert.deepEqual(notes, []);

        // The library entry point, as a dependent package would import it.
        const script = join(prefix, 'lib', 'check.mjs');
        writeFileSync(script, "const t = await import('tipcx');\n" +
            "console.log([typeof t.withSession, typeof t.listLinks, typeof t.enableBearer, typeof t.decodeMessage, typeof t.decideVerdict].join(' '));\n");
        assert.equal(execFileSync(process.execPath, [script], { encoding: 'utf8' }), 'function function function function function\n');
    } finally {
        rmSync(work, { recursive: true, force: true });
    }
});
