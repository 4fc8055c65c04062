// The published package as test/run-all.ts installed it (npm pack, prepack
// builds and bundles, then a global install into an empty prefix): what the
// tarball holds, and the installed command, completion scripts, man page and
// library entry point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installedTipcx } from './lab.js';

const root = process.cwd();
const prefix = process.env.TIPCX_INSTALLED_PREFIX!;
const tarball = process.env.TIPCX_TARBALL ?? '';
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const installed = join(prefix, 'lib/node_modules/tipcx');
const tipcx = (args: string[]) =>
    spawnSync(installedTipcx, args, { encoding: 'utf8', env: { PATH: process.env.PATH } });

test('the tarball holds one copy of the code (the bundle), type declarations, completions and the man page', () => {
    assert.match(tarball, new RegExp(`tipcx-${pkg.version.replace(/\./g, '\\.')}\\.tgz$`));
    const listing = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const file of [
        'package/bin/tipcx',
        'package/man/tipcx.1',
        'package/completions/tipcx.bash',
        'package/completions/_tipcx',
        'package/completions/tipcx.fish',
        'package/build/src/index.d.ts',
    ]) {
        assert.ok(listing.includes(file), `${file} is in the package`);
    }
    // JavaScript: the launcher and the bundle's seven files, nothing else (no build/src/**/*.js beside them)
    const code = listing.filter((f) => /\.(c|m)?js$/.test(f) || f === 'package/bin/tipcx');
    assert.deepEqual(code.sort(), [
        'package/bin/tipcx',
        'package/dist/tipcx/cli/esm-import.cjs',
        'package/dist/tipcx/cli/library.cjs',
        'package/dist/tipcx/cli/sandbox-inside.cjs',
        'package/dist/tipcx/cli/tipcx-extensions.cjs',
        'package/dist/tipcx/cli/tipcx-lazy.cjs',
        'package/dist/tipcx/cli/tipcx.cjs',
        'package/dist/tipcx/cli/top-ui.mjs',
    ]);
    assert.ok(
        !listing.some((f) => f.startsWith('package/build/test/') || (f.endsWith('.ts') && !f.endsWith('.d.ts'))),
        'no tests or sources',
    );
    // each source module in one file: esbuild's per-module comments ("// src/x.ts") name it in one file only
    const seen = new Map<string, string>();
    for (const f of code.filter((c) => c.startsWith('package/dist/'))) {
        const text = readFileSync(join(installed, f.slice('package/'.length)), 'utf8');
        for (const mod of new Set([...text.matchAll(/^\/\/ ((?:src|node_modules)\/\S+)$/gm)].map((m) => m[1]))) {
            assert.equal(seen.get(mod), undefined, `${mod} is in ${seen.get(mod)} and in ${f}`);
            seen.set(mod, f);
        }
    }
    assert.ok(seen.has('src/cli/main.ts') && seen.has('src/top/ui/screen.tsx') && seen.has('src/index.ts'));
});

test('the installed command: help, version, completion, usage errors', () => {
    const help = tipcx(['--help']);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: tipcx /);
    assert.equal(tipcx(['-V']).stdout, `tipcx ${pkg.version}\n`);
    assert.equal(tipcx(['completion', 'bash']).stdout, readFileSync(join(root, 'completions/tipcx.bash'), 'utf8'));
    assert.equal(tipcx(['__complete', 'nod']).stdout, 'node\tShow or modify node parameters\n');
    assert.equal(tipcx(['bogus']).status, 2);
});

test('top loads its verdict source from the installed bundle', () => {
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
    // and by require(), as a CommonJS dependent would
    const viaRequire = execFileSync(
        process.execPath,
        ['-e', "const t = require('tipcx'); console.log(typeof t.withSession, typeof t.TipcxError)"],
        { encoding: 'utf8', cwd: join(prefix, 'lib') },
    );
    assert.equal(viaRequire, 'function function\n');
});
