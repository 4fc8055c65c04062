/**
 * Live capture of TIPC discovery frames with AF_PACKET sockets, several
 * namespaces from one process: each socket is created inside its namespace
 * (withNetns) and keeps belonging to it. Sockets are non-blocking and drained
 * from a timer, so Node's event loop stays free while we wait up to a minute
 * for the kernel's next discovery round.
 *
 * One ETH_P_ALL socket per interface, bound to it. ETH_P_ALL because only
 * taps see a device's own transmissions (PACKET_OUTGOING: how we learn the
 * hash a namespace sends itself, docs/crossover.md "Evidence"); bound because
 * an unbound ETH_P_ALL tap would, before Linux 6.15, switch on TIPC's loopback
 * cloning (copies of node-internal traffic to `lo`) in every namespace of the
 * host. `lo` is skipped unless asked for.
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
const POLL_MS = 20;
const ENODEV = 19;

const htons = (n: number): number => ((n & 0xff) << 8) | ((n >>> 8) & 0xff);

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
 * Open taps in every target namespace, deliver decoded TIPC frames (any user,
 * discovery or not: callers filter) until close().
 */
export class LiveCapture {
    private readonly taps: Tap[] = [];
    private timer: NodeJS.Timeout | undefined;
    private readonly buf = Buffer.alloc(SNAP);
    private readonly addr = Buffer.alloc(SOCKADDR_LL_LEN);
    private readonly addrLen = Buffer.alloc(4);

    private constructor(
        private readonly onFrame: (f: LiveFrame) => void,
        private readonly decodeOptions?: DecodeOptions,
    ) {}

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
        capture.timer = setInterval(() => capture.drain(), POLL_MS);
        return capture;
    }

    /**
     * A capture with no taps yet, for namespaces and interfaces that appear
     * while it runs: refresh() opens what is new (tipcx crossover waits for a
     * cluster that is being built, src/tipc/crossover.ts).
     */
    static watch(onFrame: (f: LiveFrame) => void, decodeOptions?: DecodeOptions): LiveCapture {
        const capture = new LiveCapture(onFrame, decodeOptions);
        capture.timer = setInterval(() => capture.drain(), POLL_MS);
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
                s.close(t.fd);
                this.taps.splice(this.taps.indexOf(t), 1);
            }
            const where = target.label ? `in namespace "${target.label}"` : 'in this namespace';
            for (const o of result.opened) {
                if (o.fd >= 0) this.taps.push({ fd: o.fd, netns: target.label, device: o.device, ifindex: o.ifindex });
                else if (!o.missing) throw packetSocketError(o.errno, `on ${o.device} ${where}`);
            }
        }
    }

    /** Reads every tap until it would block. Public so tests can drain synchronously. */
    drain(): void {
        const s = socketCalls();
        for (const tap of this.taps) {
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
    }

    close(): void {
        if (this.timer) clearInterval(this.timer);
        this.timer = undefined;
        const s = this.taps.length ? socketCalls() : undefined;
        for (const tap of this.taps.splice(0)) s?.close(tap.fd);
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
