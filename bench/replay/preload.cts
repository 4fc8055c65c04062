/**
 * The host ground's only fake: loaded with `node --import` in front of the
 * INSTALLED tipcx, it makes the kernel's two TIPC sockets answer from a
 * recording instead of a kernel. Everything else is the real code as users
 * run it: the bundle, the `netlink` package's JavaScript (only its native
 * socket class is replaced), koffi and setns into real network namespaces.
 *
 * - Generic netlink: `netlink`'s native binding class NativeNetlink is
 *   replaced by ReplayNetlink below. A DUMP request is answered with the
 *   datagrams recorded for its command (real kernel bytes, see
 *   bench/replay/fixture.ts), their sequence number and port set as the
 *   kernel sets them; resolving the family TIPCv2 is answered like the
 *   kernel's controller. Anything else gets EOPNOTSUPP, so a command that
 *   needs more than the recording fails loudly instead of printing nothing.
 * - /proc/net/protocols lists TIPC, as a kernel with TIPC loaded does (tipcx
 *   reads it to tell a kernel that certainly has no TIPC without a socket,
 *   src/netlink/availability.ts).
 * - /sys/module/tipc exists, as while the module is loaded: its inode tells
 *   tipcx which load of the module a cached family id belongs to
 *   (src/netlink/transport.ts). Without it, every socket `top` or the
 *   exporter opens would look the family up again, which no TIPC host does.
 * - AF_TIPC (own address, peer identities; Node cannot open one): koffi's
 *   socket/getsockname/ioctl/close from libc are wrapped; an AF_TIPC socket
 *   is a real AF_UNIX socket (the same system calls are paid) whose
 *   getsockname and SIOCGETNODEID answer from the recording.
 *
 * Environment: TIPCX_REPLAY_PACKAGE, the installed tipcx's directory (whose
 * `netlink` and koffi are patched); TIPCX_REPLAY, the fixture's index file.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a --require preload is CommonJS, where verbatimModuleSyntax allows only `import x = require()` */
import fs = require('node:fs');
import nodeModule = require('node:module');
import path = require('node:path');
import type { ReplayIndex } from './format.cjs';
/* eslint-enable @typescript-eslint/no-require-imports */

const packageDir = process.env.TIPCX_REPLAY_PACKAGE;
const indexFile = process.env.TIPCX_REPLAY;
if (!packageDir || !indexFile) throw new Error('bench/replay/preload: set TIPCX_REPLAY_PACKAGE and TIPCX_REPLAY');
const fixtureDir = path.dirname(indexFile);
const index = JSON.parse(fs.readFileSync(indexFile, 'utf8')) as ReplayIndex;

// ---------------------------------------------------------------- /proc/net/protocols

// The line tipc_init adds (its socket layer's name first; the figures are not read).
const TIPC_PROTOCOL_LINE =
    'TIPC       984      0      -1   NI       0   yes  tipc        n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n\n';
const realReadFileSync = fs.readFileSync;
fs.readFileSync = function readFileSyncWithTipc(this: unknown, ...args: Parameters<typeof fs.readFileSync>) {
    const data = realReadFileSync.apply(this, args);
    if (args[0] !== '/proc/net/protocols') return data;
    return typeof data === 'string'
        ? data + TIPC_PROTOCOL_LINE
        : Buffer.concat([data, Buffer.from(TIPC_PROTOCOL_LINE)]);
} as typeof fs.readFileSync;

// ---------------------------------------------------------------- /sys/module/tipc

const TIPC_MODULE_SYSFS = '/sys/module/tipc';
// A directory that stays for the process's life stands in for the module's (one load: one inode).
const realStatSync = fs.statSync;
// statSync is declared a const of node:fs; the module object's property is writable all the same
(fs as { statSync: typeof fs.statSync }).statSync = function statSyncWithTipc(
    this: unknown,
    ...args: Parameters<typeof fs.statSync>
) {
    if (args[0] === TIPC_MODULE_SYSFS) args[0] = fixtureDir;
    return realStatSync.apply(this, args) as ReturnType<typeof fs.statSync>;
} as typeof fs.statSync;
const realExistsSync = fs.existsSync;
fs.existsSync = (path: fs.PathLike) => path === TIPC_MODULE_SYSFS || realExistsSync(path);

// ---------------------------------------------------------------- netlink

const NLMSG_HDRLEN = 16;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const NLM_F_MULTI = 2;
const NLM_F_DUMP = 0x300;
const GENL_ID_CTRL = 16;
const CTRL_CMD_NEWFAMILY = 1;
const CTRL_CMD_GETFAMILY = 3;
const CTRL_ATTR_FAMILY_ID = 1;
const CTRL_ATTR_FAMILY_NAME = 2;
const CTRL_ATTR_VERSION = 3;
const CTRL_ATTR_HDRSIZE = 4;
const CTRL_ATTR_MAXATTR = 5;
const ENOENT = 2;
const EOPNOTSUPP = 95;

/** Datagrams per command, read on first use (as a kernel builds a dump only when asked). */
const recorded = new Map<number, Buffer[]>();
function datagramsFor(cmd: number): Buffer[] | undefined {
    const file = index.dumps[cmd];
    if (file === undefined) return undefined;
    let list = recorded.get(cmd);
    if (!list) {
        const all = fs.readFileSync(path.join(fixtureDir, file));
        list = [];
        for (let off = 0; off < all.length;) {
            const len = all.readUInt32LE(off);
            list.push(all.subarray(off + 4, off + 4 + len));
            off += 4 + len;
        }
        recorded.set(cmd, list);
    }
    return list;
}

const align4 = (n: number) => (n + 3) & ~3;

// ---------------------------------------------------------------- traffic

const TIPC_NL_LINK_GET = 8;
const TIPC_NLA_LINK_RX = 9;
const TIPC_NLA_LINK_TX = 10;
const GENL_HDRLEN = 4;
let dumpsAnswered = 0;

/**
 * Moves every link's rx and tx on by a few hundred packets per dump, as traffic
 * would (a recording's counters stand still, and top's rates would all be 0),
 * each link at a steady pace of its own, never back (which top reports as a reset):
 * the u32 payloads of TIPC_NLA_LINK_RX and TIPC_NLA_LINK_TX inside each
 * message's TIPC_NLA_LINK nest, in the reply's fresh bytes.
 */
function moveLinkCounters(datagrams: Buffer[]): void {
    const tick = ++dumpsAnswered;
    let link = 0;
    for (const d of datagrams) {
        const view = new DataView(d.buffer, d.byteOffset, d.length);
        for (let off = 0; off + NLMSG_HDRLEN <= d.length; off += align4(view.getUint32(off, true)), link++) {
            const nest = off + NLMSG_HDRLEN + GENL_HDRLEN;
            const end = nest + view.getUint16(nest, true);
            for (let at = nest + 4; at + 4 <= end;) {
                const len = view.getUint16(at, true);
                if (len < 4) break;
                const type = view.getUint16(at + 2, true) & 0x3fff;
                if ((type === TIPC_NLA_LINK_RX || type === TIPC_NLA_LINK_TX) && len === 8)
                    view.setUint32(at + 4, view.getUint32(at + 4, true) + tick * (100 + ((link * 37) % 400)), true);
                at += align4(len);
            }
        }
    }
}

function attr(type: number, value: Buffer): Buffer {
    const out = Buffer.alloc(align4(4 + value.length));
    out.writeUInt16LE(4 + value.length, 0);
    out.writeUInt16LE(type, 2);
    value.copy(out, 4);
    return out;
}
const u16 = (v: number) => {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(v);
    return b;
};
const u32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    return b;
};

function message(type: number, flags: number, seq: number, port: number, body: Buffer): Buffer {
    const out = Buffer.alloc(NLMSG_HDRLEN + body.length);
    out.writeUInt32LE(out.length, 0);
    out.writeUInt16LE(type, 4);
    out.writeUInt16LE(flags, 6);
    out.writeUInt32LE(seq, 8);
    out.writeUInt32LE(port, 12);
    body.copy(out, NLMSG_HDRLEN);
    return out;
}

/** NLMSG_ERROR: a negative errno (0 = ACK) and the request's header. */
const errorMessage = (request: Buffer, seq: number, port: number, errno: number) =>
    message(NLMSG_ERROR, 0, seq, port, Buffer.concat([u32(-errno >>> 0), request.subarray(0, NLMSG_HDRLEN)]));

function familyReply(seq: number, port: number): Buffer {
    const name = Buffer.from(`${index.familyName}\0`);
    const attrs = Buffer.concat([
        attr(CTRL_ATTR_FAMILY_NAME, name),
        attr(CTRL_ATTR_FAMILY_ID, u16(index.familyId)),
        attr(CTRL_ATTR_VERSION, u32(index.familyVersion)),
        attr(CTRL_ATTR_HDRSIZE, u32(0)),
        attr(CTRL_ATTR_MAXATTR, u32(index.familyMaxAttr)),
    ]);
    return message(GENL_ID_CTRL, 0, seq, port, Buffer.concat([Buffer.from([CTRL_CMD_NEWFAMILY, 2, 0, 0]), attrs]));
}

/** The family name asked for in a CTRL_CMD_GETFAMILY request. */
function askedFamily(request: Buffer): string | undefined {
    for (let off = NLMSG_HDRLEN + 4; off + 4 <= request.length;) {
        const len = request.readUInt16LE(off);
        if (len < 4) break;
        if (request.readUInt16LE(off + 2) === CTRL_ATTR_FAMILY_NAME)
            return request.toString('latin1', off + 4, off + len).replace(/\0.*$/, '');
        off += align4(len);
    }
    return undefined;
}

type Receive = (msg: Buffer, rinfo: { port: number; groups: number; truncated?: boolean }) => void;

/** Stands in for netlink's NativeNetlink (src of the package: its C++ binding) with the same methods. */
class ReplayNetlink {
    private port = 0;
    private closed = false;

    constructor(
        _protocol: number,
        _msgBuffer: number,
        private readonly receive: Receive,
        // the error callback: nothing fails here that is not answered in a reply
    ) {}

    bind(port: number): void {
        this.port = port;
    }
    address(): { port: number; groups: number } {
        return { port: this.port, groups: 0 };
    }
    send(_port: number, _groups: number, data: Buffer | Buffer[], callback: (e?: Error) => void): void {
        const request = Array.isArray(data) ? Buffer.concat(data) : data;
        const replies = this.answer(request);
        setImmediate(() => callback());
        // one datagram per wake-up of the event loop, as poll() would deliver them
        const next = (i: number) => {
            if (this.closed || i >= replies.length) return;
            this.receive(replies[i], { port: 0, groups: 0 });
            setImmediate(next, i + 1);
        };
        setImmediate(next, 0);
    }
    close(): void {
        this.closed = true;
    }
    ref(): void {}
    unref(): void {}
    addMembership(): void {}
    dropMembership(): void {}
    getRecvBufferSize(): number {
        return 212992;
    }
    getSendBufferSize(): number {
        return 212992;
    }
    setRecvBufferSize(): void {}
    setSendBufferSize(): void {}

    private answer(request: Buffer): Buffer[] {
        const type = request.readUInt16LE(4);
        const flags = request.readUInt16LE(6);
        const seq = request.readUInt32LE(8);
        const cmd = request[NLMSG_HDRLEN];
        if (type === GENL_ID_CTRL && cmd === CTRL_CMD_GETFAMILY) {
            if (askedFamily(request) !== index.familyName) return [errorMessage(request, seq, this.port, ENOENT)];
            return [familyReply(seq, this.port), errorMessage(request, seq, this.port, 0)];
        }
        const datagrams =
            type === index.familyId && (flags & NLM_F_DUMP) === NLM_F_DUMP ? datagramsFor(cmd) : undefined;
        if (!datagrams) return [errorMessage(request, seq, this.port, EOPNOTSUPP)];
        const done = message(NLMSG_DONE, NLM_F_MULTI, seq, this.port, u32(0));
        if (datagrams.length === 0) return [done];
        // fresh bytes per reply, as the kernel writes them; the DONE shares the last datagram when it fits.
        // Through a DataView: Buffer's checked writes, still cold, cost tipcx's bill 10 ms at 10,000 messages.
        const out: Buffer[] = datagrams.map((d) => Buffer.from(d));
        for (const d of out) {
            const view = new DataView(d.buffer, d.byteOffset, d.length);
            for (let off = 0; off + NLMSG_HDRLEN <= d.length; off += align4(view.getUint32(off, true))) {
                view.setUint32(off + 8, seq, true);
                view.setUint32(off + 12, this.port, true);
            }
        }
        if (cmd === TIPC_NL_LINK_GET) moveLinkCounters(out);
        const last = out.length - 1;
        if (out[last].length + done.length <= index.datagramBytes) out[last] = Buffer.concat([out[last], done]);
        else out.push(done);
        return out;
    }
}

const load = nodeModule.createRequire(path.join(packageDir, 'package.json'));
const rawModule = load.resolve('netlink/dist/raw.js');
const netlinkDir = path.join(path.dirname(rawModule), '..');
/**
 * The binding object tipcx will use, loaded the way tipcx's bundle loads it
 * (the prebuild for this platform by its path, src/cli/bundle.ts), else the
 * way netlink/dist/raw.js does (node-gyp-build): the same file, so the same
 * cached object, without paying node-gyp-build's directory scan on tipcx's side.
 */
function netlinkBinding(): { NativeNetlink: unknown } {
    try {
        return load(path.join(netlinkDir, 'prebuilds', `${process.platform}-${process.arch}`, 'node.napi.node')) as {
            NativeNetlink: unknown;
        };
    } catch {
        return (nodeModule.createRequire(rawModule)('node-gyp-build') as (dir: string) => { NativeNetlink: unknown })(
            netlinkDir,
        );
    }
}
const binding = netlinkBinding();
binding.NativeNetlink = ReplayNetlink;

// ---------------------------------------------------------------- AF_TIPC through koffi

const AF_UNIX = 1;
const AF_TIPC = 30;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const SIOCGETNODEID = 0x89e1;
const TIPC_SOCKET_ADDR = 3;
const EADDRNOTAVAIL = 99;

type Fn = (...args: never[]) => number;
type Lib = { func: (...args: unknown[]) => Fn };
type Koffi = { load: (...args: unknown[]) => Lib; errno: (set?: number) => number };

const tipcFds = new Set<number>();
const ids = new Map(Object.entries(index.nodeIds).map(([addr, hex]) => [Number(addr), Buffer.from(hex, 'hex')]));

function wrap(name: string, real: Fn): Fn {
    switch (name) {
        case 'socket':
            return (domain: number, type: number, protocol: number) => {
                if (domain !== AF_TIPC)
                    return (real as (d: number, t: number, p: number) => number)(domain, type, protocol);
                const fd = (real as (d: number, t: number, p: number) => number)(
                    AF_UNIX,
                    SOCK_DGRAM | (type & SOCK_CLOEXEC),
                    0,
                );
                if (fd >= 0) tipcFds.add(fd);
                return fd;
            };
        case 'getsockname':
            return (fd: number, addr: Buffer, len: Buffer) => {
                if (!tipcFds.has(fd)) return (real as (f: number, a: Buffer, l: Buffer) => number)(fd, addr, len);
                addr.fill(0);
                addr.writeUInt16LE(AF_TIPC, 0);
                addr.writeUInt8(TIPC_SOCKET_ADDR, 2);
                addr.writeUInt32LE(fd, 4);
                addr.writeUInt32LE(index.ownAddress, 8);
                len.writeUInt32LE(16);
                return 0;
            };
        case 'ioctl':
            return (fd: number, req: number, ...rest: unknown[]) => {
                if (!tipcFds.has(fd) || req !== SIOCGETNODEID)
                    return (real as (...a: unknown[]) => number)(fd, req, ...rest);
                const buf = rest[rest.length - 1] as Buffer;
                const id = ids.get(buf.readUInt32LE(0));
                if (!id) {
                    koffi.errno(EADDRNOTAVAIL);
                    return -1;
                }
                id.copy(buf, 4);
                return 0;
            };
        case 'close':
            return (fd: number) => {
                tipcFds.delete(fd);
                return (real as (f: number) => number)(fd);
            };
        default:
            return real;
    }
}

/**
 * koffi's binary as src/netlink/koffi.ts loads it (directly, without koffi's
 * loader: the loader exports a copy of the binary's functions, which tipcx
 * would never call), or undefined where that layout does not exist and
 * tipcx uses koffi's loader too. Found the same way here (by path, not
 * through koffi's package exports), the replay costs the process no more
 * than tipcx's own load would, and tipcx's require gets this instance.
 */
function koffiBinary(): Koffi | undefined {
    const inPackage = path.join('@koromix', `koffi-linux-${process.arch}`, `linux_${process.arch}`, 'koffi.node');
    for (const dir of load.resolve.paths('koffi') ?? []) {
        if (!fs.existsSync(path.join(dir, 'koffi', 'package.json'))) continue;
        const file = [path.join(dir, 'koffi', 'node_modules', inPackage), path.join(dir, inPackage)].find((f) =>
            fs.existsSync(f),
        );
        try {
            return file === undefined ? undefined : (load(file) as Koffi);
        } catch {
            return undefined;
        }
    }
    return undefined;
}

const koffi = koffiBinary() ?? (load('koffi') as Koffi);
const realLoad = koffi.load;
koffi.load = (...args: unknown[]): Lib => {
    const lib = realLoad(...args);
    return new Proxy(lib, {
        get(target, prop) {
            if (prop === 'func')
                return (...fargs: unknown[]) => {
                    const fn = target.func(...fargs);
                    const name = typeof fargs[0] === 'string' ? /(\w+)\s*\(/.exec(fargs[0])?.[1] : undefined;
                    return name ? wrap(name, fn) : fn;
                };
            const value = Reflect.get(target, prop, target) as unknown;
            return typeof value === 'function' ? (value as Fn).bind(target) : value;
        },
    });
};
