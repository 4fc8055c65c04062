/**
 * Live capture of TIPC discovery frames with AF_PACKET sockets, several
 * namespaces from one process: each socket is created inside its namespace
 * (withNetns) and keeps belonging to it. Sockets are non-blocking and read
 * when the kernel says they are readable (one poll(2) over all of them on a
 * worker thread, src/netlink/poll.ts), so Node's event loop stays free while
 * we wait up to a minute for the kernel's next discovery round, and an idle
 * tap costs nothing (a timer that tried every tap every 20 ms made 3,200
 * system calls a second at 64 namespaces, each a trap to the host in the lab).
 *
 * One ETH_P_ALL socket per interface, bound to it. ETH_P_ALL because only
 * taps see a device's own transmissions (PACKET_OUTGOING: how we learn the
 * hash a namespace sends itself, docs/crossover.md "Evidence"); bound because
 * an unbound ETH_P_ALL tap would, before Linux 6.15, switch on TIPC's loopback
 * cloning (copies of node-internal traffic to `lo`) in every namespace of the
 * host. `lo` is skipped unless asked for.
 *
 * Each tap carries a socket filter (classic BPF, run by the kernel) that lets
 * through only what may be a discovery frame: TIPC over Ethernet whose header
 * says LINK_CONFIG, UDP over IPv4 whose payload says the same, and UDP over
 * IPv6 and VLAN-tagged frames whole (the decoder judges those). A tap sees
 * all of its interface's traffic: between 64 namespaces with links up, the
 * links' own messages were thousands of frames a second, each copied to user
 * space and decoded to be dropped, most of a `tipcx exporter` scrape
 * (docs/metrics.md).
 */
import { readFileSync } from 'node:fs';
import { EnvironmentError, OperationError, quoted } from '../errors.js';
import {
    AF_PACKET,
    EACCES,
    EINTR,
    EPERM,
    MSG_DONTWAIT,
    SOCK_CLOEXEC,
    SOCK_NONBLOCK,
    SOCK_RAW,
    socketCalls,
} from '../netlink/libc.js';
import { netnsExists, withNetns, type NetnsRef } from '../netlink/netns.js';
import { ReadinessWaiter } from '../netlink/poll.js';
import {
    ETH_P_TIPC,
    PACKET_TYPES,
    tryDecodeLinkFrame,
    LinkType,
    type DecodedFrame,
    type DecodeOptions,
    type PacketDirection,
} from './frame.js';

const ETH_P_ALL = 0x0003;
// struct sockaddr_ll { u16 family; be16 protocol; int ifindex; u16 hatype; u8 pkttype; u8 halen; u8 addr[8]; }
const SOCKADDR_LL_LEN = 20;
const SNAP = 65_536;
const READ_EVERY_MS = 200;
const ENODEV = 19;

const htons = (n: number): number => ((n & 0xff) << 8) | ((n >>> 8) & 0xff);

/**
 * The taps' socket filter (struct sock_filter: u16 code, u8 jt, u8 jf, u32 k;
 * jumps count instructions after the next one). TIPC's message header starts
 * with version (3 bits) and user (4 bits): user LINK_CONFIG (13) is
 * (first byte & 0x1e) === 0x1a, whatever the version (encrypted ones too).
 */
const DISCOVERY_FILTER: readonly (readonly [code: number, jt: number, jf: number, k: number])[] = (() => {
    const LDH_ABS = 0x28;
    const LDB_ABS = 0x30;
    const LDB_IND = 0x50;
    const LDXB_MSH = 0xb1; // X = 4 * (byte[k] & 0xf): the IPv4 header length
    const AND_K = 0x54;
    const JEQ_K = 0x15;
    const RET_K = 0x06;
    const ACCEPT = 0xffffffff;
    const REJECT = 0;
    const USER_MASK = 0x1e;
    const LINK_CONFIG_BITS = 13 << 1;
    const UDP = 17;
    return [
        /* 0 */ [LDH_ABS, 0, 0, 12], // ethertype
        /* 1 */ [JEQ_K, 0, 3, ETH_P_TIPC],
        /* 2 */ [LDB_ABS, 0, 0, 14], // TIPC over Ethernet: the header's first byte
        /* 3 */ [AND_K, 0, 0, USER_MASK],
        /* 4 */ [JEQ_K, 12, 13, LINK_CONFIG_BITS], // -> 17 accept, 18 reject
        /* 5 */ [JEQ_K, 0, 6, 0x0800], // IPv4 (A still holds the ethertype)
        /* 6 */ [LDB_ABS, 0, 0, 14 + 9], // IPv4 protocol
        /* 7 */ [JEQ_K, 0, 10, UDP], // -> 18 reject
        /* 8 */ [LDXB_MSH, 0, 0, 14],
        /* 9 */ [LDB_IND, 0, 0, 14 + 8], // the UDP payload's first byte
        /* 10 */ [AND_K, 0, 0, USER_MASK],
        /* 11 */ [JEQ_K, 5, 6, LINK_CONFIG_BITS], // -> 17 accept, 18 reject
        /* 12 */ [JEQ_K, 0, 2, 0x86dd], // IPv6
        /* 13 */ [LDB_ABS, 0, 0, 14 + 6], // IPv6 next header
        /* 14 */ [JEQ_K, 2, 3, UDP], // -> 17 accept, 18 reject
        /* 15 */ [JEQ_K, 1, 0, 0x8100], // VLAN tags the kernel left in the frame
        /* 16 */ [JEQ_K, 0, 1, 0x88a8],
        /* 17 */ [RET_K, 0, 0, ACCEPT],
        /* 18 */ [RET_K, 0, 0, REJECT],
    ];
})();

let filterProgram: Buffer | undefined;
function discoveryFilter(): Buffer {
    if (!filterProgram) {
        filterProgram = Buffer.alloc(DISCOVERY_FILTER.length * 8);
        DISCOVERY_FILTER.forEach(([code, jt, jf, k], i) => {
            filterProgram!.writeUInt16LE(code, i * 8);
            filterProgram![i * 8 + 2] = jt;
            filterProgram![i * 8 + 3] = jf;
            filterProgram!.writeUInt32LE(k, i * 8 + 4);
        });
    }
    return filterProgram;
}

/** Interfaces of the calling thread's namespace (call inside withNetns). */
function interfacesHere(): string[] {
    // /proc/thread-self/net follows the thread's namespace, unlike /sys/class/net
    const text = readFileSync('/proc/thread-self/net/dev', 'latin1');
    return text
        .split('\n')
        .slice(2)
        .map((l) => l.split(':')[0].trim())
        .filter((n) => n.length > 0);
}

function sockaddrLl(protocol: number, ifindex: number): Buffer {
    const a = Buffer.alloc(SOCKADDR_LL_LEN);
    a.writeUInt16LE(AF_PACKET, 0);
    a.writeUInt16BE(protocol, 2);
    a.writeInt32LE(ifindex, 4);
    return a;
}

function packetSocketError(errno: number, where: string): Error {
    if (errno === EPERM || errno === EACCES)
        return new EnvironmentError(`capturing discovery frames ${where} needs root (CAP_NET_RAW)`, { errno });
    return new OperationError(errno, `cannot open a packet socket ${where}: ${new OperationError(errno).message}`);
}

/**
 * Whether this process may capture at all: a packet socket that is bound to
 * nothing receives nothing, so opening and closing one only asks the kernel
 * for CAP_NET_RAW. undefined when allowed, else the error a capture would give.
 */
export function captureRefusal(): Error | undefined {
    const s = socketCalls();
    const fd = s.socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return packetSocketError(s.errno(), 'in this namespace');
    s.close(fd);
    return undefined;
}

export interface CaptureTarget {
    /** The namespace to capture in; undefined: the current one. */
    netns?: NetnsRef;
    /** How frames from this namespace are labelled (e.g. the /run/netns name, or "" for the current). */
    label: string;
    /** Interfaces to capture on; default: every interface but lo. */
    devices?: readonly string[];
}

export interface LiveFrame {
    /** CaptureTarget.label of the namespace the frame was seen in. */
    netns: string;
    device: string;
    direction: PacketDirection;
    timeMs: number;
    /** The raw Ethernet frame (for pcap recording). */
    bytes: Buffer;
    decoded: DecodedFrame;
}

interface Tap {
    fd: number;
    netns: string;
    device: string;
    ifindex: number;
}

/**
 * Open taps in every target namespace, deliver decoded TIPC frames until
 * close(): discovery frames, and the rare other TIPC frame that passes the
 * taps' filter (over UDP on IPv6, VLAN-tagged): callers keep kind 'discovery'.
 */
export class LiveCapture {
    private readonly taps: Tap[] = [];
    private readonly buf = Buffer.alloc(SNAP);
    private readonly addr = Buffer.alloc(SOCKADDR_LL_LEN);
    private readonly addrLen = Buffer.alloc(4);
    private readonly waiter = new ReadinessWaiter();
    /** Taps let go of while a poll may be using their descriptors: closed once it has returned. */
    private readonly closing: number[] = [];
    private stopped = false;
    private running = false;
    /** Ends the pause between two reads at once (close() does: a command that ends does not wait for it). */
    private endPause: (() => void) | undefined;
    private fallback: NodeJS.Timeout | undefined;

    private constructor(
        private readonly onFrame: (f: LiveFrame) => void,
        private readonly decodeOptions?: DecodeOptions,
    ) {}

    /**
     * Reads taps as they become readable, until close(); at most every
     * READ_EVERY_MS, so that frames arriving one by one are read a batch at a
     * time (64 namespaces see a hundred discovery frames a second, each a
     * wake-up of the process otherwise). The kernel queues them meanwhile.
     */
    private async readLoop(): Promise<void> {
        const s = socketCalls();
        while (!this.stopped) {
            const taps = [...this.taps];
            const ready = new Set(await this.waiter.wait(taps.map((t) => t.fd)));
            for (const fd of this.closing.splice(0)) s.close(fd);
            if (this.stopped) break;
            for (const tap of taps) if (ready.has(tap.fd) && this.taps.includes(tap)) this.drainTap(tap);
            if (ready.size > 0)
                await new Promise<void>((resolve) => {
                    const timer = setTimeout(() => {
                        this.endPause = undefined;
                        resolve();
                    }, READ_EVERY_MS);
                    this.endPause = () => {
                        clearTimeout(timer);
                        resolve();
                    };
                });
        }
        for (const fd of this.closing.splice(0)) s.close(fd);
        this.waiter.close();
    }

    private start(): void {
        this.running = true;
        this.readLoop().catch(() => {
            // poll(2) itself failed (it should not): the taps are then read on a slow timer instead
            this.running = false;
            if (this.stopped) return this.waiter.close();
            this.fallback = setInterval(() => this.drain(), 1000);
        });
    }

    /** Closes at once when no poll uses the descriptor, else right after the poll returns. */
    private release(fd: number): void {
        if (this.waiter.busy) {
            this.closing.push(fd);
            this.waiter.wake();
        } else socketCalls().close(fd);
    }

    static open(
        targets: readonly CaptureTarget[],
        onFrame: (f: LiveFrame) => void,
        decodeOptions?: DecodeOptions,
    ): LiveCapture {
        const capture = new LiveCapture(onFrame, decodeOptions);
        try {
            for (const target of targets) capture.openTarget(target);
        } catch (e) {
            capture.close();
            throw e;
        }
        capture.start();
        return capture;
    }

    /**
     * A capture with no taps yet, for namespaces and interfaces that appear
     * while it runs: refresh() opens what is new (tipcx crossover waits for a
     * cluster that is being built, src/tipc/crossover.ts).
     */
    static watch(onFrame: (f: LiveFrame) => void, decodeOptions?: DecodeOptions): LiveCapture {
        const capture = new LiveCapture(onFrame, decodeOptions);
        capture.start();
        return capture;
    }

    /** Interfaces being captured, as "netns/device". */
    get devices(): string[] {
        return this.taps.map((t) => (t.netns ? `${t.netns}/${t.device}` : t.device));
    }

    private openTarget(target: CaptureTarget): void {
        const where = target.label ? `in namespace "${target.label}"` : 'in this namespace';
        const opened = withNetns(target.netns, () => openTaps(target, new Set()));
        for (const o of opened) {
            if (o.fd >= 0) this.taps.push({ fd: o.fd, netns: target.label, device: o.device, ifindex: o.ifindex });
            else if (o.missing) throw new EnvironmentError(`no interface ${quoted(o.device)} ${where}`);
            else throw packetSocketError(o.errno, `on ${o.device} ${where}`);
        }
    }

    /**
     * Brings the taps in line with `targets` as they are now: opens one on
     * every interface that appeared (a new name, or a name with a new ifindex),
     * closes those whose interface or namespace is gone (taps of a namespace
     * not in `targets` are kept). A namespace that does not exist (yet) and an
     * interface named in `devices` that does not exist are not errors here;
     * failing to open a packet socket (not root) is.
     */
    refresh(targets: readonly CaptureTarget[]): void {
        const s = socketCalls();
        const before = this.taps.length;
        let closed = false;
        for (const target of targets) {
            const mine = this.taps.filter((t) => t.netns === target.label);
            const have = new Set(mine.map((t) => `${t.device}|${t.ifindex}`));
            let result: { present: Set<string>; opened: OpenedTap[] };
            try {
                result = withNetns(target.netns, () => {
                    const present = new Set(interfacesHere().map((d) => `${d}|${s.ifNameToIndex(d)}`));
                    return { present, opened: openTaps(target, have) };
                });
            } catch (e) {
                if (target.netns === undefined || netnsExists(target.netns)) throw e;
                result = { present: new Set(), opened: [] }; // no such namespace (yet, or any more)
            }
            for (const t of mine) {
                if (result.present.has(`${t.device}|${t.ifindex}`)) continue;
                this.taps.splice(this.taps.indexOf(t), 1);
                this.release(t.fd);
                closed = true;
            }
            const where = target.label ? `in namespace "${target.label}"` : 'in this namespace';
            for (const o of result.opened) {
                if (o.fd >= 0) this.taps.push({ fd: o.fd, netns: target.label, device: o.device, ifindex: o.ifindex });
                else if (!o.missing) throw packetSocketError(o.errno, `on ${o.device} ${where}`);
            }
        }
        // the running poll waits on the old set: new taps join at its next round
        if (this.taps.length !== before || closed) this.waiter.wake();
    }

    /** Reads every tap until it would block: what has arrived is delivered now, not at the next poll. */
    drain(): void {
        for (const tap of this.taps) this.drainTap(tap);
    }

    private drainTap(tap: Tap): void {
        const s = socketCalls();
        for (let i = 0; i < 10_000; i++) {
            this.addrLen.writeUInt32LE(SOCKADDR_LL_LEN);
            const n = s.recvfrom(tap.fd, this.buf, SNAP, MSG_DONTWAIT, this.addr, this.addrLen);
            if (n < 0) {
                const errno = s.errno();
                if (errno === EINTR) continue;
                break; // EAGAIN: nothing more now; other errors: try again next tick
            }
            if (this.addr.readUInt16BE(2) !== ETH_P_TIPC && !isIp(this.addr.readUInt16BE(2))) continue;
            const bytes = Buffer.from(this.buf.subarray(0, n));
            const decoded = tryDecodeLinkFrame(LinkType.EN10MB, bytes, this.decodeOptions);
            if (!decoded) continue;
            const direction = PACKET_TYPES[this.addr[10]] ?? 'unknown';
            this.onFrame({
                netns: tap.netns,
                device: tap.device,
                direction,
                timeMs: Date.now(),
                bytes,
                decoded: { ...decoded, encapsulation: { ...decoded.encapsulation, direction } },
            });
        }
    }

    close(): void {
        if (this.stopped) return;
        this.stopped = true;
        for (const tap of this.taps.splice(0)) this.release(tap.fd);
        // the loop closes the waiter once its poll has returned
        if (this.running) this.waiter.wake();
        else this.waiter.close();
        this.endPause?.();
        clearInterval(this.fallback);
    }
}

const isIp = (p: number): boolean => p === 0x0800 || p === 0x86dd;

interface OpenedTap {
    fd: number;
    device: string;
    ifindex: number;
    errno: number;
    missing?: boolean;
}

/**
 * Call inside withNetns: one bound ETH_P_ALL tap per interface of `target`
 * (every one but lo, or its `devices`) unless "device|ifindex" is in `skip`.
 * Stops at the first socket() failure: the others would fail alike.
 */
function openTaps(target: CaptureTarget, skip: ReadonlySet<string>): OpenedTap[] {
    const s = socketCalls();
    const names = target.devices ?? interfacesHere().filter((n) => n !== 'lo');
    const result: OpenedTap[] = [];
    for (const device of names) {
        const ifindex = s.ifNameToIndex(device);
        if (ifindex === 0) {
            result.push({ fd: -1, device, ifindex, errno: 0, missing: true });
            continue;
        }
        if (skip.has(`${device}|${ifindex}`)) continue;
        const fd = s.socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
        if (fd < 0) {
            result.push({ fd, device, ifindex, errno: s.errno() });
            break;
        }
        // before bind, so that the queue never holds what the filter would have dropped; should the
        // kernel refuse it, the tap still works, with every frame decoded and dropped in user space
        s.attachFilter(fd, discoveryFilter());
        if (s.bind(fd, sockaddrLl(ETH_P_ALL, ifindex), SOCKADDR_LL_LEN) < 0) {
            const errno = s.errno();
            s.close(fd);
            // gone between the listing and the bind: the next refresh sees it gone
            result.push({ fd: -1, device, ifindex, errno, missing: errno === ENODEV });
            continue;
        }
        result.push({ fd, device, ifindex, errno: 0 });
    }
    return result;
}

/**
 * Sends one raw Ethernet frame out of `device` in `netns`: for lab tests
 * that inject forged discovery frames. The frame must carry its own header.
 */
export function injectFrame(netns: NetnsRef | undefined, device: string, frame: Uint8Array): void {
    const s = socketCalls();
    const errno = withNetns(netns, () => {
        const ifindex = s.ifNameToIndex(device);
        if (ifindex === 0) return -1;
        const fd = s.socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_TIPC));
        if (fd < 0) return s.errno();
        try {
            const n = s.sendto(
                fd,
                Buffer.from(frame),
                frame.byteLength,
                0,
                sockaddrLl(ETH_P_TIPC, ifindex),
                SOCKADDR_LL_LEN,
            );
            return n < 0 ? s.errno() : 0;
        } finally {
            s.close(fd);
        }
    });
    if (errno === -1) throw new EnvironmentError(`no interface ${quoted(device)}`);
    if (errno !== 0) throw packetSocketError(errno, `on ${device}`);
}
