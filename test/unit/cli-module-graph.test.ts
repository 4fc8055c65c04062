/**
 * Help, version and usage errors must not load netlink (or koffi): they have to
 * work, and start fast, on machines without TIPC; nor must anything but top's
 * terminal path load the UI (ink, react). ESM has no module cache to
 * inspect, so a child process records every URL the ESM loader resolves
 * (module.register hook), dumps the CommonJS cache (where netlink's and
 * koffi's own requires land) and lists native addons mapped into memory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('../../../', import.meta.url);
const mainUrl = new URL('build/src/cli/main.js', root).href;

interface ModuleGraph {
    esm: string[];
    cjs: string[];
    nativeAddons: string[];
}

function loadGraph(childScript: string): ModuleGraph {
    const dir = mkdtempSync(join(tmpdir(), 'tipcx-graph-'));
    try {
        const log = join(dir, 'resolved.log');
        writeFileSync(log, '');
        writeFileSync(
            join(dir, 'hooks.mjs'),
            `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, nextResolve) {
    const result = await nextResolve(specifier, context);
    appendFileSync(process.env.TIPCX_MODULE_LOG, result.url + '\\n');
    return result;
}
`,
        );
        writeFileSync(
            join(dir, 'register.mjs'),
            `
import { register } from 'node:module';
register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});
`,
        );
        const script = `
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
${childScript}
const cjs = Object.keys(createRequire(import.meta.url).cache);
const nativeAddons = readFileSync('/proc/self/maps', 'utf8').split('\\n')
    .map((line) => line.split(/\\s+/).pop()).filter((file) => file && file.endsWith('.node'));
process.stdout.write(JSON.stringify({ cjs, nativeAddons: [...new Set(nativeAddons)] }));
`;
        const out = execFileSync(
            process.execPath,
            ['--import', pathToFileURL(join(dir, 'register.mjs')).href, '--input-type=module', '-e', script],
            { cwd: new URL('.', root), env: { ...process.env, TIPCX_MODULE_LOG: log }, encoding: 'utf8' },
        );
        const { cjs, nativeAddons } = JSON.parse(out) as Omit<ModuleGraph, 'esm'>;
        return { esm: readFileSync(log, 'utf8').split('\n').filter(Boolean), cjs, nativeAddons };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

const UI_CODE = /node_modules\/(ink|react|react-reconciler|yoga-layout)\/|build\/src\/top\/ui\//;
const NETLINK_CODE = /node_modules\/(netlink|koffi)\/|build\/src\/netlink\//;

function netlinkModules(graph: ModuleGraph): string[] {
    return [...graph.esm, ...graph.cjs, ...graph.nativeAddons].filter(
        (url) => NETLINK_CODE.test(url) || url.endsWith('.node'),
    );
}

test('help, version and usage errors load no netlink code', () => {
    const argvs = [
        ['--help'],
        ['-V'],
        [],
        ['link'],
        ['link', 'foo'],
        ['bearer', 'enable', 'media', 'udp', '-h'],
        ['-x'],
        ['exporter', '-h'],
        ['exporter', 'listen', '1.2.3'],
        ['exporter', 'listen', '0.0.0.0:16118'],
    ];
    const graph = loadGraph(`
const { main } = await import(${JSON.stringify(mainUrl)});
const sink = { write() {} };
for (const argv of ${JSON.stringify(argvs)}) {
    await main(argv, { stdout: sink, stderr: sink, env: {}, isTTY: false });
}
`);
    // The hook really saw the CLI's graph, so an empty result means something.
    assert.ok(graph.esm.some((url) => url.endsWith('/build/src/cli/main.js')));
    assert.ok(graph.esm.some((url) => url.endsWith('/build/src/commands/index.js')));
    assert.deepEqual(netlinkModules(graph), []);
    // prom-client is the exporter's alone, loaded once it serves
    assert.deepEqual(
        [...graph.esm, ...graph.cjs].filter((url) =>
            /node_modules\/prom-client\/|build\/src\/exporter\/(?!listen)/.test(url),
        ),
        [],
    );
});

test('control: the same probe does see netlink when it is loaded', () => {
    const graph = loadGraph(`await import('netlink');`);
    assert.ok(netlinkModules(graph).length > 0, 'the probe cannot detect netlink');
});

const CHALK = /node_modules\/chalk\//;

test('chalk is loaded only when a command runs with colour on', () => {
    const run = (argv: string[], env: Record<string, string>) =>
        loadGraph(`
const { main } = await import(${JSON.stringify(mainUrl)});
const sink = { write() {} };
await main(${JSON.stringify(argv)}, { stdout: sink, stderr: sink, env: ${JSON.stringify(env)}, isTTY: false });
`);
    for (const argv of [
        ['--help'],
        ['-V'],
        ['link', 'foo'],
        ['--color=always', '--help'],
        ['-j', '--color=always', 'link', 'list'],
    ]) {
        const graph = run(argv, {});
        assert.ok(graph.esm.some((url) => url.endsWith('/build/src/cli/main.js')));
        assert.deepEqual(
            graph.esm.filter((url) => CHALK.test(url)),
            [],
            `tipcx ${argv.join(' ')}`,
        );
    }
    // Commands that get as far as running, on any host: a namespace that does not exist is
    // opened by the handler (on a kernel that provably has no TIPC, a command in the current
    // namespace is refused before colour is decided, src/cli/execute.ts, and loads no chalk).
    for (const [argv, env] of [
        [['--color=always', '-n', 'tipcx-no-such-netns', 'link', 'list'], {}],
        [['-n', 'tipcx-no-such-netns', 'node', 'list'], { FORCE_COLOR: '1' }],
    ] as const) {
        const graph = run([...argv], env);
        assert.ok(
            graph.esm.some((url) => CHALK.test(url)),
            `tipcx ${argv.join(' ')} with ${JSON.stringify(env)} loads chalk`,
        );
    }
});

// `tipcx top --help` and every other command must not load react or ink: the
// UI is imported lazily on the terminal path of `top` only.
test('top --help, link list --help, usage errors and the NDJSON path load no ink, react or top UI code', () => {
    const argvs = [
        ['top', '--help'],
        ['top', '-h'],
        ['link', 'list', '--help'],
        ['top', 'sort', 'bogus'],
        ['top', 'interval', '0'],
        ['top', 'count', '1', 'interval', '0.1'],
    ];
    const urls = loadGraph(`
const { main } = await import(${JSON.stringify(mainUrl)});
const sink = { write() {} };
for (const argv of ${JSON.stringify(argvs)}) await main(argv, { stdout: sink, stderr: sink, env: {}, isTTY: false });
`).esm;
    assert.ok(
        urls.some((u) => u.endsWith('/build/src/commands/index.js')),
        'the probe saw the CLI',
    );
    assert.deepEqual(
        urls.filter((u) => UI_CODE.test(u)),
        [],
    );
});

test('control: the probe sees ink when the UI module is loaded', () => {
    const urls = loadGraph(`await import(${JSON.stringify(new URL('build/src/top/ui/app.js', root).href)});`).esm;
    assert.ok(urls.some((u) => /node_modules\/ink\//.test(u)));
    assert.ok(urls.some((u) => /node_modules\/react\//.test(u)));
});
