/**
 * The bundle (`npm run build` runs it after tsc; `npm run bundle` alone): the
 * only JavaScript the package ships, five files in dist/tipcx/cli/, each
 * source module in exactly one of them (test/unit/bundle.test.ts):
 *
 * - tipcx.cjs: the CLI and everything it reaches, as one CommonJS file, so
 *   bin/tipcx starts with no ESM loader and can hand V8 a code cache for the
 *   whole of it (bin/tipcx). Lazy `import()`s stay lazy: esbuild wraps their
 *   targets in functions that run on first use. Besides the launcher's `run`,
 *   it exports `library()`, `sandboxInside()` and `tuiModule()` for the three
 *   files below, which hold none of its modules.
 * - library.cjs: the package's "." export, src/index.ts's names re-exported
 *   from tipcx.cjs (with the names listed for Node's ESM import of CommonJS).
 * - sandbox-inside.cjs: what `node` runs inside the sandbox kernels.
 * - top-ui.mjs: `tipcx top`'s screen (src/top/ui/) with ink and react, ESM
 *   because ink is ESM-only with top-level await (yoga's WebAssembly);
 *   imported only when top draws a screen. The
 *   modules it shares with the CLI (view, rates, keys...) come from tipcx.cjs
 *   through `tuiModule(path)`, the instance already running.
 *
 * External, loaded from node_modules as installed: koffi (src/netlink/koffi.ts
 * loads its binary directly) and prom-client; ink and react are compiled into
 * top-ui.mjs (inkWithoutDevtools). netlink's JavaScript is bundled;
 * its native binding is loaded from the package's prebuild for this platform
 * (NETLINK_BINDING below) instead of node-gyp-build's directory scan.
 *
 * The output directory is three levels below the package root on purpose:
 * modules find the package root at ../../../ from their own URL, which holds
 * for build/src/<dir>/ and for dist/tipcx/cli/ alike.
 */
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUNDLE_DIR = 'dist/tipcx/cli';
export const CLI_BUNDLE = 'tipcx.cjs';
export const LIBRARY_BUNDLE = 'library.cjs';
export const SANDBOX_BUNDLE = 'sandbox-inside.cjs';
export const TUI_BUNDLE = 'top-ui.mjs';
export const ESM_IMPORT = 'esm-import.cjs';
export const EXTERNAL = ['koffi', 'ink', 'react', 'react/*', 'react-devtools-core', 'prom-client'];

/**
 * ink connects to React DevTools when DEV=true, through its devtools.js
 * (react-devtools-core and ws, neither a dependency of tipcx), and then reads
 * its own package.json beside its files, which is not beside the TUI file. In
 * the TUI file its DEV test (utils.js, that one function) is false, and
 * devtools.js, never reached, is a module that fails as the missing package
 * would, so that neither ws nor an import of an absent package is compiled in.
 */
const inkWithoutDevtools: Plugin = {
    name: 'ink-without-devtools',
    setup(b) {
        const fromInk = (importer: string) => /[/\\]node_modules[/\\]ink[/\\]build[/\\]/.test(importer);
        b.onResolve({ filter: /^\.\/(devtools|utils)\.js$/ }, (args) =>
            fromInk(args.importer) ? { path: args.path, namespace: 'tipcx-ink' } : undefined,
        );
        b.onLoad({ filter: /.*/, namespace: 'tipcx-ink' }, (args) => ({
            contents:
                args.path === './utils.js'
                    ? 'export const isDev = () => false;\n'
                    : 'const missing = new Error("Cannot find package \'react-devtools-core\'");\n' +
                      "missing.code = 'ERR_MODULE_NOT_FOUND';\nthrow missing;\n",
            loader: 'js',
        }));
    },
};

const TUI_ENTRY = 'src/top/ui/app.tsx';

/**
 * netlink's raw.js loads its binding with `require('node-gyp-build')(dir)`,
 * which lists build/ and prebuilds/ and matches tags: loaded here from the
 * prebuild the package ships for this platform, node-gyp-build only when there
 * is none (a binding compiled from source). The package's own directory, not
 * raw.js's __dirname (which is dist/ once bundled).
 */
const NETLINK_BINDING = `
const { dirname } = require('node:path');
const { createRequire } = require('node:module');
module.exports = function loadNetlinkBinding() {
    const dir = dirname(require.resolve('netlink/package.json'));
    try {
        return require(dir + '/prebuilds/' + process.platform + '-' + process.arch + '/node.napi.node');
    } catch {
        return createRequire(dir + '/package.json')('node-gyp-build')(dir);
    }
};
`;

export interface BundleResult {
    /** One metafile per output file, keyed by its name in the output directory. */
    readonly outputs: Readonly<Record<string, Metafile>>;
    readonly dir: string;
}

const importMetaShim = (dir: string) => join(dir, 'import-meta-url.js');

/**
 * `import.meta.url` in the CommonJS files: the bundle file's own URL (every
 * module sits three levels down), made when first read: most runs never read it.
 */
function writeImportMetaShim(dir: string): string {
    const file = importMetaShim(dir);
    writeFileSync(
        file,
        "let url;\nexport const importMeta = { get url() { return (url ??= require('node:url').pathToFileURL(__filename).href); } };\n",
    );
    return file;
}

/** Resolves netlink's node-gyp-build to NETLINK_BINDING. */
const netlinkBinding: Plugin = {
    name: 'netlink-binding',
    setup(b) {
        b.onResolve({ filter: /^node-gyp-build$/ }, (args) =>
            /[/\\]node_modules[/\\]netlink[/\\]/.test(args.importer)
                ? { path: 'netlink-binding', namespace: 'tipcx-netlink-binding' }
                : undefined,
        );
        b.onLoad({ filter: /.*/, namespace: 'tipcx-netlink-binding' }, () => ({
            contents: NETLINK_BINDING,
            loader: 'js',
        }));
    },
};

const commonOptions = (root: string) =>
    ({
        absWorkingDir: root,
        bundle: true,
        platform: 'node',
        target: 'node20',
        metafile: true,
        legalComments: 'none',
        logLevel: 'warning',
    }) as const satisfies BuildOptions;

/** The CLI file's entry: run() for bin/tipcx and the hooks of the three other files. */
function cliEntry(shared: readonly string[]): string {
    const table = shared.map((p) => `    ${JSON.stringify(p)}: () => require(${JSON.stringify(`./${p}`)}),`).join('\n');
    return `export { run } from './src/cli/entry.ts';
export const library = () => require('./src/index.ts');
export const sandboxInside = (argv) => require('./src/lab/sandbox-inside.ts').runSandboxInside(argv);
const TUI_MODULES = {
${table}
};
export const tuiModule = (path) => TUI_MODULES[path]();
`;
}

/**
 * The CLI's import of the TUI becomes an import() of top-ui.mjs beside the
 * bundle file (made by esm-import.cjs), with the same exports.
 */
const tuiImport = (tuiExports: readonly string[]): Plugin => ({
    name: 'tui-import',
    setup(b) {
        b.onResolve({ filter: /\/ui\/app\.js$/ }, (args) =>
            args.importer.endsWith('src/top/run.ts') ? { path: 'top-ui', namespace: 'tipcx-tui' } : undefined,
        );
        b.onLoad({ filter: /.*/, namespace: 'tipcx-tui' }, () => ({
            contents:
                `const ui = () => require(${JSON.stringify(`./${ESM_IMPORT}`)})(require('node:url').pathToFileURL(require('node:path').join(__dirname, ${JSON.stringify(TUI_BUNDLE)})).href);\n` +
                tuiExports.map((e) => `export const ${e} = async (...args) => (await ui()).${e}(...args);\n`).join(''),
            loader: 'js',
        }));
    },
});

/** In the TUI file, a module the CLI file holds is taken from the running CLI (tuiModule). */
const sharedWithCli = (root: string, inCli: ReadonlySet<string>, used: Set<string>): Plugin => ({
    name: 'shared-with-cli',
    setup(b) {
        b.onResolve({ filter: /^\.\.?\// }, async (args) => {
            if (args.namespace !== 'file' || args.pluginData === 'resolving') return undefined;
            const resolved = await b.resolve(args.path, {
                kind: args.kind,
                resolveDir: args.resolveDir,
                importer: args.importer,
                pluginData: 'resolving',
            });
            const path = relative(root, resolved.path);
            if (!inCli.has(path)) return undefined;
            used.add(path);
            return { path, namespace: 'tipcx-shared' };
        });
        b.onLoad({ filter: /.*/, namespace: 'tipcx-shared' }, (args) => ({
            contents: `module.exports = require(${JSON.stringify(`./${CLI_BUNDLE}`)}).tuiModule(${JSON.stringify(args.path)});\n`,
            loader: 'js',
        }));
        b.onResolve({ filter: new RegExp(`^\\./${CLI_BUNDLE.replace('.', '\\.')}$`) }, (args) => ({
            path: args.path,
            external: true,
        }));
    },
});

/**
 * The CLI file's first line names the tipcx version and a hash of the file's
 * content: bin/tipcx keys its V8 code cache with that line, so that a new
 * bundle never runs with the compiled code of another.
 */
function stampCliBundle(root: string, file: string): void {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const code = readFileSync(file, 'utf8');
    const hash = createHash('sha256').update(code).digest('hex').slice(0, 32);
    writeFileSync(file, `// tipcx ${version} bundle sha256:${hash}\n${code}`);
}

/**
 * Bundles `root`'s sources into root/dist/tipcx/cli (or into `outdir`,
 * absolute, which then leaves root/dist alone) and returns each output's
 * metafile (test/unit/bundle.test.ts reads which sources went where).
 */
export async function bundle(root: string, outdir?: string): Promise<BundleResult> {
    const dir = outdir ?? join(root, BUNDLE_DIR);
    if (outdir === undefined) rmSync(join(root, 'dist'), { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const shim = writeImportMetaShim(dir);
    try {
        const cjs = {
            ...commonOptions(root),
            format: 'cjs',
            external: [...EXTERNAL, 'netlink/package.json', `./${ESM_IMPORT}`],
            inject: [shim],
            define: { 'import.meta.url': 'importMeta.url' },
            plugins: [netlinkBinding],
        } satisfies BuildOptions;

        // What the TUI exports, and which modules the CLI holds without it.
        const tuiAlone = await build({
            ...commonOptions(root),
            format: 'esm',
            entryPoints: [TUI_ENTRY],
            external: EXTERNAL,
            packages: 'external',
            write: false,
        });
        const tuiExports = Object.values(tuiAlone.metafile.outputs)[0]?.exports ?? [];
        const cliAlone = await build({
            ...cjs,
            stdin: { contents: cliEntry([]), resolveDir: root, sourcefile: 'tipcx-entry.js' },
            plugins: [...cjs.plugins, tuiImport(tuiExports)],
            write: false,
        });
        const inCli = new Set(Object.keys(cliAlone.metafile.inputs).filter((p) => p.startsWith('src/')));

        const shared = new Set<string>();
        const tui = await build({
            ...commonOptions(root),
            format: 'esm',
            entryPoints: [TUI_ENTRY],
            outfile: join(dir, TUI_BUNDLE),
            // ink and react compiled in: from node_modules, ink made Node's ESM loader open
            // about 640 files (416 of them es-toolkit's), 1.4 s before top's first frame
            // natively and about 8 s in a lab kernel (docs/benchmarks.md, "`top`: time to its first full frame")
            define: {
                // React's own files choose their production build by this at run time: here at build time
                'process.env.NODE_ENV': '"production"',
                // yoga's loader fetch()es its WebAssembly from a data: URL when fetch exists, and the
                // first touch of Node's fetch loads undici (57 ms natively); without it, it decodes
                // the same bytes itself. Nothing else in the TUI file uses fetch.
                fetch: 'undefined',
            },
            plugins: [sharedWithCli(root, inCli, shared), inkWithoutDevtools],
            // the shared modules are required from tipcx.cjs
            banner: {
                js: "import { createRequire as __tipcxCreateRequire } from 'node:module'; const require = __tipcxCreateRequire(import.meta.url);",
            },
        });
        const cli = await build({
            ...cjs,
            stdin: { contents: cliEntry([...shared].sort()), resolveDir: root, sourcefile: 'tipcx-entry.js' },
            outfile: join(dir, CLI_BUNDLE),
            plugins: [...cjs.plugins, tuiImport(tuiExports)],
        });

        stampCliBundle(root, join(dir, CLI_BUNDLE));

        const libraryNames = await build({
            ...commonOptions(root),
            format: 'esm',
            entryPoints: ['src/index.ts'],
            packages: 'external',
            write: false,
        });
        const names = Object.values(libraryNames.metafile.outputs)[0]?.exports ?? [];
        writeFileSync(
            join(dir, LIBRARY_BUNDLE),
            `'use strict';\n// tipcx as a library (src/index.ts), from the one copy of the code in ${CLI_BUNDLE}.\n` +
                `module.exports = require('./${CLI_BUNDLE}').library();\n` +
                `// The names, for Node's import of CommonJS (cjs-module-lexer reads this line; it never runs).\n` +
                `0 && (module.exports = { ${names.join(', ')} });\n`,
        );
        writeFileSync(
            join(dir, ESM_IMPORT),
            `'use strict';\n// The dynamic import of ${CLI_BUNDLE}: bin/tipcx compiles that file with vm.Script, which has no\n` +
                `// module loader of its own (the vm option for one is experimental and lost with a code cache); here Node's applies.\n` +
                `module.exports = (url) => import(url);\n`,
        );
        writeFileSync(
            join(dir, SANDBOX_BUNDLE),
            `'use strict';\n// What runs inside the sandbox kernels (src/lab/sandbox-inside.ts), from ${CLI_BUNDLE}.\n` +
                `require('./${CLI_BUNDLE}').sandboxInside(process.argv.slice(2));\n`,
        );
        return { dir, outputs: { [CLI_BUNDLE]: cli.metafile, [TUI_BUNDLE]: tui.metafile } };
    } finally {
        rmSync(shim, { force: true });
    }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
    await bundle(fileURLToPath(new URL('../../../', import.meta.url)));
}
