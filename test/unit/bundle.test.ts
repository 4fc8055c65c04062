// The bundle (src/cli/bundle.ts) is the only JavaScript the package ships: one
// copy of each module, every file reachable from bin/tipcx, the library
// export or the sandbox payload, lazy imports still lazy, and the native
// bindings loaded without their packages' probing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
    BUNDLE_DIR,
    CLI_BUNDLE,
    ESM_IMPORT,
    EXTENSION_COMMANDS,
    EXTENSIONS_BUNDLE,
    LAZY_BUNDLE,
    LIBRARY_BUNDLE,
    SANDBOX_BUNDLE,
    TUI_BUNDLE,
    bundle,
    type BundleResult,
} from '../../src/cli/bundle.js';
import { SANDBOX_PAYLOAD } from '../../src/lab/sandbox.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** One bundle into a directory under build/ (ignored by git), shared by the tests below. */
let built: Promise<BundleResult> | undefined;
const out = mkdtempSync(join(root, 'build', 'bundle-test-'));
const once = () => (built ??= bundle(root, out));
process.on('exit', () => rmSync(out, { recursive: true, force: true }));

const sources = (meta: BundleResult, file: string) =>
    Object.keys(meta.outputs[file].outputs[join(out, file).slice(root.length)]?.inputs ?? {}).filter((p) =>
        p.startsWith('src/'),
    );

test('bundle: seven files, and every source module in exactly one of them', async () => {
    const meta = await once();
    assert.deepEqual(
        readdirSync(out).sort(),
        [CLI_BUNDLE, ESM_IMPORT, EXTENSIONS_BUNDLE, LAZY_BUNDLE, LIBRARY_BUNDLE, SANDBOX_BUNDLE, TUI_BUNDLE].sort(),
    );
    const cli = sources(meta, CLI_BUNDLE);
    const lazy = sources(meta, LAZY_BUNDLE);
    const extensions = sources(meta, EXTENSIONS_BUNDLE);
    const tui = sources(meta, TUI_BUNDLE);
    // the CLI file: the parser, every command's definition, help and completion
    assert.ok(cli.includes('src/cli/main.ts') && cli.includes('src/commands/link/statistics.ts'));
    assert.ok(cli.includes('src/netlink/availability.ts'), 'the exit-3 answer stays in the CLI file');
    // the lazy file: what the handlers of iproute2's commands import()
    assert.ok(lazy.includes('src/netlink/codec.ts') && lazy.includes('src/render/text-buffer.ts'));
    assert.ok(lazy.includes('src/tipc/link.ts') && lazy.includes('src/render/nametable.ts'));
    // the extensions file: what only tipcx's own commands import(), the library and the sandbox payload
    for (const p of ['src/top/run.ts', 'src/exporter/run.ts', 'src/lab/cluster.ts', 'src/discovery/proofs.ts'])
        assert.ok(extensions.includes(p), p);
    assert.ok(extensions.includes('src/index.ts') && extensions.includes('src/lab/sandbox-inside.ts'));
    assert.ok(extensions.includes('src/top/view.ts'), 'modules the TUI shares with the CLI are in the extensions file');
    assert.ok(tui.includes('src/top/ui/screen.tsx'));
    const files = [cli, lazy, extensions, tui];
    for (const [i, a] of files.entries())
        for (const b of files.slice(i + 1))
            assert.deepEqual(
                a.filter((p) => b.includes(p)),
                [],
                'no module in two files',
            );
    // netlink's JavaScript and the packages the renderers use are in the lazy file alone
    const inputs = (file: string) => Object.keys(meta.outputs[file].inputs);
    assert.deepEqual(
        inputs(CLI_BUNDLE).filter((p) => p.startsWith('node_modules/')),
        [],
        'the CLI file holds no package',
    );
    // The two small files hold no module: they only require the extensions file.
    for (const file of [LIBRARY_BUNDLE, SANDBOX_BUNDLE]) {
        const code = readFileSync(join(out, file), 'utf8');
        assert.deepEqual(code.match(/require\([^)]*\)/g), [`require('./${EXTENSIONS_BUNDLE}')`], file);
    }
    // netlink's raw socket is compiled in, its node-gyp-build is not, nor its
    // message layer (src/netlink/channel.ts speaks the protocol)
    assert.ok(inputs(LAZY_BUNDLE).some((p) => p.includes('node_modules/netlink/dist/raw.js')));
    assert.deepEqual(
        inputs(LAZY_BUNDLE).filter((p) => /node_modules\/netlink\/dist\/(netlink|structs|genl\/)/.test(p)),
        [],
    );
    assert.ok(!inputs(LAZY_BUNDLE).some((p) => p.includes('node-gyp-build')));
});

test('bundle: a source module another file holds is imported as constants, not as CommonJS behind getters', async () => {
    await once();
    for (const file of [LAZY_BUNDLE, EXTENSIONS_BUNDLE, TUI_BUNDLE]) {
        const text = readFileSync(join(out, file), 'utf8');
        const shared = text.match(/^\/\/ tipcx-from-[^:\n]+:src\/\S+$/gm) ?? [];
        assert.ok(shared.length > 0, `${file} takes some source module from another file`);
        // as CommonJS, each use of an imported name went through esbuild's interop getters (docs/design.md)
        assert.doesNotMatch(text, /__commonJS\(\{\s*"tipcx-from-[^"]+:src\//, file);
    }
});

test('bundle: every shipped file is reachable from bin/tipcx, the library export or the sandbox payload', async () => {
    await once();
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
        exports: { '.': { default: string } };
    };
    const launcher = readFileSync(join(root, 'bin/tipcx'), 'utf8');
    assert.ok(launcher.includes(`'dist', 'tipcx', 'cli', '${CLI_BUNDLE}'`), 'bin/tipcx runs the CLI file');
    assert.ok(launcher.includes('cli.loadLazyWith('), 'and loads the lazy files the CLI file names');
    const roots = [CLI_BUNDLE, basename(pkg.exports['.'].default), basename(SANDBOX_PAYLOAD)];
    assert.equal(pkg.exports['.'].default, `./${BUNDLE_DIR}/${LIBRARY_BUNDLE}`);
    assert.equal(SANDBOX_PAYLOAD, join(root, BUNDLE_DIR, SANDBOX_BUNDLE));
    const files = readdirSync(out);
    const seen = new Set(roots);
    const todo = [...roots];
    for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
        const code = readFileSync(join(out, file), 'utf8');
        for (const f of files) {
            if (seen.has(f) || !code.includes(f)) continue;
            seen.add(f);
            todo.push(f);
        }
    }
    assert.deepEqual([...seen].sort(), files.sort());
});

test('bundle: no import() that esbuild could not follow; the TUI file is imported by esm-import.cjs alone', async () => {
    await once();
    for (const f of readdirSync(out)) {
        const code = readFileSync(join(out, f), 'utf8');
        const computed = code.match(/\bimport\((?!\s*["'`])[^)]*\)/g) ?? [];
        // bin/tipcx compiles the CLI file with vm.Script, where import() has no loader
        assert.deepEqual(computed, f === ESM_IMPORT ? ['import(url)'] : [], f);
        // the TUI file is an ES module of Node's loader: there, ink's import of a built-in
        // (on a path that never runs, src/cli/bundle.ts inkWithoutDevtools) can always be followed
        const kept = f === TUI_BUNDLE ? code.replace(/\bimport\("node:[a-z_/]+"\)/g, '') : code;
        assert.equal(kept.includes('import('), f === ESM_IMPORT, `${f}: import(`);
    }
    const extensions = readFileSync(join(out, EXTENSIONS_BUNDLE), 'utf8');
    assert.ok(extensions.includes(JSON.stringify(TUI_BUNDLE)) && extensions.includes(`require("./${ESM_IMPORT}")`));
});

test('bundle: the TUI file imports only Node built-ins: ink and react are compiled in, no package is loaded for the screen', async () => {
    await once();
    const code = readFileSync(join(out, TUI_BUNDLE), 'utf8');
    const specifiers = [...code.matchAll(/^import\b[^;]*?\bfrom\s*["']([^"']+)["']/gm)].map((m) => m[1]);
    assert.ok(specifiers.length > 0, 'the TUI file has static imports');
    assert.deepEqual(
        specifiers.filter((s) => !s.startsWith('node:')),
        [],
        'a package imported from node_modules at run time',
    );
    // what it requires at run time: built-ins and the bundle files beside it (its shared modules)
    const required = [...new Set([...code.matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1]))];
    assert.deepEqual(
        required.filter((s) => !s.startsWith('node:') && s !== `./${CLI_BUNDLE}`),
        [],
        'a package required at run time',
    );
    const meta = await once();
    const inputs = Object.keys(meta.outputs[TUI_BUNDLE].inputs);
    for (const pkg of ['ink', 'react', 'react-reconciler', 'yoga-layout'])
        assert.ok(
            inputs.some((p) => p.startsWith(`node_modules/${pkg}/`)),
            `${pkg} compiled in`,
        );
    assert.ok(!inputs.some((p) => p.startsWith('node_modules/ws/')), "ink's DevTools hook left out");
});

/** Runs the CLI file in a child with `argv`, and reports what it loaded. */
function loaded(argv: string[]): { code: number; cjs: string[]; addons: string[] } {
    const script = `
const cli = require(${JSON.stringify(join(out, CLI_BUNDLE))});
cli.run(${JSON.stringify(argv)}).then((code) => {
    const addons = require('node:fs').readFileSync('/proc/self/maps', 'utf8').split('\\n')
        .map((l) => l.split(/\\s+/).pop()).filter((f) => f && f.endsWith('.node'));
    process.stderr.write('\\n' + JSON.stringify({ code, cjs: Object.keys(require.cache), addons: [...new Set(addons)] }));
});`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    return JSON.parse(r.stderr.slice(r.stderr.lastIndexOf('\n') + 1)) as {
        code: number;
        cjs: string[];
        addons: string[];
    };
}

test('bundle: help loads no native code; a kernel command loads the netlink binding by its path', async () => {
    await once();
    const help = loaded(['--help']);
    assert.equal(help.code, 0);
    assert.deepEqual(help.addons, []);
    assert.deepEqual(help.cjs, [join(out, CLI_BUNDLE)], 'nothing but the CLI file: not the lazy file');
    // exit 3 on a host without TIPC, after the netlink socket asked for the family
    // (top samples through netlink whatever the host: see cli-no-tipc.test.ts for
    // the commands that answer without it on a kernel that provably has no TIPC)
    const identity = loaded(['-j', 'top', 'count', '1']);
    assert.ok([0, 3].includes(identity.code), String(identity.code));
    assert.deepEqual(
        identity.addons.map((f) => f.replace(/^.*node_modules\//, '')),
        ['netlink/prebuilds/linux-x64/node.napi.node'].filter(() => process.arch === 'x64'),
    );
    assert.ok(!identity.cjs.some((f) => f.includes('node-gyp-build')), identity.cjs.join('\n'));
    assert.deepEqual(
        identity.cjs.filter((f) => f.startsWith(out)).sort(),
        [join(out, CLI_BUNDLE), join(out, EXTENSIONS_BUNDLE), join(out, LAZY_BUNDLE)].sort(),
    );
    // a command iproute2 also has: the CLI file and the lazy file, not the extensions file
    const kernel = loaded(['-n', 'tipcx-no-such-netns', 'node', 'get', 'identity']);
    assert.equal(kernel.code, 3);
    assert.deepEqual(
        kernel.cjs.filter((f) => f.startsWith(out)).sort(),
        [join(out, CLI_BUNDLE), join(out, LAZY_BUNDLE)].sort(),
    );
});

/**
 * The objects (src/commands/OBJECT/) whose command definitions ran when the CLI
 * file ran `argv` in a child: V8's coverage of its functions, where each module
 * that runs on first use is a function named by the module's path.
 */
function objectsDefined(argv: string[]): string[] {
    const coverage = mkdtempSync(join(out, 'coverage-'));
    const script = `require(${JSON.stringify(join(out, CLI_BUNDLE))}).run(${JSON.stringify(argv)});`;
    spawnSync(process.execPath, ['-e', script], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, NODE_V8_COVERAGE: coverage },
    });
    const ran = new Set<string>();
    const cli = pathToFileURL(join(out, CLI_BUNDLE)).href;
    for (const file of readdirSync(coverage)) {
        const { result } = JSON.parse(readFileSync(join(coverage, file), 'utf8')) as {
            result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[];
        };
        for (const script of result.filter((r) => r.url === cli))
            for (const f of script.functions) {
                const object = /^src\/commands\/([a-z]+)\//.exec(f.functionName)?.[1];
                if (object !== undefined && f.ranges[0].count > 0) ran.add(object);
            }
    }
    return [...ran].sort();
}

test("bundle: help and a TAB at the top level run no object's command definitions; a command line those of its own object", async () => {
    await once();
    assert.deepEqual(objectsDefined(['--help']), []);
    assert.deepEqual(objectsDefined(['__complete', 'l']), []);
    assert.deepEqual(objectsDefined(['-n', 'tipcx-no-such-netns', 'node', 'get', 'identity']), ['node']);
    assert.deepEqual(objectsDefined(['__complete', 'link', 's']), ['link']);
});

test('bundle: the library file exports src/index.ts, by name for import and require', async () => {
    await once();
    const index = (await import(new URL('build/src/index.js', pathToFileURL(root)).href)) as Record<string, unknown>;
    const viaImport = (await import(pathToFileURL(join(out, LIBRARY_BUNDLE)).href)) as Record<string, unknown>;
    const names = Object.keys(index).sort();
    assert.ok(names.length > 40);
    for (const name of names) assert.equal(typeof viaImport[name], typeof index[name], name);
    assert.deepEqual(
        Object.keys(viaImport)
            .filter((k) => k !== 'default')
            .sort(),
        names,
    );
});

test("bundle: the extensions file's command files are exactly those of tipcx's own top-level words", async () => {
    const { commandTree } = await import('../../src/commands/index.js');
    const words = commandTree.children.map((c) => ({ name: c.name, extension: c.extension === true }));
    assert.ok(words.some((w) => w.extension) && words.some((w) => !w.extension));
    for (const { name, extension } of words) {
        const files = [`src/commands/${name}.ts`, `src/commands/${name}/up.ts`];
        assert.equal(
            files.some((f) => EXTENSION_COMMANDS.test(f)),
            extension,
            `${name}: extension ${extension}`,
        );
    }
});
