/**
 * The bundle (`npm run build` runs it after tsc; `npm run bundle` alone): the
 * only JavaScript the package ships, seven files in dist/tipcx/cli/, each
 * source module in exactly one of them (test/unit/bundle.test.ts):
 *
 * - tipcx.cjs, the CLI file: what the entry reaches without import() (the
 *   parser, every command's definition and help (an object's commands run
 *   only when a command line walks into the object: commandsOnFirstUse),
 *   completion, the executor),
 *   as one CommonJS file, so that bin/tipcx starts with no ESM loader and
 *   hands V8 a code cache for it. It is what help, version, a TAB, a usage
 *   error and the exit-3 answer run, and nothing more: a handler's import()
 *   of anything else is taken from one of the two lazy files below, loaded
 *   when the import() runs (LAZY_LOADER; bin/tipcx gives each a code cache
 *   of its own). Besides the launcher's `run` and `loadLazyWith`, it
 *   exports `lazyFile(name)`, through which every file loads a lazy file,
 *   and `cliModule()`: the modules the other files take from it.
 * - tipcx-lazy.cjs, the lazy file: what the handlers of the commands
 *   iproute2 also has import(), and all it reaches, netlink and the packages
 *   included.
 * - tipcx-extensions.cjs: what only tipcx's own commands import()
 *   (EXTENSION_COMMANDS: top, the exporter, events, crossover, proof, the
 *   lab, the sandbox), with `library()` and `sandboxInside()`.
 *   In both lazy files, lazy `import()`s stay lazy (esbuild wraps their
 *   targets in functions that run on first use), they export
 *   `lazyModule()`, and a module another file holds comes from that file's
 *   running instance (fromOtherFile), never as a second copy.
 * - library.cjs: the package's "." export, src/index.ts's names re-exported
 *   from tipcx-extensions.cjs (with the names listed for Node's ESM import of CommonJS).
 * - sandbox-inside.cjs: what `node` runs inside the sandbox kernels.
 * - top-ui.mjs: `tipcx top`'s screen (src/top/ui/) with ink and react, ESM
 *   because ink is ESM-only with top-level await (yoga's WebAssembly);
 *   imported only when top draws a screen. The modules it shares with the
 *   CommonJS files (view, rates, keys...) come from their running instances.
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
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUNDLE_DIR = 'dist/tipcx/cli';
export const CLI_BUNDLE = 'tipcx.cjs';
export const LAZY_BUNDLE = 'tipcx-lazy.cjs';
export const EXTENSIONS_BUNDLE = 'tipcx-extensions.cjs';
export const LIBRARY_BUNDLE = 'library.cjs';
export const SANDBOX_BUNDLE = 'sandbox-inside.cjs';
export const TUI_BUNDLE = 'top-ui.mjs';
export const ESM_IMPORT = 'esm-import.cjs';
/**
 * Modules the CLI file keeps although they are only import()ed: the exit-3
 * answer on a kernel that provably has no TIPC (src/cli/io.ts whyNoTipc,
 * asked by src/cli/execute.ts) then loads nothing more than help does.
 */
const KEPT_LAZY = ['src/netlink/availability.ts'];

/**
 * The command files of tipcx's own top-level words (`extension` in their
 * definitions; test/unit/bundle.test.ts holds the two to the same list):
 * what only they import() goes to the extensions file, so that a command
 * iproute2 also has never reads or deserializes top, the exporter, the lab
 * or the proofs.
 */
export const EXTENSION_COMMANDS =
    /^src\/commands\/(top|exporter|events|crossover|proof|sandbox|completion)\.ts$|^src\/commands\/lab\//;
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
 * In the CLI file, src/commands/index.ts's import of an object's commands
 * (src/commands/OBJECT/index.ts, Registration.commands in
 * src/cli/registry.ts) becomes a require() made when they are first asked
 * for. esbuild then wraps the object's command modules in functions run on
 * first use: a command line runs the definitions of its own object only, and
 * help and a TAB at the top level run none (docs/design.md, "A bundle and a
 * code cache").
 */
const commandsOnFirstUse = (root: string): Plugin => ({
    name: 'commands-on-first-use',
    setup(b) {
        b.onResolve({ filter: /^\.\/[a-z]+\/index\.js$/ }, (args) =>
            args.importer === join(root, 'src', 'commands', 'index.ts')
                ? { path: `src/commands/${args.path.slice(2, -3)}.ts`, namespace: 'tipcx-commands' }
                : undefined,
        );
        b.onLoad({ filter: /.*/, namespace: 'tipcx-commands' }, (args) => ({
            contents: `export const commands = () => require('./index.ts').commands();\n`,
            loader: 'js',
            resolveDir: join(root, dirname(args.path)),
        }));
    },
});

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

/**
 * The CLI file's entry: run() for bin/tipcx, the hook that loads the lazy
 * file, and its modules the other files use. Those are imported statically,
 * as namespaces: a module the entry require()d would be wrapped by esbuild
 * in a function run on first use, and with it every module it imports (the
 * sandbox payload takes main.ts, so the whole command tree), where static
 * imports leave them as plain top-level code.
 */
function cliEntry(shared: readonly string[]): string {
    const sorted = [...shared].sort();
    return `export { run } from './src/cli/entry.ts';
export { loadLazyWith, lazyFile } from ${JSON.stringify(LAZY_LOADER)};
${sorted.map((p, i) => `import * as shared${i} from ${JSON.stringify(`./${p}`)};`).join('\n')}
const CLI_MODULES = {
${sorted.map((p, i) => `    ${JSON.stringify(p)}: shared${i},`).join('\n')}
};
export const cliModule = (path) => CLI_MODULES[path];
`;
}

/**
 * A lazy file's entry: the modules the other files import from it, and in
 * the extensions file the library and the sandbox payload.
 */
function lazyEntry(shared: readonly string[], withPackageEntries = false): string {
    const entries = withPackageEntries
        ? `export const library = () => require('./src/index.ts');
export const sandboxInside = (argv) => require('./src/lab/sandbox-inside.ts').runSandboxInside(argv);
`
        : '';
    return `${entries}const LAZY_MODULES = {
${moduleTable(shared)}
};
export const lazyModule = (path) => LAZY_MODULES[path]();
`;
}

const moduleTable = (paths: readonly string[]) =>
    [...paths]
        .sort()
        .map((p) => `    ${JSON.stringify(p)}: () => require(${JSON.stringify(`./${p}`)}),`)
        .join('\n');

const LAZY_FILES = [LAZY_BUNDLE, EXTENSIONS_BUNDLE] as const;

/**
 * In the CLI file, how a lazy file is loaded, once, by its name: by bin/tipcx's
 * loader (which gives it a code cache) once bin/tipcx has set it, else by
 * require (the library and the sandbox payload start from the extensions
 * file). The other files load a lazy file through this too (`lazyFile`).
 */
const LAZY_LOADER = 'tipcx:lazy-loader';
const lazyLoaderSource = `const FILES = {
${LAZY_FILES.map((f) => `    ${JSON.stringify(f)}: () => require(${JSON.stringify(`./${f}`)}),`).join('\n')}
};
let load = (name) => FILES[name]();
const loaded = new Map();
export const loadLazyWith = (loader) => { load = loader; };
export const lazyFile = (name) => {
    if (!loaded.has(name)) loaded.set(name, load(name));
    return loaded.get(name);
};
`;

type Holder = typeof CLI_BUNDLE | (typeof LAZY_FILES)[number];
const HOLDER_FILES: readonly Holder[] = [CLI_BUNDLE, ...LAZY_FILES];

/**
 * Where a module that another file holds comes from: that file's running
 * instance, by a hook it exports; a lazy file through the CLI file's
 * loader, so that bin/tipcx's code cache applies whoever loads it first
 * (`inCliFile`: the CLI file itself, which reaches its loader directly).
 */
function holderInstance(file: Holder, path: string, inCliFile: boolean): string {
    const p = JSON.stringify(path);
    if (file === CLI_BUNDLE) return `require(${JSON.stringify(`./${CLI_BUNDLE}`)}).cliModule(${p})`;
    const loader = inCliFile
        ? `require(${JSON.stringify(LAZY_LOADER)})`
        : `require(${JSON.stringify(`./${CLI_BUNDLE}`)})`;
    return `${loader}.lazyFile(${JSON.stringify(file)}).lazyModule(${p})`;
}

/**
 * The module an importer sees in place of one another file holds. A source
 * module (ESM, its export names known: `exports`) becomes a module of
 * constants read once from the holder's instance, so that every use of an
 * imported name is a plain variable. As CommonJS (`module.exports =`, what
 * packages get), esbuild reaches each name through two getters, one of them
 * a keyed load that every shared name goes through (megamorphic): about 7%
 * of top's CPU at 64 namespaces (docs/benchmarks.md). A copy made once sees
 * what a live binding would only if the module exports no `let` or `var`:
 * exportNames refuses one that does.
 */
function holderSource(file: Holder, path: string, inCliFile: boolean, exports: readonly string[] | undefined): string {
    const instance = holderInstance(file, path, inCliFile);
    if (exports === undefined) return `module.exports = ${instance};\n`;
    const names = exports.map((name) =>
        name === 'default' ? 'export default held.default;' : `export const ${name} = held.${name};`,
    );
    return [`const held = ${instance};`, ...names, ''].join('\n');
}

/** A module's export names, as esbuild reads them (without bundling). */
async function exportNames(root: string, path: string): Promise<readonly string[]> {
    const r = await build({
        absWorkingDir: root,
        entryPoints: [path],
        bundle: false,
        format: 'esm',
        write: false,
        metafile: true,
        logLevel: 'silent',
    });
    return Object.values(r.metafile.outputs)[0]?.exports ?? [];
}

/** The source tree the bundle files share modules of, and their export names, read once per bundle. */
interface SharedSources {
    readonly root: string;
    exportsOf(path: string): Promise<readonly string[]>;
}

function sharedSources(root: string): SharedSources {
    const known = new Map<string, Promise<readonly string[]>>();
    return {
        root,
        exportsOf(path) {
            let names = known.get(path);
            if (names === undefined) {
                if (/^export\s+(let|var)\s/m.test(readFileSync(join(root, path), 'utf8')))
                    throw new Error(
                        `${path} exports a let or var, and another bundle file imports it: its importers would see a copy (holderSource)`,
                    );
                names = exportNames(root, path);
                known.set(path, names);
            }
            return names;
        },
    };
}

/**
 * Imports of modules that another output file holds become that file's
 * instance (`cliModule` / `lazyModule`), never a second copy: `holder` names
 * the file for a module (its path from the root) and the kind of import, or
 * undefined to compile it in. `used` collects, per file, the modules taken
 * from it, and `importers` (when given) who imports each. `inCliFile`: the
 * plugin builds the CLI file (holderSource).
 */
const fromOtherFile = (
    sources: SharedSources,
    holder: (path: string, kind: string) => Holder | undefined,
    used: Record<Holder, Set<string>>,
    inCliFile = false,
    importers?: Map<string, Set<string>>,
): Plugin => ({
    name: 'from-other-file',
    setup(b) {
        const { root } = sources;
        b.onResolve({ filter: /^[^:]*$/ }, async (args) => {
            if (HOLDER_FILES.some((f) => args.path === `./${f}`)) return { path: args.path, external: true };
            if (args.namespace !== 'file' || args.pluginData === 'resolving') return undefined;
            const resolved = await b.resolve(args.path, {
                kind: args.kind,
                resolveDir: args.resolveDir,
                importer: args.importer,
                pluginData: 'resolving',
            });
            if (resolved.external || resolved.errors.length > 0 || resolved.namespace !== 'file') return undefined;
            const path = relative(root, resolved.path);
            // each file has its own import.meta shim (they sit side by side): only sources and packages are shared
            if (!/^(src|node_modules)\//.test(path)) return undefined;
            const file = holder(path, args.kind);
            if (file === undefined) return undefined;
            used[file].add(path);
            if (importers) {
                const by = importers.get(path) ?? new Set<string>();
                by.add(relative(root, args.importer));
                importers.set(path, by);
            }
            return { path, namespace: `tipcx-from-${file}` };
        });
        b.onResolve({ filter: new RegExp(`^${LAZY_LOADER}$`) }, () => ({
            path: LAZY_LOADER,
            namespace: 'tipcx-lazy-loader',
        }));
        b.onLoad({ filter: /.*/, namespace: 'tipcx-lazy-loader' }, () => ({
            contents: lazyLoaderSource,
            loader: 'js',
        }));
        for (const file of HOLDER_FILES)
            b.onLoad({ filter: /.*/, namespace: `tipcx-from-${file}` }, async (args) => ({
                contents: holderSource(
                    file,
                    args.path,
                    inCliFile,
                    // the CLI file only import()s what others hold: a namespace object there, once per command
                    args.path.startsWith('src/') && !inCliFile ? await sources.exportsOf(args.path) : undefined,
                ),
                loader: 'js',
            }));
    },
});

/**
 * The lazy file's import of the TUI becomes an import() of top-ui.mjs beside the
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

/**
 * The first line of the CLI file and of the lazy file names the tipcx version
 * and a hash of the file's content: bin/tipcx keys each file's V8 code cache
 * with that line, so that a new bundle never runs with the compiled code of another.
 */
function stampBundle(root: string, file: string): void {
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
            // a file's path and directory are the bundle file's own (every module sits three levels down)
            define: {
                'import.meta.url': 'importMeta.url',
                'import.meta.filename': '__filename',
                'import.meta.dirname': '__dirname',
            },
            plugins: [netlinkBinding, commandsOnFirstUse(root)],
        } satisfies BuildOptions;

        const tuiExports = await exportNames(root, TUI_ENTRY);
        const sources = sharedSources(root);
        const inputs = (r: { metafile: Metafile }) => new Set(Object.keys(r.metafile.inputs));
        const none = (): Record<Holder, Set<string>> => ({
            [CLI_BUNDLE]: new Set(),
            [LAZY_BUNDLE]: new Set(),
            [EXTENSIONS_BUNDLE]: new Set(),
        });
        const union = (...sets: Iterable<string>[]) => [...new Set(sets.flatMap((set) => [...set]))];

        // The CLI file: what the entry reaches without import(), and the lazy imports KEPT_LAZY names.
        const aloneUsed = none();
        const importers = new Map<string, Set<string>>();
        const cliAlone = await build({
            ...cjs,
            stdin: { contents: cliEntry([]), resolveDir: root, sourcefile: 'tipcx-entry.js' },
            plugins: [
                ...cjs.plugins,
                fromOtherFile(
                    sources,
                    (p, kind) => (kind === 'dynamic-import' && !KEPT_LAZY.includes(p) ? LAZY_BUNDLE : undefined),
                    aloneUsed,
                    false,
                    importers,
                ),
            ],
            write: false,
        });
        const inCli = inputs(cliAlone);
        const heldByCli = (p: string): Holder | undefined => (inCli.has(p) ? CLI_BUNDLE : undefined);
        // every module the CLI file import()s that it does not hold already: in the
        // extensions file when only tipcx's own commands import it, else in the lazy file
        const imported = [...aloneUsed[LAZY_BUNDLE]].filter((p) => !inCli.has(p));
        const onlyExtensions = (p: string) => [...(importers.get(p) ?? [])].every((f) => EXTENSION_COMMANDS.test(f));
        const lazyImported = imported.filter((p) => !onlyExtensions(p));
        const extensionsImported = imported.filter(onlyExtensions);

        const lazyAlone = await build({
            ...cjs,
            stdin: { contents: lazyEntry(lazyImported), resolveDir: root, sourcefile: 'tipcx-lazy-entry.js' },
            plugins: [...cjs.plugins, tuiImport(tuiExports), fromOtherFile(sources, heldByCli, none())],
            write: false,
        });
        const inLazy = inputs(lazyAlone);
        const heldByLazy = (p: string): Holder | undefined => (inLazy.has(p) ? LAZY_BUNDLE : undefined);
        const heldByCliOrLazy = (p: string) => heldByCli(p) ?? heldByLazy(p);
        const extensionsAlone = await build({
            ...cjs,
            stdin: {
                contents: lazyEntry(extensionsImported, true),
                resolveDir: root,
                sourcefile: 'tipcx-extensions-entry.js',
            },
            plugins: [...cjs.plugins, tuiImport(tuiExports), fromOtherFile(sources, heldByCliOrLazy, none())],
            write: false,
        });
        const inExtensions = inputs(extensionsAlone);
        const heldByExtensions = (p: string): Holder | undefined =>
            inExtensions.has(p) ? EXTENSIONS_BUNDLE : undefined;

        const tuiUsed = none();
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
            plugins: [
                inkWithoutDevtools,
                // the TUI's own sources that the other files hold (its packages are its own)
                fromOtherFile(
                    sources,
                    (p) => (p.startsWith('src/') ? (heldByCliOrLazy(p) ?? heldByExtensions(p)) : undefined),
                    tuiUsed,
                ),
            ],
            // the shared modules are required from the CommonJS files
            banner: {
                js: "import { createRequire as __tipcxCreateRequire } from 'node:module'; const require = __tipcxCreateRequire(import.meta.url);",
            },
        });
        const extensionsUsed = none();
        const extensions = await build({
            ...cjs,
            stdin: {
                contents: lazyEntry(union(extensionsImported, tuiUsed[EXTENSIONS_BUNDLE]), true),
                resolveDir: root,
                sourcefile: 'tipcx-extensions-entry.js',
            },
            outfile: join(dir, EXTENSIONS_BUNDLE),
            plugins: [...cjs.plugins, tuiImport(tuiExports), fromOtherFile(sources, heldByCliOrLazy, extensionsUsed)],
        });
        const lazyUsed = none();
        const lazy = await build({
            ...cjs,
            stdin: {
                contents: lazyEntry(union(lazyImported, tuiUsed[LAZY_BUNDLE], extensionsUsed[LAZY_BUNDLE])),
                resolveDir: root,
                sourcefile: 'tipcx-lazy-entry.js',
            },
            outfile: join(dir, LAZY_BUNDLE),
            plugins: [...cjs.plugins, tuiImport(tuiExports), fromOtherFile(sources, heldByCli, lazyUsed)],
        });
        const cli = await build({
            ...cjs,
            stdin: {
                contents: cliEntry(union(lazyUsed[CLI_BUNDLE], extensionsUsed[CLI_BUNDLE], tuiUsed[CLI_BUNDLE])),
                resolveDir: root,
                sourcefile: 'tipcx-entry.js',
            },
            outfile: join(dir, CLI_BUNDLE),
            plugins: [
                ...cjs.plugins,
                fromOtherFile(
                    sources,
                    (p, kind) => (kind === 'dynamic-import' ? (heldByLazy(p) ?? heldByExtensions(p)) : undefined),
                    none(),
                    true,
                ),
            ],
        });
        for (const file of HOLDER_FILES) stampBundle(root, join(dir, file));

        const names = await exportNames(root, 'src/index.ts');
        writeFileSync(
            join(dir, LIBRARY_BUNDLE),
            `'use strict';\n// tipcx as a library (src/index.ts), from the one copy of the code in ${EXTENSIONS_BUNDLE}.\n` +
                `module.exports = require('./${EXTENSIONS_BUNDLE}').library();\n` +
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
            `'use strict';\n// What runs inside the sandbox kernels (src/lab/sandbox-inside.ts), from ${EXTENSIONS_BUNDLE}.\n` +
                `require('./${EXTENSIONS_BUNDLE}').sandboxInside(process.argv.slice(2));\n`,
        );
        return {
            dir,
            outputs: {
                [CLI_BUNDLE]: cli.metafile,
                [LAZY_BUNDLE]: lazy.metafile,
                [EXTENSIONS_BUNDLE]: extensions.metafile,
                [TUI_BUNDLE]: tui.metafile,
            },
        };
    } finally {
        rmSync(shim, { force: true });
    }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
    await bundle(fileURLToPath(new URL('../../../', import.meta.url)));
}
