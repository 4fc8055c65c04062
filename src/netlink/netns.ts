/**
 * Sockets in any network namespace from one process. A socket belongs to the
 * namespace of the thread that creates it, forever; so we switch the calling
 * thread with setns(2), create the socket synchronously, and switch back.
 * Node cannot call setns itself: koffi does, loaded only when a switch happens.
 */
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, statSync, statfsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { EnvironmentError, UsageError, quoted, strerror, systemReason } from '../errors.js';
import { loadKoffi, type Koffi } from './koffi.js';

type KoffiLib = ReturnType<Koffi['load']>;

export type NetnsRef = { name: string } | { path: string } | { pid: number };

export const NETNS_RUN_DIR = '/run/netns';
const SELF_NETNS = '/proc/thread-self/ns/net';
const NSFS_MAGIC = 0x6e736673;
const CLONE_NEWNET = 0x40000000;

let ffi: { koffi: Koffi; libc: KoffiLib } | undefined;

/** koffi and the process's own symbols (libc included), loaded on first use. */
export function loadLibc(): { koffi: Koffi; libc: KoffiLib } {
    if (!ffi) {
        const koffi = loadKoffi();
        ffi = { koffi, libc: koffi.load(null) };
    }
    return ffi;
}

let setnsFn: ((fd: number, nstype: number) => number) | undefined;
function setns(fd: number): number {
    setnsFn ??= loadLibc().libc.func('int setns(int fd, int nstype)') as (fd: number, nstype: number) => number;
    return setnsFn(fd, CLONE_NEWNET) === 0 ? 0 : loadLibc().koffi.errno();
}

/** How a namespace is named in messages. */
export function describeNetns(ref: NetnsRef): string {
    if ('name' in ref) return `network namespace ${quoted(ref.name)}`;
    if ('path' in ref) return `network namespace ${ref.path}`;
    return `network namespace of pid ${ref.pid}`;
}

/** Throws UsageError unless `name` is one plain entry of /run/netns. */
export function validateNetnsName(name: string): void {
    if (name === '' || name === '.' || name === '..' || /[/\0]/.test(name) || name.length > 255)
        throw new UsageError(
            `invalid network namespace name ${quoted(name)}: expected a plain name as in "ip netns list"`,
        );
}

const isNsfs = (path: string): boolean => {
    try {
        return statfsSync(path).type === NSFS_MAGIC;
    } catch {
        return false;
    }
};

// lstat: a symlink planted in /run/netns must not lead us elsewhere. A regular
// file that is not an nsfs mount is left over from a failed "ip netns add".
const isNamedNetns = (path: string): boolean => {
    try {
        return lstatSync(path).isFile() && isNsfs(path);
    } catch {
        return false;
    }
};

const errCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | null)?.code;

/** The namespace file for `ref`, checked to exist and to be a namespace. */
export function resolveNetns(ref: NetnsRef): string {
    if ('name' in ref) {
        validateNetnsName(ref.name);
        const path = join(NETNS_RUN_DIR, ref.name);
        if (!isNamedNetns(path))
            throw new EnvironmentError(`no such network namespace ${quoted(ref.name)} (see ip netns list)`);
        return path;
    }
    if ('path' in ref) {
        if (!isAbsolute(ref.path)) throw new UsageError(`network namespace path must be absolute: ${ref.path}`);
        try {
            statSync(ref.path);
        } catch (e) {
            if (errCode(e) === 'ENOENT') throw new EnvironmentError(`no such network namespace file ${ref.path}`);
            throw new EnvironmentError(`cannot read ${ref.path}: ${systemReason(e)}`, { cause: e });
        }
        if (!isNsfs(ref.path))
            throw new EnvironmentError(`${ref.path} is not a namespace file (expected e.g. /proc/PID/ns/net)`);
        return ref.path;
    }
    if (!Number.isSafeInteger(ref.pid) || ref.pid <= 0) throw new UsageError(`invalid pid ${ref.pid}`);
    const path = `/proc/${ref.pid}/ns/net`;
    try {
        statSync(path);
    } catch (e) {
        if (errCode(e) === 'ENOENT') throw new EnvironmentError(`no such process ${ref.pid}`);
        throw new EnvironmentError(`cannot read ${path}: ${systemReason(e)}`, { cause: e });
    }
    return path;
}

/** Names under /run/netns that really are namespaces, sorted. */
export function listNamedNetns(): string[] {
    let names: string[];
    try {
        names = readdirSync(NETNS_RUN_DIR);
    } catch {
        return [];
    }
    return names.filter((n) => isNamedNetns(join(NETNS_RUN_DIR, n))).sort();
}

/** Inode identifying a namespace: equal inodes are the same namespace (nsfs has one device). */
export function netnsInode(ref: string | NetnsRef): number {
    return statSync(typeof ref === 'string' ? ref : resolveNetns(ref)).ino;
}

/** Whether the namespace can still be found (a named one may be deleted while tipcx reads it). */
export function netnsExists(ref: NetnsRef): boolean {
    try {
        netnsInode(ref);
        return true;
    } catch {
        return false;
    }
}

/** Inode of the calling thread's current network namespace. */
export function currentNetnsInode(): number {
    return statSync(SELF_NETNS).ino;
}

function openNs(path: string, what: string): number {
    try {
        return openSync(path, 'r');
    } catch (e) {
        const code = errCode(e);
        if (code === 'EACCES' || code === 'EPERM')
            throw new EnvironmentError(`opening the ${what} needs root (CAP_SYS_ADMIN)`, { cause: e });
        throw new EnvironmentError(`cannot open the ${what}: ${systemReason(e)}`, { cause: e });
    }
}

/**
 * Runs `fn` with the calling thread inside the namespace `ref` (undefined: the
 * current one, without loading koffi) and switches back before returning.
 * Only what `fn` does synchronously happens inside: create sockets there and
 * keep any awaiting for later.
 */
export function withNetns<T>(ref: NetnsRef | undefined, fn: () => T): T {
    if (ref === undefined) return fn();
    const what = describeNetns(ref);
    const target = resolveNetns(ref);
    const selfFd = openNs(SELF_NETNS, 'current network namespace');
    try {
        const targetFd = openNs(target, what);
        try {
            const a = fstatSync(selfFd);
            const b = fstatSync(targetFd);
            // Already there: no privilege needed, so unprivileged users can name their own namespace.
            if (a.ino === b.ino && a.dev === b.dev) return fn();
            const err = setns(targetFd);
            if (err !== 0) throw setnsError(err, what);
            try {
                return fn();
            } finally {
                const back = setns(selfFd);
                // Carrying on in the wrong namespace would silently act on the wrong objects.
                if (back !== 0)
                    // eslint-disable-next-line no-unsafe-finally -- this failure must replace whatever fn() returned or threw
                    throw new EnvironmentError(`cannot return to the original network namespace: ${strerror(back)}`, {
                        errno: back,
                    });
            }
        } finally {
            closeSync(targetFd);
        }
    } finally {
        closeSync(selfFd);
    }
}

function setnsError(errno: number, what: string): EnvironmentError {
    if (errno === 1) return new EnvironmentError(`entering the ${what} needs root (CAP_SYS_ADMIN)`, { errno });
    if (errno === 22) return new EnvironmentError(`the ${what} is not a network namespace`, { errno });
    return new EnvironmentError(`cannot enter the ${what}: ${strerror(errno)}`, { errno });
}
