import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

// In a process of its own: the test runner's may have loaded koffi already.
test("koffi is koffi.node of this platform's package, found by its path and loaded without koffi's loader", () => {
    const koffiModule = new URL('../../src/netlink/koffi.js', import.meta.url).href;
    const script = `
        import { createRequire } from 'node:module';
        import { loadKoffi } from ${JSON.stringify(koffiModule)};
        const koffi = loadKoffi();
        process.stdout.write(JSON.stringify({ load: typeof koffi.load, loaded: Object.keys(createRequire(import.meta.url).cache) }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const { load, loaded } = JSON.parse(r.stdout) as { load: string; loaded: string[] };
    assert.equal(load, 'function', 'the binary works: koffi.load is there');
    const binary = `/@koromix/koffi-linux-${process.arch}/linux_${process.arch}/koffi.node`;
    assert.deepEqual(
        loaded.filter((f) => f.includes('/koffi')),
        loaded.filter((f) => f.endsWith(binary)),
        `only the binary is loaded: ${loaded.join(', ')}`,
    );
    assert.equal(loaded.filter((f) => f.endsWith(binary)).length, 1);
});
