/**
 * koffi, loaded with as little probing as the package allows. Its own loader
 * (koffi/index.cjs) checks the Node-API version, reads node's ELF headers to
 * tell glibc from musl, probes several directories for koffi.node and wraps
 * deprecated functions: about 20 ms, against about 2 ms for the binary alone
 * (docs/design.md). The binary for this platform is in koffi's optional
 * dependency @koromix/koffi-<platform>-<arch>, under <platform>_<arch>/
 * for glibc; anything else (musl, another platform, a layout that changed)
 * goes through koffi's own loader.
 *
 * The binary is found by its path in the node_modules directories that
 * require('koffi') would search, not by require.resolve('koffi'): koffi's
 * package.json has "exports", and Node's exports resolver, run for the first
 * time in the process, cost about 1.5 ms of a 60 ms command on its own.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export type Koffi = typeof import('koffi');

const PREBUILT_ARCHES = new Set(['x64', 'arm64']);

export function loadKoffi(): Koffi {
    // createRequire keeps the load synchronous: withNetns must not await. From the
    // file's path, not import.meta.url: in the bundle that URL is made on first use,
    // and making it and reading it back cost about 1.4 ms of every -n command.
    const load = createRequire(import.meta.filename);
    if (process.platform === 'linux' && PREBUILT_ARCHES.has(process.arch)) {
        const binary = prebuiltBinary(load.resolve.paths('koffi') ?? []);
        try {
            // by require: the instance already loaded, if any, is the one used (bench/replay/preload.cts patches it)
            if (binary !== undefined) return load(binary) as Koffi;
        } catch {
            // musl, or a binary this Node cannot load: koffi's own loader decides
        }
    }
    return load('koffi') as Koffi;
}

/**
 * koffi.node for glibc on this architecture, from the first of `searched`
 * (node_modules directories, nearest first) that holds koffi: in koffi's own
 * node_modules, or beside koffi where npm hoisted it.
 */
function prebuiltBinary(searched: readonly string[]): string | undefined {
    const inPackage = join(`@koromix`, `koffi-linux-${process.arch}`, `linux_${process.arch}`, 'koffi.node');
    for (const dir of searched) {
        if (!existsSync(join(dir, 'koffi', 'package.json'))) continue;
        for (const file of [join(dir, 'koffi', 'node_modules', inPackage), join(dir, inPackage)])
            if (existsSync(file)) return file;
        return undefined;
    }
    return undefined;
}
