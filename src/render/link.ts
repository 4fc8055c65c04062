// `tipc link …` text output, byte for byte.
import type { Link } from '../tipc/link.js';
import { stateWord } from './color.js';

/** `color`: the state word is green/red (only ever on a terminal or with --color=always). */
export function linkListText(links: readonly Pick<Link, 'name' | 'up'>[], color = false): string {
    return links.map((l) => `${l.name}: ${stateWord(l.up, color)}\n`).join('');
}

// ---------------------------------------------------------------- link statistics show

export interface PacketCounters {
    packets: number;
    fragments: number;
    fragmented: number;
    bundles: number;
    bundled: number;
}

/** Message-size profile of what a unicast link sent; percents of the sampled messages. */
export interface SendProfile {
    sample: number;
    /** Average message size in octets. */
    average: number;
    percent: {
        upTo64: number;
        upTo256: number;
        upTo1024: number;
        upTo4096: number;
        upTo16384: number;
        upTo32768: number;
        upTo66000: number;
    };
}

export interface UnicastLinkStatistics {
    link: string;
    broadcast: false;
    state: 'ACTIVE' | 'STANDBY' | 'DEFUNCT';
    mtu: number;
    priority: number;
    tolerance: number;
    window: number;
    rx: PacketCounters;
    tx: PacketCounters;
    profile: SendProfile;
    rxStates: { states: number; probes: number; naks: number; defs: number; dups: number };
    txStates: { states: number; probes: number; naks: number; acks: number; retrans: number };
    congestion: number;
    sendQueueMax: number;
    sendQueueAvg: number;
}

/** The broadcast sender link and the per-peer broadcast receiver links. */
export interface BroadcastLinkStatistics {
    link: string;
    broadcast: true;
    window: number;
    rx: PacketCounters;
    tx: PacketCounters;
    rxStates: { naks: number; defs: number; dups: number };
    txStates: { naks: number; acks: number; retrans: number };
    congestion: number;
    sendQueueMax: number;
    sendQueueAvg: number;
}

export type LinkStatistics = UnicastLinkStatistics | BroadcastLinkStatistics;

const u32 = (n: number) => n >>> 0;

/**
 * iproute2's perc(): (count * 100 + total / 2) / total, all in 32-bit unsigned
 * arithmetic, so it wraps for counts above ~42.9 million exactly as tipc does.
 * The kernel sends total >= 1; a 0 would crash tipc and gives 0 here.
 */
export function profilePercent(count: number, total: number): number {
    const t = u32(total);
    if (t === 0) return 0;
    return Math.floor(u32(u32(Math.imul(u32(count), 100)) + Math.floor(t / 2)) / t);
}

export function linkStatisticsFrom(link: Link): LinkStatistics {
    const st = link.stats ?? {};
    const v = (n: number | undefined) => n ?? 0;
    const counters = (packets: number, dir: 'rx' | 'tx'): PacketCounters => ({
        packets: u32(packets),
        fragments: v(st[`${dir}Fragments`]),
        fragmented: v(st[`${dir}Fragmented`]),
        bundles: v(st[`${dir}Bundles`]),
        bundled: v(st[`${dir}Bundled`]),
    });
    const tail = { congestion: v(st.linkCongs), sendQueueMax: v(st.maxQueue), sendQueueAvg: v(st.avgQueue) };
    if (link.broadcast) {
        return {
            link: link.name,
            broadcast: true,
            window: v(link.prop?.win),
            rx: counters(v(st.rxInfo), 'rx'),
            tx: counters(v(st.txInfo), 'tx'),
            rxStates: { naks: v(st.rxNacks), defs: v(st.rxDeferred), dups: v(st.duplicates) },
            txStates: { naks: v(st.txNacks), acks: v(st.txAcks), retrans: v(st.retransmitted) },
            ...tail,
        };
    }
    const total = v(st.msgProfTot);
    const pct = (n: number | undefined) => profilePercent(v(n), total);
    return {
        link: link.name,
        broadcast: false,
        state: link.active ? 'ACTIVE' : link.up ? 'STANDBY' : 'DEFUNCT',
        mtu: v(link.mtu),
        priority: v(link.prop?.prio),
        tolerance: v(link.prop?.tol),
        window: v(link.prop?.win),
        // tipc subtracts the *_INFO counters (0 on unicast links) in unsigned arithmetic.
        rx: counters(v(link.rx) - v(st.rxInfo), 'rx'),
        tx: counters(v(link.tx) - v(st.txInfo), 'tx'),
        profile: {
            sample: v(st.msgLenCnt),
            average: total === 0 ? 0 : Math.floor(v(st.msgLenTot) / total),
            percent: {
                upTo64: pct(st.msgLenP0),
                upTo256: pct(st.msgLenP1),
                upTo1024: pct(st.msgLenP2),
                upTo4096: pct(st.msgLenP3),
                upTo16384: pct(st.msgLenP4),
                upTo32768: pct(st.msgLenP5),
                upTo66000: pct(st.msgLenP6),
            },
        },
        rxStates: {
            states: v(st.rxStates),
            probes: v(st.rxProbes),
            naks: v(st.rxNacks),
            defs: v(st.rxDeferred),
            dups: v(st.duplicates),
        },
        txStates: {
            states: v(st.txStates),
            probes: v(st.txProbes),
            naks: v(st.txNacks),
            acks: v(st.txAcks),
            retrans: v(st.retransmitted),
        },
        ...tail,
    };
}

const countersLine = (dir: 'RX' | 'TX', c: PacketCounters) =>
    `  ${dir} packets:${c.packets} fragments:${c.fragments}/${c.fragmented} bundles:${c.bundles}/${c.bundled}\n`;

/** One block per link, each followed by an empty line, as `tipc link statistics show` prints them. */
export function linkStatisticsText(records: readonly LinkStatistics[]): string {
    return records
        .map((r) => {
            const tail = `  Congestion link:${r.congestion}  Send queue max:${r.sendQueueMax} avg:${r.sendQueueAvg}\n\n`;
            if (r.broadcast) {
                return (
                    `Link <${r.link}>\n` +
                    `  Window:${r.window} packets\n` +
                    countersLine('RX', r.rx) +
                    countersLine('TX', r.tx) +
                    `  RX naks:${r.rxStates.naks} defs:${r.rxStates.defs} dups:${r.rxStates.dups}\n` +
                    `  TX naks:${r.txStates.naks} acks:${r.txStates.acks} retrans:${r.txStates.retrans}\n` +
                    tail
                );
            }
            const p = r.profile.percent;
            return (
                `Link <${r.link}>\n` +
                `  ${r.state}  MTU:${r.mtu}  Priority:${r.priority}  Tolerance:${r.tolerance} ms  Window:${r.window} packets\n` +
                countersLine('RX', r.rx) +
                countersLine('TX', r.tx) +
                `  TX profile sample:${r.profile.sample} packets average:${r.profile.average} octets\n` +
                `  0-64:${p.upTo64}% -256:${p.upTo256}% -1024:${p.upTo1024}% -4096:${p.upTo4096}% -16384:${p.upTo16384}% -32768:${p.upTo32768}% -66000:${p.upTo66000}%\n` +
                `  RX states:${r.rxStates.states} probes:${r.rxStates.probes} naks:${r.rxStates.naks} defs:${r.rxStates.defs} dups:${r.rxStates.dups}\n` +
                `  TX states:${r.txStates.states} probes:${r.txStates.probes} naks:${r.txStates.naks} acks:${r.txStates.acks} retrans:${r.txStates.retrans}\n` +
                tail
            );
        })
        .join('');
}

// ---------------------------------------------------------------- link get

/** `link get broadcast`: BROADCAST, REPLICAST, AUTOSELECT ratio:N or UNKNOWN. */
export function broadcastSettingText(records: readonly { mode: string; ratio?: number }[]): string {
    return records
        .map((r) => (r.mode === 'AUTOSELECT' ? `AUTOSELECT ratio:${r.ratio ?? 0}\n` : `${r.mode}\n`))
        .join('');
}
