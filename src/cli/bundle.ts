/**
 * The release bundle (`npm run bundle`, run by prepack): src/cli/entry.ts and
 * everything it reaches, as ESM chunks in dist/tipcx/cli/. Split at every
 * lazy `import()`, so a handler still loads only the code it needs and the TUI
 * stays out of the start-up path; one file instead of dozens of modules is
 * what makes start-up fast on Node 20 (no compile cache before Node 22).
 *
 * External, loaded from node_modules as installed:
 * - netlink and koffi load their .node files relative to their own directory;
 * - ink and react: ink imports react-devtools-core, which must not be bundled
 *   (and is not installed); the TUI is imported lazily anyway.
 *
 * The output directory is three levels below the package root on purpose:
 * version.ts finds package.json at ../../../package.json from its module,
 * which holds for build/src/cli/ and for dist/tipcx/cli/ alike.
 */
import { build, type Metafile } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BUNDLE_DIR = 'dist/tipcx/cli';
export const BUNDLE_ENTRY = `${BUNDLE_DIR}/tipcx.js`;
export const EXTERNAL = ['netlink', 'koffi', 'ink', 'react', 'react/*', 'react-devtools-core'];

/**
 * Bundles `root`'s sources into root/dist (or into `outdir`, absolute, which
 * then leaves root/dist alone) and returns esbuild's metafile: which source
 * went into which chunk and which chunk imports which (test/unit/bundle.test.ts).
 */
export async function bundle(root: string, outdir?: string): Promise<Metafile> {
    if (outdir === undefined) rmSync(`${root}/dist`, { recursive: true, force: true });
    const result = await build({
        absWorkingDir: root,
        entryPoints: { tipcx: 'src/cli/entry.ts' },
        outdir: outdir ?? BUNDLE_DIR,
        metafile: true,
        bundle: true,
        splitting: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        external: EXTERNAL,
        chunkNames: 'chunk-[hash]',
        // CommonJS dependencies (cli-table3) call require(); ESM has none.
        banner: {
            js: "import { createRequire as __tipcxCreateRequire } from 'node:module'; const require = __tipcxCreateRequire(import.meta.url);",
        },
        legalComments: 'none',
        logLevel: 'warning',
    });
    return result.metafile;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
    await bundle(fileURLToPath(new URL('../../../', import.meta.url)));
}
