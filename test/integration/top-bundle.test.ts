// The installed bundle's TUI path: top's own code is a separate file that the
// CommonJS bundle imports lazily, and the V8 code cache must not break that
// import (it once did: "A dynamic import callback was not specified").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertInLab, installedTipcx, waitFor } from './lab.js';

assertInLab();

test('top draws its screen through the bundle, with the code cache cold and warm (the TUI file is imported)', async () => {
    // a real terminal: script(1) gives the installed top a pty, on the lab's real kernel
    const dir = mkdtempSync(join(tmpdir(), 'tipcx-tui-'));
    try {
        for (const round of ['cold', 'warm']) {
            const log = join(dir, `${round}.log`);
            const child = spawn('script', ['-qfc', `${installedTipcx} top`, log], {
                env: { PATH: process.env.PATH, TERM: 'xterm', XDG_CACHE_HOME: join(dir, 'cache') },
                stdio: 'ignore',
            });
            const exited = new Promise((resolve) => child.once('exit', resolve));
            const screen = () => (existsSync(log) ? readFileSync(log, 'utf8') : '');
            const deadline = Date.now() + 60_000;
            while (!screen().includes('\u001b[?1049h') && Date.now() < deadline) {
                if (child.exitCode !== null) break;
                await new Promise((r) => setTimeout(r, 100));
            }
            child.kill('SIGINT');
            await exited;
            assert.ok(screen().includes('\u001b[?1049h'), `${round}: ink took the alternate screen: ${screen()}`);
            assert.doesNotMatch(screen(), /error|warning/i, round);
            // script(1) exits as soon as the terminal closes; top, hung up, writes the cache on its way out after that
            if (round === 'cold')
                await waitFor(
                    'the code cache written as top exits (bin/tipcx: code-cache on Node 20, node-compile-cache later)',
                    () =>
                        ['code-cache/tipcx.cjs.v8', 'node-compile-cache'].some((f) =>
                            existsSync(join(dir, 'cache/tipcx', f)),
                        ),
                );
        }
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});
