// Whether the tipc kernel module is loaded, and whether this kernel has one
// that `modprobe tipc` could load: the kernel does not load it by itself, as
// its module declares no alias for the AF_TIPC family or the TIPCv2 generic
// netlink family (socket(AF_TIPC) and the family look-up fail until it is
// loaded, checked in the lab).
import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';

/** Present while the module is loaded; a new directory (inode) each time it is loaded again. */
export const TIPC_MODULE_SYSFS = '/sys/module/tipc';

export function tipcModuleLoaded(): boolean {
    return existsSync(TIPC_MODULE_SYSFS);
}

/** The running kernel's modules.dep lists tipc.ko (compressed or not): it can be loaded. */
export function tipcModuleInstalled(): boolean {
    try {
        return /(^|\/)tipc\.ko(\.\w+)?:/m.test(readFileSync(`/lib/modules/${release()}/modules.dep`, 'utf8'));
    } catch {
        return false;
    }
}
