/**
 * koffi, loaded with as little probing as the package allows. Its own loader
 * (koffi/index.cjs) checks the Node-API version, reads node's ELF headers to
 * tell glibc from musl, probes several directories for koffi.node and wraps
 * deprecated functions: about 20 ms, against about 2 ms for the binary alone
 * (docs/design.md). The binary for this platform is in koffi's optional
 * dependency @koromix/koffi-<platform>-<arch>, under <platform>_<arch>/
 * for glibc; anything else (musl, another platform, a layout that changed)
 * goes through koffi's own loader.
 */
import { createRequire } from 'node:module';

export type Koffi = typeof import('koffi');

const PREBUILT_ARCHES = new Set(['x64', 'arm64']);

export function loadKoffi(): Koffi {
    // createRequire keeps the load synchronous: withNetns must not await.
    const load = createRequire(import.meta.url);
    if (process.platform === 'linux' && PREBUILT_ARCHES.has(process.arch)) {
        try {
            // resolved from koffi itself, where npm put its optional dependency
            const fromKoffi = createRequire(load.resolve('koffi'));
            const binary = `@koromix/koffi-linux-${process.arch}/linux_${process.arch}/koffi.node`;
            return fromKoffi(binary) as Koffi;
        } catch {
            // musl, or not installed where expected: koffi's own loader finds it
        }
    }
    return load('koffi') as Koffi;
}
