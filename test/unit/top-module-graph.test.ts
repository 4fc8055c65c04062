// `tipcx top --help` and every other command must not load react or ink: the
// UI is imported lazily on the terminal path of `top` only. The probe records
// every URL the ESM loader resolves in a child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('../../../', import.meta.url);
const mainUrl = new URL('build/src/cli/main.js', root).href;
const UI_CODE = /node_modules\/(ink|react|react-reconciler|yoga-layout)\/|build\/src\/top\/ui\//;

function resolvedUrls(script: string): string[] {
    const dir = mkdtempSync(join(tmpdir(), 'tipcx-top-graph-'));
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
            `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`,
        );
        execFileSync(
            process.execPath,
            ['--import', pathToFileURL(join(dir, 'register.mjs')).href, '--input-type=module', '-e', script],
            {
                cwd: new URL('.', root),
                env: { ...process.env, TIPCX_MODULE_LOG: log },
                encoding: 'utf8',
            },
        );
        return readFileSync(log, 'utf8').split('\n').filter(Boolean);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

test('top --help, link list --help, usage errors and the NDJSON path load no ink, react or top UI code', () => {
    const argvs = [
        ['top', '--help'],
        ['top', '-h'],
        ['link', 'list', '--help'],
        ['top', 'sort', 'bogus'],
        ['top', 'interval', '0'],
        ['top', 'count', '1', 'interval', '0.1'],
    ];
    const urls = resolvedUrls(`
const { main } = await import(${JSON.stringify(mainUrl)});
const sink = { write() {} };
for (const argv of ${JSON.stringify(argvs)}) await main(argv, { stdout: sink, stderr: sink, env: {}, isTTY: false });
`);
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
    const urls = resolvedUrls(`await import(${JSON.stringify(new URL('build/src/top/ui/app.js', root).href)});`);
    assert.ok(urls.some((u) => /node_modules\/ink\//.test(u)));
    assert.ok(urls.some((u) => /node_modules\/react\//.test(u)));
});
