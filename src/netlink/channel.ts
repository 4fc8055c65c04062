/**
 * One netlink socket and its requests. The socket is the `netlink` package's
 * RawNetlinkSocket (netlink/dist/raw.js: its native binding, bind, send and
 * one 'message' event per datagram); the message protocol is here, because
 * the package's NetlinkSocket above it costs and loses too much:
 * - it parses every datagram into an object per message, plus a Buffer for
 *   each header and payload, before anyone looks at them (at 10,000 name
 *   table rows, about 25 ms of a 200 ms command: docs/benchmarks.md);
 * - it assembles multipart replies per socket, not per sequence number;
 * - it drops the NLMSG_DONE that ends a dump with the errno it may carry (a
 *   dump the kernel refuses once started looked like an empty success);
 * - it has no timeout unless asked, and its errors are strings to parse back.
 *
 * Here one pass over each datagram keeps the payloads of the request in
 * flight (a subarray each, no other object) and settles it on its DONE, its
 * error or its ACK. One request at a time per socket: the kernel runs one
 * dump per socket.
 */
import { endianness } from 'node:os';
import { RawNetlinkSocket } from 'netlink/dist/raw.js';
import { EnvironmentError, FailureError, OperationError, TimeoutError, TipcxError } from '../errors.js';
import { withNetns, type NetnsRef } from './netns.js';

// <linux/netlink.h>
export const NETLINK_ROUTE = 0;
export const NETLINK_GENERIC = 16;
/** sizeof(struct nlmsghdr): u32 nlmsg_len, u16 nlmsg_type, u16 nlmsg_flags, u32 nlmsg_seq, u32 nlmsg_pid. */
const NLMSG_HDRLEN = 16;
const NLMSG_NOOP = 1;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const NLMSG_OVERRUN = 4;
const NLM_F_REQUEST = 0x1;
const NLM_F_ACK = 0x4;
const NLM_F_DUMP_INTR = 0x10;
/** NLM_F_ROOT | NLM_F_MATCH */
export const NLM_F_DUMP = 0x300;

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

const HOST_LE = endianness() === 'LE';

export interface Reply {
    /** Each reply message's payload after the netlink header and the caller's fixed header. */
    readonly data: Buffer[];
    /** A message carried NLM_F_DUMP_INTR: the kernel's table changed during the dump. */
    readonly interrupted: boolean;
}

interface InFlight {
    readonly seq: number;
    /** Bytes of fixed header after struct nlmsghdr that the payloads skip (4: struct genlmsghdr). */
    readonly skip: number;
    readonly data: Buffer[];
    interrupted: boolean;
    readonly resolve: (reply: Reply) => void;
    readonly reject: (err: Error) => void;
    readonly timer: NodeJS.Timeout;
}

/** errno of a failure of the native binding (socket, bind, sendmsg), if it carries one. */
export function nativeErrno(e: unknown): number | undefined {
    const errno = (e as { errno?: unknown } | undefined)?.errno;
    return typeof errno === 'number' && errno !== 0 ? Math.abs(errno) : undefined;
}

export class NetlinkChannel {
    private seq = 0;
    private inFlight: InFlight | undefined;
    private queue: Promise<unknown> = Promise.resolve();
    private closed = false;
    readonly port: number;

    constructor(
        private readonly raw: RawNetlinkSocket,
        private readonly timeoutMs: number,
    ) {
        this.port = raw.address().port;
        // Referenced only while a request waits (ref in send): an idle socket keeps no process alive.
        raw.unref();
        raw.on('message', (datagram: Buffer, rinfo: { port: number }) => {
            if (rinfo.port === 0) this.receive(datagram); // from the kernel, not another process
        });
        raw.on('truncatedMessage', () =>
            this.settle(new TipcxError('netlink: a reply was larger than the 32 KiB receive buffer')),
        );
        raw.on('error', (e: unknown) => this.settle(sendError(e)));
    }

    /**
     * One request: `type` and `flags` (NLM_F_REQUEST and NLM_F_ACK are added),
     * the payload after struct nlmsghdr in `parts` (a fixed header, attributes),
     * copied once into the message. A dump (NLM_F_DUMP) ends at its DONE,
     * anything else at its ACK; an error message or a DONE with a negative
     * status rejects with OperationError, silence with TimeoutError (and the
     * socket is closed: a late reply would be taken for the next one's).
     */
    request(type: number, flags: number, parts: readonly Uint8Array[], skip: number, what: string): Promise<Reply> {
        const run = this.queue.then(() => this.send(type, flags, parts, skip, what));
        this.queue = run.catch(() => undefined);
        return run;
    }

    close(): void {
        if (this.closed) return;
        this.closed = true;
        this.settle(new TipcxError('netlink socket closed'));
        this.raw.close();
    }

    private send(
        type: number,
        flags: number,
        parts: readonly Uint8Array[],
        skip: number,
        what: string,
    ): Promise<Reply> {
        if (this.closed) return Promise.reject(new TipcxError('netlink socket already closed'));
        this.seq = (this.seq % 0xffffffff) + 1;
        const seq = this.seq;
        let length = NLMSG_HDRLEN;
        for (const part of parts) length += part.length;
        const message = Buffer.allocUnsafe(length);
        const header = new DataView(message.buffer, message.byteOffset, NLMSG_HDRLEN);
        header.setUint32(0, length, HOST_LE);
        header.setUint16(4, type, HOST_LE);
        header.setUint16(6, flags | NLM_F_REQUEST | NLM_F_ACK, HOST_LE);
        header.setUint32(8, seq, HOST_LE);
        header.setUint32(12, this.port, HOST_LE);
        for (let at = NLMSG_HDRLEN, i = 0; i < parts.length; at += parts[i].length, i++) message.set(parts[i], at);
        return new Promise<Reply>((resolve, reject) => {
            const timer = setTimeout(() => {
                this.settle(new TimeoutError(what, this.timeoutMs));
                this.close();
            }, this.timeoutMs);
            this.inFlight = { seq, skip, data: [], interrupted: false, resolve, reject, timer };
            this.raw.ref();
            this.raw.send(message, { port: 0, groups: 0 }, (e?: Error) => {
                if (e) this.settle(sendError(e));
            });
        });
    }

    /** Ends the request in flight: with its reply when `outcome` is undefined. */
    private settle(outcome: Error | undefined): void {
        const p = this.inFlight;
        if (p === undefined) return;
        this.inFlight = undefined;
        clearTimeout(p.timer);
        if (!this.closed) this.raw.unref();
        if (outcome === undefined) p.resolve({ data: p.data, interrupted: p.interrupted });
        else p.reject(outcome);
    }

    private receive(datagram: Buffer): void {
        const p = this.inFlight;
        if (p === undefined) return;
        // a DataView: cheap from the first message on, where Buffer's checked reads run interpreted
        const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.length);
        for (let off = 0; off + NLMSG_HDRLEN <= datagram.length;) {
            const len = view.getUint32(off, HOST_LE);
            if (len < NLMSG_HDRLEN || off + len > datagram.length)
                return this.settle(new FailureError('netlink: a malformed reply (a message runs past its datagram)'));
            if (view.getUint32(off + 8, HOST_LE) === p.seq) {
                const type = view.getUint16(off + 4, HOST_LE);
                if (type === NLMSG_DONE || type === NLMSG_ERROR) {
                    // DONE's int status, or struct nlmsgerr's int error (0: the ACK)
                    const status = len >= NLMSG_HDRLEN + 4 ? view.getInt32(off + NLMSG_HDRLEN, HOST_LE) : 0;
                    return this.settle(status < 0 ? new OperationError(-status) : undefined);
                }
                if (type !== NLMSG_NOOP && type !== NLMSG_OVERRUN && len >= NLMSG_HDRLEN + p.skip) {
                    if ((view.getUint16(off + 6, HOST_LE) & NLM_F_DUMP_INTR) !== 0) p.interrupted = true;
                    p.data.push(datagram.subarray(off + NLMSG_HDRLEN + p.skip, off + len));
                }
            }
            off += (len + 3) & ~3;
        }
    }
}

function sendError(e: unknown): Error {
    const errno = nativeErrno(e);
    return errno !== undefined
        ? new OperationError(errno, undefined, { cause: e })
        : new TipcxError(`netlink: ${e instanceof Error ? e.message : String(e)}`, 1, { cause: e });
}

/** A netlink socket of `protocol`, created inside `netns` (the current namespace when undefined). */
export function openChannel(protocol: number, netns: NetnsRef | undefined, timeoutMs: number): NetlinkChannel {
    const raw = withNetns(netns, () => {
        try {
            return new RawNetlinkSocket(protocol, SOCKET_OPTIONS);
        } catch (e) {
            const kind =
                protocol === NETLINK_GENERIC ? 'generic netlink' : protocol === NETLINK_ROUTE ? 'rtnetlink' : 'netlink';
            throw new EnvironmentError(`cannot open a ${kind} socket: ${(e as Error).message}`, {
                cause: e,
                errno: nativeErrno(e),
            });
        }
    });
    return new NetlinkChannel(raw, timeoutMs);
}
