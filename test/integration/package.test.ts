// The published package as test/run-all.ts installed it (npm pack, prepack
// builds and bundles, then a global install into an empty prefix): what the
// tarball holds, and the installed command, completion scripts, man page and
// library entry point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installedTipcx } from './lab.js';

const root = process.cwd();
const prefix = process.env.TIPCX_INSTALLED_PREFIX!;
const tarball = process.env.TIPCX_TARBALL ?? '';
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const installed = join(prefix, 'lib/node_modules/tipcx');
const tipcx = (args: string[]) =>
    spawnSync(installedTipcx, args, { encoding: 'utf8', env: { PATH: process.env.PATH } });

test('the tarball holds the bundle, the compiled library, completions and the man page, and no tests or sources', () => {
    assert.match(tarball, new RegExp(`tipcx-${pkg.version.replace(/\./g, '\\.')}\\.tgz$`));
    const listing = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n');
    for (const file of [
        'package/bin/tipcx',
        'package/dist/tipcx/cli/tipcx.js',
        'package/man/tipcx.1',
        'package/completions/tipcx.bash',
        'package/completions/_tipcx',
        'package/completions/tipcx.fish',
        'package/build/src/index.js',
        'package/build/src/index.d.ts',
        // the sandbox kernels' payload, which the bundled sandbox command starts by this path
        'package/build/src/lab/sandbox-inside.js',
    ]) {
        assert.ok(listing.includes(file), `${file} is in the package`);
    }
    assert.ok(
        !listing.some((f) => f.startsWith('package/build/test/') || (f.endsWith('.ts') && !f.endsWith('.d.ts'))),
        'no tests or sources',
    );
});

test('the installed command: help, version, completion, usage errors', () => {
    const help = tipcx(['--help']);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: tipcx /);
    assert.equal(tipcx(['-V']).stdout, `tipcx ${pkg.version}\n`);
    assert.equal(tipcx(['completion', 'bash']).stdout, readFileSync(join(root, 'completions/tipcx.bash'), 'utf8'));
    assert.equal(tipcx(['__complete', 'nod']).stdout, 'node\tShow or modify node parameters\n');
    assert.equal(tipcx(['bogus']).status, 2);
    assert.ok(readdirSync(join(installed, 'dist/tipcx/cli')).length > 1, 'the bundle is installed');
});

test('every import() in the installed bundle names its chunk, and top loads its verdict source', () => {
    // a computed specifier would point at a build/src path that is not under dist/ (top lost its verdicts so)
    const dir = join(installed, 'dist/tipcx/cli');
    for (const f of readdirSync(dir)) {
        const computed = readFileSync(join(dir, f), 'utf8').match(/\bimport\((?!\s*["'`])[^)]*\)/g);
        assert.equal(computed, null, `${f}: import() of a computed specifier`);
    }
    const top = tipcx(['-j', 'top', 'count', '2']);
    assert.equal(top.status, 0, top.stderr);
    const samples = top.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { events: { message: string }[] });
    assert.equal(samples.length, 2, top.stdout);
    assert.deepEqual(
        samples.flatMap((s) => s.events.map((e) => e.message)).filter((m) => /verdict/i.test(m)),
        [],
    );
});

test('the man page is installed where man(1) finds it', () => {
    const page = readFileSync(join(root, 'man/tipcx.1'), 'utf8');
    assert.equal(readFileSync(join(installed, 'man/tipcx.1'), 'utf8'), page);
    // package.json "man": npm links the page into the prefix's share/man
    assert.equal(readFileSync(join(prefix, 'share/man/man1/tipcx.1'), 'utf8'), page);
});

test('the library entry point, imported by name as a dependent installed beside it would', () => {
    // beside lib/node_modules, so that the bare specifier resolves to the installed package
    const script = join(prefix, 'lib', `dependent-${process.pid}.mjs`);
    writeFileSync(
        script,
        "const t = await import('tipcx');\n" +
            "console.log([typeof t.withSession, typeof t.listLinks, typeof t.enableBearer, typeof t.decodeMessage, typeof t.decideVerdict].join(' '));\n",
    );
    const out = execFileSync(process.execPath, [script], { encoding: 'utf8' });
    assert.equal(out, 'function function function function function\n');
});
