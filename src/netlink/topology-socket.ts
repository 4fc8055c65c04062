/**
 * A connection to one network namespace's TIPC topology server: a
 * SOCK_SEQPACKET AF_TIPC socket created inside the namespace (setns) and
 * connected to the service {TIPC_TOP_SRV, TIPC_TOP_SRV}. Subscriptions go out
 * as 28-byte messages, events come back as 48-byte messages; reads never
 * block (the caller waits for readiness with ReadinessWaiter, poll.ts).
 *
 * The same socket answers the identity and link-name ioctls, so a namespace
 * being watched needs no second AF_TIPC socket.
 */
import { OperationError } from '../errors.js';
import { AF_TIPC, EAGAIN, EINTR, MSG_DONTWAIT, SOCK_SEQPACKET, socketCalls, type SocketCalls } from './libc.js';
import type { NetnsRef } from './netns.js';
import { SOCKADDR_TIPC_LEN, openTipcSocket, ownNodeAddress, peerNodeId } from './tipc-socket.js';

// struct sockaddr_tipc { u16 family; u8 addrtype; s8 scope; { u32 type; u32 instance; } name; u32 domain; }
const TIPC_SERVICE_ADDR = 2;
const TIPC_TOP_SRV = 1;
const SIOCGETLINKNAME = 0x89e0;
// struct tipc_sioc_ln_req { u32 peer; u32 bearer_id; char linkname[TIPC_MAX_LINK_NAME]; }
const TIPC_MAX_LINK_NAME = 68;
const MESSAGE_BUFFER = 64;

/** What one non-blocking read of the connection found. */
export interface TopologyRead {
    readonly messages: Buffer[];
    /** The server closed the connection (it refused a subscription, or it stopped). */
    readonly closed: boolean;
}

export class TopologyConnection {
    private constructor(private fd: number) {}

    /** Connects to the topology server of `netns` (default: the current namespace). */
    static open(netns?: NetnsRef): TopologyConnection {
        const s = socketCalls();
        const fd = openTipcSocket(SOCK_SEQPACKET, netns);
        const addr = Buffer.alloc(SOCKADDR_TIPC_LEN);
        addr.writeUInt16LE(AF_TIPC, 0);
        addr.writeUInt8(TIPC_SERVICE_ADDR, 2);
        addr.writeUInt32LE(TIPC_TOP_SRV, 4);
        addr.writeUInt32LE(TIPC_TOP_SRV, 8);
        // The server is in the kernel: the handshake takes one workqueue turn.
        if (s.connect(fd, addr, SOCKADDR_TIPC_LEN) < 0) {
            const e = s.errno();
            s.close(fd);
            throw new OperationError(e, `cannot connect to the TIPC topology server: ${new OperationError(e).message}`);
        }
        return new TopologyConnection(fd);
    }

    get descriptor(): number {
        return this.fd;
    }

    /** Sends one encoded subscription; false when the server has closed the connection. */
    send(message: Buffer): boolean {
        const s = this.sys();
        for (;;) {
            const n = s.send(this.fd, message, message.length, 0);
            if (n === message.length) return true;
            if (n < 0 && s.errno() === EINTR) continue;
            return false;
        }
    }

    /** Every message waiting now, without blocking. */
    read(): TopologyRead {
        const s = this.sys();
        const messages: Buffer[] = [];
        const buf = Buffer.alloc(MESSAGE_BUFFER);
        for (;;) {
            const n = s.recv(this.fd, buf, buf.length, MSG_DONTWAIT);
            if (n > 0) {
                messages.push(Buffer.from(buf.subarray(0, n)));
                continue;
            }
            if (n < 0) {
                const errno = s.errno();
                if (errno === EINTR) continue;
                if (errno === EAGAIN) return { messages, closed: false };
            }
            // 0: orderly shutdown by the server; any other error: the connection is unusable
            return { messages, closed: true };
        }
    }

    /** This namespace's own node address. */
    ownAddress(): number {
        return ownNodeAddress(this.sys(), this.fd);
    }

    /** A peer's 16-byte identity (SIOCGETNODEID), null when the kernel knows no such peer. */
    nodeId(peer: number): Buffer | null {
        return peerNodeId(this.sys(), this.fd, peer);
    }

    /** The name of the link to `peer` on local bearer `bearerId` (SIOCGETLINKNAME), null when there is none. */
    linkName(peer: number, bearerId: number): string | null {
        const s = this.sys();
        const req = Buffer.alloc(8 + TIPC_MAX_LINK_NAME);
        req.writeUInt32LE(peer >>> 0, 0);
        req.writeUInt32LE(bearerId >>> 0, 4);
        if (s.ioctl(this.fd, SIOCGETLINKNAME, 'void *', req) < 0) return null;
        const name = req.subarray(8);
        const end = name.indexOf(0);
        const text = name.toString('latin1', 0, end === -1 ? name.length : end);
        return text === '' ? null : text;
    }

    close(): void {
        if (this.fd < 0) return;
        socketCalls().close(this.fd);
        this.fd = -1;
    }

    private sys(): SocketCalls {
        if (this.fd < 0) throw new Error('topology connection already closed');
        return socketCalls();
    }
}
