/**
 * Whether the running kernel has TIPC, where that can be known without a
 * socket. Free of the netlink package and of native modules: a command on a
 * kernel that provably lacks TIPC answers exit 3 before loading them
 * (src/cli/execute.ts, refuseIfTipcProvablyAbsent), with the sentence the family lookup gives.
 */
import { existsSync, readFileSync } from 'node:fs';
import { TIPC_GENL } from './family.js';

/** The failure of every kernel command when the TIPC family cannot be found (exit 3). */
export const TIPC_NOT_AVAILABLE =
    `TIPC is not available in this kernel (generic netlink family ${TIPC_GENL.name} not found): ` +
    'load it with "modprobe tipc", or run on a TIPC-capable kernel (tipcx sandbox).';

/**
 * True only when TIPC is certainly absent, so that the family lookup would
 * fail: the kernel cannot load modules (no /proc/modules: built without
 * CONFIG_MODULES, so the genl controller's request for the tipc module cannot
 * happen) and TIPC is not registered (its socket layer, "TIPC", is missing
 * from /proc/net/protocols, where tipc_init puts it next to the genl family).
 * Anything unreadable or unexpected is "not known": false, and the kernel is
 * asked as usual. `proc` is for tests.
 */
export function tipcProvablyAbsent(proc = '/proc'): boolean {
    let protocols: string;
    try {
        protocols = readFileSync(`${proc}/net/protocols`, 'latin1');
    } catch {
        return false;
    }
    const lines = protocols.split('\n');
    // the header, then one protocol a line, its name first (net/core/sock.c)
    if (!lines[0].startsWith('protocol ') || lines.length < 3) return false;
    if (lines.some((line) => line.startsWith('TIPC '))) return false;
    // /proc is mounted (the file above was read) yet has no modules file
    return !existsSync(`${proc}/modules`);
}
