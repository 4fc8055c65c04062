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
    connect(fd: number, addr: Buffer, len: number): number;
    send(fd: number, buf: Buffer, len: number, flags: number): number;
    recv(fd: number, buf: Buffer, len: number, flags: number): number;
    /** poll(2) on a libuv worker thread: the main thread stays free while it waits. */
    pollAsync(fds: Buffer, nfds: number, timeoutMs: number): Promise<number>;
    pipe2(fds: Buffer, flags: number): number;
    read(fd: number, buf: Buffer, len: number): number;
    write(fd: number, buf: Buffer, len: number): number;
    close(fd: number): number;
    /** setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER): a classic BPF program, 8 bytes per instruction. */
    attachFilter(fd: number, program: Buffer): number;
    /** errno of the last call made through koffi on this thread. */
    errno(): number;
}

let calls: SocketCalls | undefined;

export function socketCalls(): SocketCalls {
    if (!calls) {
        const { koffi, libc } = loadLibc();
        // struct sock_fprog { unsigned short len; struct sock_filter *filter; }: koffi passes a Buffer as the pointer
        const fprog = koffi.struct('tipcx_sock_fprog', { len: 'uint16_t', filter: 'void *' });
        const setsockoptFprog = libc.func(
            'int setsockopt(int fd, int level, int optname, const tipcx_sock_fprog *prog, uint32_t optlen)',
        ) as (fd: number, level: number, name: number, prog: { len: number; filter: Buffer }, len: number) => number;
        calls = {
            socket: libc.func('int socket(int domain, int type, int protocol)'),
            bind: libc.func('int bind(int fd, void *addr, uint32_t len)'),
            getsockname: libc.func('int getsockname(int fd, void *addr, void *len)'),
            // Declared variadic as in libc: calling a variadic function through a fixed prototype is undefined.
            ioctl: libc.func('int ioctl(int fd, unsigned long req, ...)'),
            recvfrom: libc.func('long recvfrom(int fd, void *buf, size_t len, int flags, void *addr, void *addrlen)'),
            sendto: libc.func('long sendto(int fd, void *buf, size_t len, int flags, void *addr, uint32_t addrlen)'),
            ifNameToIndex: libc.func('unsigned int if_nametoindex(const char *name)'),
            connect: libc.func('int connect(int fd, void *addr, uint32_t len)'),
            send: libc.func('long send(int fd, void *buf, size_t len, int flags)'),
            recv: libc.func('long recv(int fd, void *buf, size_t len, int flags)'),
            pollAsync: promisedAsync(libc.func('int poll(void *fds, unsigned long nfds, int timeout)')),
            pipe2: libc.func('int pipe2(void *fds, int flags)'),
            read: libc.func('long read(int fd, void *buf, size_t len)'),
            write: libc.func('long write(int fd, void *buf, size_t len)'),
            close: libc.func('int close(int fd)'),
            attachFilter: (fd, program) =>
                setsockoptFprog(
                    fd,
                    SOL_SOCKET,
                    SO_ATTACH_FILTER,
                    { len: program.length / 8, filter: program },
                    koffi.sizeof(fprog),
                ),
            errno: () => koffi.errno(),
        };
    }
    return calls;
}

interface AsyncCallable {
    async(...args: unknown[]): void;
}

/**
 * A koffi function called through its `async` member (a libuv worker thread
 * runs it), as a promise. Buffers passed to it must stay referenced until it
 * settles: the caller holds them.
 */
function promisedAsync(fn: AsyncCallable): (fds: Buffer, nfds: number, timeoutMs: number) => Promise<number> {
    return (...args) =>
        new Promise((resolve, reject) => {
            fn.async(...args, (err: Error | null, result: number) => (err ? reject(err) : resolve(result)));
        });
}

/** The constants of <sys/socket.h> and <errno.h> these calls are made with (x86_64 and arm64 agree). */
export const AF_PACKET = 17;
export const AF_TIPC = 30;
export const SOCK_RAW = 3;
export const SOCK_RDM = 4;
export const SOCK_SEQPACKET = 5;
export const O_NONBLOCK = 0o4000;
export const O_CLOEXEC = 0o2000000;
export const POLLIN = 0x001;
export const POLLERR = 0x008;
export const POLLHUP = 0x010;
export const POLLNVAL = 0x020;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
export const MSG_DONTWAIT = 0x40;
export const SOL_SOCKET = 1;
export const SO_ATTACH_FILTER = 26;
export const EPERM = 1;
export const EINTR = 4;
export const EAGAIN = 11;
export const EACCES = 13;
export const EPIPE = 32;
export const ECONNREFUSED = 111;
export const EHOSTUNREACH = 113;
