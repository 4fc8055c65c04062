/**
 * The two facts generic netlink does not give: our own 32-bit node address
 * (getsockname on an AF_TIPC socket) and a peer's 128-bit node identity
 * (ioctl SIOCGETNODEID), both per network namespace. One socket serves any
 * number of peers, so `node list` with N peers opens one.
 */
import { EnvironmentError, FailureError, OperationError } from '../errors.js';
import { AF_TIPC, SOCK_CLOEXEC, SOCK_RDM, socketCalls, type SocketCalls } from './libc.js';
import { withNetns } from './netns.js';
import type { NetnsRef } from './netns.js';

// SIOCPROTOPRIVATE + 1. Its argument is exactly 20 bytes; SIOCGETLINKNAME (0x89E0)
// takes a larger struct, and a buffer sized for the wrong one corrupts memory.
const SIOCGETNODEID = 0x89e1;
const TIPC_NODEID_LEN = 16;
// struct sockaddr_tipc { u16 family; u8 addrtype; s8 scope; union { struct { u32 ref; u32 node; } id; ... } }
export const SOCKADDR_TIPC_LEN = 16;
const OFF_NODE = 8;

const EAFNOSUPPORT = 97;
const EADDRNOTAVAIL = 99;

const AF_TIPC_NOT_AVAILABLE =
    'TIPC is not available in this kernel (socket family AF_TIPC not supported): ' +
    'load it with "modprobe tipc", or run on a TIPC-capable kernel (tipcx sandbox).';

export class TipcSocket {
    private fd: number;

    private constructor(fd: number) {
        this.fd = fd;
    }

    /** An AF_TIPC RDM socket in `netns` (default: the current namespace). */
    static open(netns?: NetnsRef): TipcSocket {
        return new TipcSocket(openTipcSocket(SOCK_RDM, netns));
    }

    /** This namespace's own node address (0 while no address or identity is set). */
    ownAddress(): number {
        return ownNodeAddress(this.sys(), this.fd);
    }

    /**
     * The 16-byte identity of peer `addr`, or null when the kernel knows no such
     * peer. All zeros if our own identity is unset (the kernel then fills nothing).
     */
    nodeId(peer: number): Buffer | null {
        return peerNodeId(this.sys(), this.fd, peer);
    }

    close(): void {
        if (this.fd < 0) return;
        socketCalls().close(this.fd);
        this.fd = -1;
    }

    private sys(): SocketCalls {
        if (this.fd < 0) throw new FailureError('AF_TIPC socket already closed');
        return socketCalls();
    }
}

/**
 * An AF_TIPC socket of `type` created inside `netns` (errno is read inside:
 * switching back and closing fds are system calls too). No TIPC is an
 * EnvironmentError (exit 3), anything else the kernel's refusal.
 */
export function openTipcSocket(type: number, netns?: NetnsRef): number {
    const s = socketCalls();
    const [fd, errno] = withNetns(netns, () => {
        const fd = s.socket(AF_TIPC, type | SOCK_CLOEXEC, 0);
        return [fd, fd < 0 ? s.errno() : 0];
    });
    if (fd < 0) {
        if (errno === EAFNOSUPPORT) throw new EnvironmentError(AF_TIPC_NOT_AVAILABLE, { errno });
        throw new OperationError(errno, `cannot open an AF_TIPC socket: ${new OperationError(errno).message}`);
    }
    return fd;
}

/** getsockname on any AF_TIPC socket: the node address in addr.id.node. */
export function ownNodeAddress(s: SocketCalls, fd: number): number {
    const addr = Buffer.alloc(SOCKADDR_TIPC_LEN);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(SOCKADDR_TIPC_LEN);
    if (s.getsockname(fd, addr, len) < 0) throw new OperationError(s.errno());
    return addr.readUInt32LE(OFF_NODE);
}

/** SIOCGETNODEID on any AF_TIPC socket: a peer's identity, null when the kernel knows no such peer. */
export function peerNodeId(s: SocketCalls, fd: number, peer: number): Buffer | null {
    const req = Buffer.alloc(4 + TIPC_NODEID_LEN);
    req.writeUInt32LE(peer >>> 0);
    if (s.ioctl(fd, SIOCGETNODEID, 'void *', req) < 0) {
        const errno = s.errno();
        if (errno === EADDRNOTAVAIL) return null;
        throw new OperationError(errno);
    }
    return Buffer.from(req.subarray(4));
}
