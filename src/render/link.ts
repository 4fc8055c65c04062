// `tipc link …` text output, byte for byte.
import { LINK_SLOT, LINK_WIDTH, type Link, type LinkTable } from '../tipc/link.js';
import { stateWord } from './color.js';
import { TextBuffer, text, textFormat } from './text-buffer.js';

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
 * empty line, written straight from the dump's rows as bytes: the records
 * above are for -j, and building them (or a string per number) only to print
 * them was most of the text's cost. Every number goes through the same
 * arithmetic as linkStatisticsFrom, with an absent field as 0
 * (test/unit/render-link.test.ts holds both to iproute2's output). The text
 * comes back as its UTF-8 bytes, which go to standard output as they are.
 */
export function linkStatisticsText(table: LinkTable): Buffer {
    const out = new TextBuffer(table.count * 640);
    const texts = ['', ''];
    const rows = table.values;
    for (let i = 0; i < table.count; i++) {
        // the row, absent fields as 0, then what the text computes from it
        for (let k = 0, at = i * LINK_WIDTH; k < LINK_WIDTH; k++, at++)
            values[k] = rows[at] === rows[at] ? rows[at] : 0;
        texts[NAME] = table.names[i];
        if (values[S.broadcast] === 1) {
            values[RX_PACKETS] = u32(values[S.rxInfo]);
            values[TX_PACKETS] = u32(values[S.txInfo]);
            out.format(BROADCAST_BLOCK, values, 0, texts);
            continue;
        }
        texts[STATE] = values[S.active] === 1 ? 'ACTIVE' : values[S.up] === 1 ? 'STANDBY' : 'DEFUNCT';
        // tipc subtracts the *_INFO counters (0 on unicast links) in unsigned arithmetic.
        values[RX_PACKETS] = u32(values[S.rx] - values[S.rxInfo]);
        values[TX_PACKETS] = u32(values[S.tx] - values[S.txInfo]);
        const total = values[S.msgProfTot];
        values[AVERAGE] = total === 0 ? 0 : Math.floor(values[S.msgLenTot] / total);
        for (let p = 0; p < PROFILE.length; p++) values[PERCENT + p] = profilePercent(values[PROFILE[p]], total);
        out.format(UNICAST_BLOCK, values, 0, texts);
    }
    return out.take();
}

const S = LINK_SLOT;
/** The profile counters, 0-64 to -66000. */
const PROFILE = [S.msgLenP0, S.msgLenP1, S.msgLenP2, S.msgLenP3, S.msgLenP4, S.msgLenP5, S.msgLenP6];
// The numbers the text computes from a row, in the slots after it.
const RX_PACKETS = LINK_WIDTH;
const TX_PACKETS = LINK_WIDTH + 1;
const AVERAGE = LINK_WIDTH + 2;
const PERCENT = LINK_WIDTH + 3;
/** One link's row, then the numbers computed from it. */
const values = new Float64Array(PERCENT + PROFILE.length);
const NAME = 0;
const STATE = 1;

const BROADCAST_BLOCK = textFormat`Link <${text(NAME)}>
  Window:${S.win} packets
  RX packets:${RX_PACKETS} fragments:${S.rxFragments}/${S.rxFragmented} bundles:${S.rxBundles}/${S.rxBundled}
  TX packets:${TX_PACKETS} fragments:${S.txFragments}/${S.txFragmented} bundles:${S.txBundles}/${S.txBundled}
  RX naks:${S.rxNacks} defs:${S.rxDeferred} dups:${S.duplicates}
  TX naks:${S.txNacks} acks:${S.txAcks} retrans:${S.retransmitted}
  Congestion link:${S.linkCongs}  Send queue max:${S.maxQueue} avg:${S.avgQueue}

`;

const UNICAST_BLOCK = textFormat`Link <${text(NAME)}>
  ${text(STATE)}  MTU:${S.mtu}  Priority:${S.prio}  Tolerance:${S.tol} ms  Window:${S.win} packets
  RX packets:${RX_PACKETS} fragments:${S.rxFragments}/${S.rxFragmented} bundles:${S.rxBundles}/${S.rxBundled}
  TX packets:${TX_PACKETS} fragments:${S.txFragments}/${S.txFragmented} bundles:${S.txBundles}/${S.txBundled}
  TX profile sample:${S.msgLenCnt} packets average:${AVERAGE} octets
  0-64:${PERCENT}% -256:${PERCENT + 1}% -1024:${PERCENT + 2}% -4096:${PERCENT + 3}% -16384:${PERCENT + 4}% -32768:${PERCENT + 5}% -66000:${PERCENT + 6}%
  RX states:${S.rxStates} probes:${S.rxProbes} naks:${S.rxNacks} defs:${S.rxDeferred} dups:${S.duplicates}
  TX states:${S.txStates} probes:${S.txProbes} naks:${S.txNacks} acks:${S.txAcks} retrans:${S.retransmitted}
  Congestion link:${S.linkCongs}  Send queue max:${S.maxQueue} avg:${S.avgQueue}

`;

// ---------------------------------------------------------------- link get

/** `link get broadcast`: BROADCAST, REPLICAST, AUTOSELECT ratio:N or UNKNOWN. */
export function broadcastSettingText(records: readonly { mode: string; ratio?: number }[]): string {
    return records
        .map((r) => (r.mode === 'AUTOSELECT' ? `AUTOSELECT ratio:${r.ratio ?? 0}\n` : `${r.mode}\n`))
        .join('');
}
