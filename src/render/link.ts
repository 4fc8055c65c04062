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

/**
 * `tipc link statistics show` text, one block per link each followed by an
 * empty line, written straight from the decoded links: the records above are
 * for -j, and building them only to print them was most of the text's cost.
 * Every number goes through the same arithmetic as linkStatisticsFrom
 * (test/unit/render-link.test.ts holds both to iproute2's output).
 */
export function linkStatisticsText(links: readonly Link[]): string {
    let out = '';
    for (const link of links) out += linkStatisticsBlock(link);
    return out;
}

function linkStatisticsBlock(link: Link): string {
    const st = link.stats ?? NO_STATS;
    const prop = link.prop;
    const win = prop?.win ?? 0;
    const rxFrag = `fragments:${st.rxFragments ?? 0}/${st.rxFragmented ?? 0} bundles:${st.rxBundles ?? 0}/${st.rxBundled ?? 0}\n`;
    const txFrag = `fragments:${st.txFragments ?? 0}/${st.txFragmented ?? 0} bundles:${st.txBundles ?? 0}/${st.txBundled ?? 0}\n`;
    const tail = `  Congestion link:${st.linkCongs ?? 0}  Send queue max:${st.maxQueue ?? 0} avg:${st.avgQueue ?? 0}\n\n`;
    if (link.broadcast) {
        return (
            `Link <${link.name}>\n  Window:${win} packets\n` +
            `  RX packets:${u32(st.rxInfo ?? 0)} ${rxFrag}  TX packets:${u32(st.txInfo ?? 0)} ${txFrag}` +
            `  RX naks:${st.rxNacks ?? 0} defs:${st.rxDeferred ?? 0} dups:${st.duplicates ?? 0}\n` +
            `  TX naks:${st.txNacks ?? 0} acks:${st.txAcks ?? 0} retrans:${st.retransmitted ?? 0}\n${tail}`
        );
    }
    const total = st.msgProfTot ?? 0;
    const state = link.active ? 'ACTIVE' : link.up ? 'STANDBY' : 'DEFUNCT';
    return (
        `Link <${link.name}>\n  ${state}  MTU:${link.mtu ?? 0}  Priority:${prop?.prio ?? 0}  Tolerance:${prop?.tol ?? 0} ms  Window:${win} packets\n` +
        // tipc subtracts the *_INFO counters (0 on unicast links) in unsigned arithmetic.
        `  RX packets:${u32((link.rx ?? 0) - (st.rxInfo ?? 0))} ${rxFrag}  TX packets:${u32((link.tx ?? 0) - (st.txInfo ?? 0))} ${txFrag}` +
        `  TX profile sample:${st.msgLenCnt ?? 0} packets average:${total === 0 ? 0 : Math.floor((st.msgLenTot ?? 0) / total)} octets\n` +
        `  0-64:${profilePercent(st.msgLenP0 ?? 0, total)}% -256:${profilePercent(st.msgLenP1 ?? 0, total)}% -1024:${profilePercent(st.msgLenP2 ?? 0, total)}% -4096:${profilePercent(st.msgLenP3 ?? 0, total)}% -16384:${profilePercent(st.msgLenP4 ?? 0, total)}% -32768:${profilePercent(st.msgLenP5 ?? 0, total)}% -66000:${profilePercent(st.msgLenP6 ?? 0, total)}%\n` +
        `  RX states:${st.rxStates ?? 0} probes:${st.rxProbes ?? 0} naks:${st.rxNacks ?? 0} defs:${st.rxDeferred ?? 0} dups:${st.duplicates ?? 0}\n` +
        `  TX states:${st.txStates ?? 0} probes:${st.txProbes ?? 0} naks:${st.txNacks ?? 0} acks:${st.txAcks ?? 0} retrans:${st.retransmitted ?? 0}\n${tail}`
    );
}

const NO_STATS: NonNullable<Link['stats']> = {};

// ---------------------------------------------------------------- link get

/** `link get broadcast`: BROADCAST, REPLICAST, AUTOSELECT ratio:N or UNKNOWN. */
export function broadcastSettingText(records: readonly { mode: string; ratio?: number }[]): string {
    return records
        .map((r) => (r.mode === 'AUTOSELECT' ? `AUTOSELECT ratio:${r.ratio ?? 0}\n` : `${r.mode}\n`))
        .join('');
}
