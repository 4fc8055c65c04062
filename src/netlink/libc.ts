/**
 * The socket calls of libc that Node lacks (AF_TIPC, AF_PACKET, ioctl), through
 * koffi, declared once for every user and only on first use: the prototypes
 * are parsed lazily, so a command that never opens such a socket pays nothing.
 */
import { loadLibc } from './netns.js';

export interface SocketCalls {
    socket(domain: number, type: number, protocol: number): number;
    bind(fd: number, addr: Buffer, len: number): number;
    getsockname(fd: number, addr: Buffer, len: Buffer): number;
    ioctl(fd: number, req: number, ...args: unknown[]): number;
    recvfrom(fd: number, buf: Buffer, len: number, flags: number, addr: Buffer, addrlen: Buffer): number;
    sendto(fd: number, buf: Buffer, len: number, flags: number, addr: Buffer, addrlen: number): number;
    ifNameToIndex(name: string): number;
    close(fd: number): number;
    /** errno of the last call made through koffi on this thread. */
    errno(): number;
}

let calls: SocketCalls | undefined;

export function socketCalls(): SocketCalls {
    if (!calls) {
        const { koffi, libc } = loadLibc();
        calls = {
            socket: libc.func('int socket(int domain, int type, int protocol)'),
            bind: libc.func('int bind(int fd, void *addr, uint32_t len)'),
            getsockname: libc.func('int getsockname(int fd, void *addr, void *len)'),
            // Declared variadic as in libc: calling a variadic function through a fixed prototype is undefined.
            ioctl: libc.func('int ioctl(int fd, unsigned long req, ...)'),
            recvfrom: libc.func('long recvfrom(int fd, void *buf, size_t len, int flags, void *addr, void *addrlen)'),
            sendto: libc.func('long sendto(int fd, void *buf, size_t len, int flags, void *addr, uint32_t addrlen)'),
            ifNameToIndex: libc.func('unsigned int if_nametoindex(const char *name)'),
            close: libc.func('int close(int fd)'),
            errno: () => koffi.errno(),
        };
    }
    return calls;
}

/** The constants of <sys/socket.h> and <errno.h> these calls are made with (x86_64 and arm64 agree). */
export const AF_PACKET = 17;
export const AF_TIPC = 30;
export const SOCK_RAW = 3;
export const SOCK_RDM = 4;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
export const MSG_DONTWAIT = 0x40;
export const EPERM = 1;
export const EINTR = 4;
export const EAGAIN = 11;
export const EACCES = 13;
