/**
 * The TIPCv2 generic netlink transport: resolve the family, send "doit" and
 * "dump" requests, and turn the `netlink` package's failures into typed errors.
 *
 * The package (0.3.0, pinned) is used through its public API only:
 * createGenericNetlink, GenericNetlinkSocket.request/ctrlRequest,
 * NetlinkSocket.generateSeq/close and its 'error' event, and the raw socket's
 * 'message' event. What it gets wrong, and what this thin wrapper does about it:
 * - no request timeout by default, and a request that never resolves keeps
 *   the socket referenced (the process never exits): always pass `timeout`;
 * - errors are plain `Error("Request rejected: EPERM")`: parse the name back;
 * - multipart replies are assembled per socket, not per sequence number, and
 *   the kernel allows one dump per socket: one request in flight at a time;
 * - the NLMSG_DONE that ends a dump is dropped together with the error code
 *   it may carry (a dump the kernel refuses once it has started looks like an
 *   empty success): we listen to the raw socket's datagrams ourselves, before
 *   the package does, and keep the status of the DONE of the request in flight;
 * - an 'error' event with no listener would crash the process: we listen.
 */
import { statSync } from 'node:fs';
import { endianness } from 'node:os';
import type { GenericNetlinkSocket } from 'netlink';
import { EnvironmentError, OperationError, TimeoutError, TipcxError, UsageError, errnoFromName } from '../errors.js';
import { TIPC_NOT_AVAILABLE } from './availability.js';
import { withNetns } from './netns.js';
import { TIPC_GENL } from './schema.js';
import { TIPC_MODULE_SYSFS } from './tipc-module.js';
import type { NetnsRef } from './netns.js';

// Only the generic netlink half of the package: its index also loads
// rtnetlink, nl80211 and WireGuard (most of its code), which was half of
// tipcx's start-up under emulation (see bench/). These three files are the
// modules the package's index re-exports, and only their exported (public)
// functions and constants are used; the exact version pin keeps the paths.
// The bundle (src/cli/bundle.ts) compiles them in, and loads the native
// binding without node-gyp-build's directory scan.
import { Flags, FlagsGet, MessageType } from 'netlink/dist/constants.js';
import { createGenericNetlink } from 'netlink/dist/genl/genl.js';
import { Commands } from 'netlink/dist/genl/structs.js';

const genl = { Commands };

const DEFAULT_TIMEOUT_MS = 5000;

export { TIPC_NOT_AVAILABLE };

/**
 * Each datagram read with one recvmsg into a 32 KiB buffer, instead of the
 * package's default of a peek for its size and then the read (two system
 * calls a datagram). The size matters too: the kernel fills each dump
 * datagram up to the largest buffer the reader has offered (netlink_recvmsg's
 * max_recvmsg_len, capped at 32 KiB; 3,776 bytes otherwise), so a dump of 64
 * links with their statistics comes in 2 datagrams instead of 12. Nothing
 * TIPC sends is one message larger than that. The socket buffer sizes stay
 * the kernel's (the package sets them only when given a number other than 0).
 */
const SOCKET_OPTIONS = { messagePeeking: false, msgBufferSize: 32 * 1024, recvBufferSize: 0, sendBufferSize: 0 };

export interface TipcTransport {
    readonly familyId: number;
    /** A request with REQUEST|ACK; the attribute payloads of the replies (none for a bare ACK). */
    doit(cmd: number, attrs?: Buffer): Promise<Buffer[]>;
    /** A DUMP request; every message's attribute payload, in order. */
    dump(cmd: number, attrs?: Buffer): Promise<Buffer[]>;
    close(): void;
}

export interface OpenOptions {
    netns?: NetnsRef;
    timeoutMs?: number;
}

/**
 * errno carried by a failure of the `netlink` package: "Request rejected: EPERM",
 * "Request rejected: Unknown system error -524", a native ErrnoException, or
 * undefined when it is none of these.
 */
export function errnoFromNetlinkError(e: unknown): number | undefined {
    if (!(e instanceof Error)) return undefined;
    const m = /^Request rejected: (?:(E[A-Z0-9]+)|Unknown system error (-?\d+)|(-?\d+))$/.exec(e.message);
    if (m) {
        const n = m[1] !== undefined ? errnoFromName(m[1]) : Number(m[2] ?? m[3]);
        return n === undefined ? undefined : Math.abs(n);
    }
    const native = (e as { errno?: unknown }).errno;
    return typeof native === 'number' && native !== 0 ? Math.abs(native) : undefined;
}

function translate(e: unknown, what: string, timeoutMs: number): Error {
    if (e instanceof TipcxError) return e;
    if (e instanceof Error && e.message === 'Timeout has been reached')
        return new TimeoutError(what, timeoutMs, { cause: e });
    const errno = errnoFromNetlinkError(e);
    if (errno !== undefined) return new OperationError(errno, undefined, { cause: e });
    return new TipcxError(`netlink: ${e instanceof Error ? e.message : String(e)} (${what})`, 1, { cause: e });
}

const HOST_LE = endianness() === 'LE';
const NLMSG_HDRLEN = 16;

/**
 * The status (a negative errno, or 0) of the NLMSG_DONE for `seq` in one
 * received datagram, or undefined when it holds none. struct nlmsghdr: u32 len,
 * u16 type, u16 flags, u32 seq, u32 pid, in host order; DONE carries an int.
 */
export function doneStatus(datagram: Buffer, seq: number): number | undefined {
    let status: number | undefined;
    for (let off = 0; off + NLMSG_HDRLEN <= datagram.length;) {
        const len = HOST_LE ? datagram.readUInt32LE(off) : datagram.readUInt32BE(off);
        if (len < NLMSG_HDRLEN || off + len > datagram.length) break; // the package reports malformed datagrams
        const type = HOST_LE ? datagram.readUInt16LE(off + 4) : datagram.readUInt16BE(off + 4);
        const msgSeq = HOST_LE ? datagram.readUInt32LE(off + 8) : datagram.readUInt32BE(off + 8);
        if (type === (MessageType.DONE as number) && msgSeq === seq && len >= NLMSG_HDRLEN + 4)
            status = HOST_LE ? datagram.readInt32LE(off + NLMSG_HDRLEN) : datagram.readInt32BE(off + NLMSG_HDRLEN);
        off += (len + 3) & ~3;
    }
    return status;
}

class GenlTransport implements TipcTransport {
    private queue: Promise<unknown> = Promise.resolve();
    /** The sequence number of the request in flight (requests are serialized), and its DONE's errno. */
    private inFlight: number | undefined;
    private doneErrno: number | undefined;
    private closed = false;
    /** The socket's own port, given with each request: else the package asks the kernel for it every time (getsockname). */
    private readonly port: number;

    constructor(
        private readonly sock: GenericNetlinkSocket,
        readonly familyId: number,
        private readonly version: number,
        private readonly timeoutMs: number,
    ) {
        this.port = sock.socket.address().port;
        // Prepended, so it runs before the package's own listener settles the request.
        sock.socket.socket.prependListener('message', (datagram: Buffer) => {
            if (this.inFlight === undefined) return;
            const status = doneStatus(datagram, this.inFlight);
            if (status !== undefined && status < 0) this.doneErrno = -status;
        });
    }

    doit(cmd: number, attrs?: Buffer): Promise<Buffer[]> {
        return this.enqueue(async () => (await this.request(cmd, attrs, 0)).data);
    }

    dump(cmd: number, attrs?: Buffer): Promise<Buffer[]> {
        return this.enqueue(async () => {
            // DUMP_INTR: the kernel's table changed mid-dump; a fresh dump is consistent.
            for (let attempt = 1; ; attempt++) {
                const { data, interrupted } = await this.request(cmd, attrs, FlagsGet.DUMP);
                if (!interrupted || attempt === 3) return data;
            }
        });
    }

    close(): void {
        if (this.closed) return;
        this.closed = true;
        this.sock.socket.close();
    }

    private enqueue<T>(fn: () => Promise<T>): Promise<T> {
        const run = this.queue.then(fn, fn);
        this.queue = run.catch(() => undefined);
        return run;
    }

    private async request(cmd: number, attrs: Buffer | undefined, flags: number) {
        if (this.closed) throw new TipcxError('netlink socket already closed');
        const seq = this.sock.socket.generateSeq();
        const what = `genl family ${this.familyId} command ${cmd}${flags ? ' dump' : ''}`;
        this.inFlight = seq;
        this.doneErrno = undefined;
        try {
            const [msgs] = await this.sock.request(this.familyId, cmd, this.version, attrs ? [attrs] : [], {
                flags,
                seq,
                localPort: this.port,
                timeout: this.timeoutMs,
            });
            if (this.doneErrno !== undefined) throw new OperationError(this.doneErrno);
            return {
                data: msgs.map((m) => m.data),
                interrupted: msgs.some((m) => (m.flags & Flags.DUMP_INTR) !== 0),
            };
        } catch (e) {
            const err = translate(e, what, this.timeoutMs);
            // A late reply or an unfinished dump would poison the next request on this socket.
            if (err instanceof TimeoutError) this.close();
            throw err;
        } finally {
            this.inFlight = undefined;
            this.doneErrno = undefined;
        }
    }
}

/**
 * Opens a generic netlink socket (inside `netns` when given: the socket is
 * created synchronously while the thread is switched) and resolves TIPCv2 by name.
 */
export function openTipc(opts: OpenOptions = {}): Promise<TipcTransport> {
    return openGenlFamily(
        TIPC_GENL.name,
        { ...opts, loadStamp: tipcModuleStamp },
        () => new EnvironmentError(TIPC_NOT_AVAILABLE, { errno: 2 }),
    );
}

/**
 * Which load of the tipc module this is: the sysfs inode of /sys/module/tipc,
 * new each time the module is loaded. undefined when it is not loaded (or
 * built in without a sysfs entry): the family is then looked up every time.
 */
function tipcModuleStamp(): number | undefined {
    try {
        return statSync(TIPC_MODULE_SYSFS).ino;
    } catch {
        return undefined;
    }
}

/**
 * Generic netlink family ids are global, the same in every namespace, and
 * change only when the family is registered again (module reload). Looking
 * one up costs a round trip per socket; `--all-netns` and `top` open a socket
 * per namespace, so ids are kept per family name and module load.
 */
const familyIds = new Map<string, { id: number; stamp: number }>();

/**
 * The same transport for any generic netlink family: tests exercise it with
 * 'nlctrl' on kernels without TIPC. `version` goes into every genl header.
 */
export async function openGenlFamily(
    name: string,
    opts: OpenOptions & { version?: number; loadStamp?: () => number | undefined } = {},
    notFound: () => Error = () => new EnvironmentError(`generic netlink family ${name} not found`, { errno: 2 }),
): Promise<TipcTransport> {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // The package treats 0 as "no timeout at all".
    if (!(timeoutMs > 0 && Number.isFinite(timeoutMs)))
        throw new UsageError(`timeout must be a positive number of milliseconds, not ${timeoutMs}`);
    const sock = withNetns(opts.netns, () => {
        try {
            return createGenericNetlink(SOCKET_OPTIONS);
        } catch (e) {
            throw new EnvironmentError(`cannot open a generic netlink socket: ${(e as Error).message}`, {
                cause: e,
                errno: errnoFromNetlinkError(e),
            });
        }
    });
    sock.socket.on('error', () => {
        // Send failures also reject the request that caused them; nothing else to do here.
    });
    const stamp = opts.loadStamp?.();
    const known = familyIds.get(name);
    if (stamp !== undefined && known?.stamp === stamp) {
        return new GenlTransport(sock, known.id, opts.version ?? TIPC_GENL.version, timeoutMs);
    }
    let familyId: number | undefined;
    try {
        const families = await sock.ctrlRequest(genl.Commands.GET_FAMILY, { familyName: name }, { timeout: timeoutMs });
        familyId = families[0]?.familyId;
    } catch (e) {
        sock.socket.close();
        if (errnoFromNetlinkError(e) === 2) throw notFound();
        throw translate(e, `resolving ${name}`, timeoutMs);
    }
    if (familyId === undefined) {
        sock.socket.close();
        throw notFound();
    }
    if (stamp !== undefined) familyIds.set(name, { id: familyId, stamp });
    return new GenlTransport(sock, familyId, opts.version ?? TIPC_GENL.version, timeoutMs);
}
