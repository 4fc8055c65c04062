// The real machine behind the sampler: one TipcSession per namespace, named
// namespaces from /run/netns, the module's presence from sysfs.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { pidFromLabel } from '../cli/netns-label.js';
import { NETNS_RUN_DIR, listNamedNetns, type NetnsRef } from '../netlink/netns.js';
import { tipcModuleLoaded } from '../netlink/tipc-module.js';
import { LinkTable, readLinkTable, resetLinkStatistics } from '../tipc/link.js';
import { TipcSession } from '../tipc/session.js';
import { TOP_COUNTERS, type LinkReader, type SamplerEnvironment } from './sampler.js';

/** Dumps must not hang the monitor for long when a namespace is going away. */
const SAMPLE_TIMEOUT_MS = 2000;

export const realEnvironment: SamplerEnvironment = {
    listNamespaces: listNamedNetns,
    namespaceInode(name) {
        try {
            return statSync(namespaceFile(name)).ino;
        } catch {
            return undefined;
        }
    },
    moduleLoaded: tipcModuleLoaded,
    async open(namespace) {
        const session = await TipcSession.open({
            ...(namespace === undefined ? {} : { netns: namespaceRef(namespace) }),
            timeoutMs: SAMPLE_TIMEOUT_MS,
        });
        return sessionReader(session);
    },
    now: () => Date.now(),
};

// `top -n pid:N`: a process's namespace, as --all-netns=pids labels it.
const namespaceRef = (name: string): NetnsRef => {
    const pid = pidFromLabel(name);
    return pid === undefined ? { name } : { pid };
};
const namespaceFile = (name: string): string => {
    const pid = pidFromLabel(name);
    return pid === undefined ? join(NETNS_RUN_DIR, name) : `/proc/${pid}/ns/net`;
};

/**
 * A namespace's LinkReader over an open session: every link with the counters
 * top shows (TOP_COUNTERS), or with all of them when asked (the detail pane,
 * the NDJSON `statistics` option), into one table kept for the session.
 */
export function sessionReader(session: TipcSession): LinkReader {
    const table = new LinkTable();
    return {
        read: (full: boolean) => readLinkTable(session, table, full ? undefined : TOP_COUNTERS),
        resetStats: (link) => resetLinkStatistics(session, link),
        close: () => session.close(),
    };
}
