// Links: one per peer and bearer, plus the broadcast link.
import { tipcRows, type DecodeOptions, type Decoded, type RowDecoder, type TipcMessage } from '../netlink/codec.js';
import { FailureError, OperationError } from '../errors.js';
import { TipcCmd, tipcSchema, type TipcSchema } from '../netlink/schema.js';
import type { TipcSession } from './session.js';

export interface Link {
    name: string;
    up: boolean;
    active: boolean;
    broadcast: boolean;
    mtu?: number;
    rx?: number;
    tx?: number;
    prop?: Decoded<'prop'>;
    stats?: Decoded<'stats'>;
}

export function linksFrom(messages: TipcMessage[]): Link[] {
    return messages.flatMap((m) => linkOf(m) ?? []);
}

/** One LINK_GET reply's link, or undefined when it carries none. */
export function linkOf({ link }: TipcMessage): Link | undefined {
    if (link?.name === undefined) return undefined;
    return {
        name: link.name,
        up: link.up === true,
        active: link.active === true,
        broadcast: link.broadcast === true,
        mtu: link.mtu,
        rx: link.rx,
        tx: link.tx,
        prop: link.prop,
        stats: link.stats,
    };
}

export type StatsCounter = keyof TipcSchema['stats'];

/**
 * Every link with its properties and statistics. `statistics: false` leaves
 * `prop` and `stats` out (and undecoded); a list of counters decodes only
 * those of `stats` (pass the same array each time: its decoding is prepared once).
 */
export async function listLinks(
    s: TipcSession,
    options: { statistics?: boolean | readonly StatsCounter[] } = {},
): Promise<Link[]> {
    const { statistics } = options;
    return s.dumpEach(
        TipcCmd.LINK_GET,
        linkOf,
        undefined,
        statistics === false ? NAMES_AND_STATES : Array.isArray(statistics) ? countersOnly(statistics) : undefined,
    );
}

const NAMES_AND_STATES = { skip: new Set(['stats', 'prop'] as const) };
const COUNTERS_ONLY = new WeakMap<readonly StatsCounter[], DecodeOptions<TipcSchema>>();
function countersOnly(counters: readonly StatsCounter[]): DecodeOptions<TipcSchema> {
    let options: DecodeOptions<TipcSchema> | undefined = COUNTERS_ONLY.get(counters);
    if (options === undefined) {
        options = { pick: { stats: counters } };
        COUNTERS_ONLY.set(counters, options);
    }
    return options;
}

// ---------------------------------------------------------------- links as rows

/** Every field of a link in a LinkTable: its flags, numbers, properties and the 33 counters. */
export type LinkField =
    'name' | 'up' | 'active' | 'broadcast' | 'mtu' | 'rx' | 'tx' | 'prio' | 'tol' | 'win' | StatsCounter;

const STATS_COUNTERS = Object.keys(tipcSchema.stats) as StatsCounter[];
const LINK_ROWS: RowDecoder<LinkField> = tipcRows('top', {
    name: 'link.name',
    up: 'link.up',
    active: 'link.active',
    broadcast: 'link.broadcast',
    mtu: 'link.mtu',
    rx: 'link.rx',
    tx: 'link.tx',
    prio: 'link.prop.prio',
    tol: 'link.prop.tol',
    win: 'link.prop.win',
    ...(Object.fromEntries(STATS_COUNTERS.map((c) => [c, `link.stats.${c}`])) as Record<StatsCounter, string>),
});

/** Slots per link in LinkTable.values. */
export const LINK_WIDTH = LINK_ROWS.width;
/** Where each field of link i is: LinkTable.values[i * LINK_WIDTH + LINK_SLOT[field]]. */
export const LINK_SLOT = LINK_ROWS.slot;

/**
 * The links of a LINK_GET dump as rows of numbers, for readers of every link
 * (`link statistics show`, `top`): one name string per link and one typed
 * array for everything else, instead of five objects per link. A field the
 * kernel did not send is NaN (a flag: 0). Link and listLinks remain the
 * model for everything else.
 */
export class LinkTable {
    /** Links in the table. */
    count = 0;
    readonly names: string[] = [];
    /** Link i's fields from values[i * LINK_WIDTH] on, at LINK_SLOT. */
    values = new Float64Array(0);

    /** The value of one field of link i (NaN: not sent). */
    value(i: number, field: LinkField): number {
        return this.values[i * LINK_WIDTH + LINK_SLOT[field]];
    }

    /**
     * The names of the last dump by row: a reader of every link each second
     * (top) gets mostly the same links in the same order, and a name read
     * again at the same row is given the same string rather than a new one
     * (which is also hashed anew for every lookup by name, then dropped).
     */
    private readonly earlier: string[] = [];

    /** Empties the table and keeps its memory, for the next dump. */
    clear(): void {
        for (let i = 0; i < this.count; i++) this.earlier[i] = this.names[i];
        this.earlier.length = this.count;
        this.count = 0;
        this.names.length = 0;
    }

    /** Makes room for `links` more links. */
    reserve(links: number): void {
        const need = (this.count + links) * LINK_WIDTH;
        if (need <= this.values.length) return;
        const bigger = new Float64Array(Math.max(2 * this.values.length, need));
        bigger.set(this.values.subarray(0, this.count * LINK_WIDTH));
        this.values = bigger;
    }

    /** Adds the link of one LINK_GET reply; a reply without a link name adds nothing. */
    add(reply: Buffer, rows: RowDecoder<LinkField> = LINK_ROWS): void {
        const at = this.count * LINK_WIDTH;
        if (at + LINK_WIDTH > this.values.length) this.reserve(64);
        rows.decode(reply, this.values, at);
        const start = this.values[at + LINK_SLOT.name];
        if (Number.isNaN(start)) return;
        const end = this.values[at + LINK_SLOT.name + 1];
        const earlier = this.earlier[this.count];
        this.names.push(
            earlier !== undefined && asciiEquals(reply, start, end, earlier)
                ? earlier
                : reply.toString('utf8', start, end),
        );
        this.count++;
    }

    /** The links whose name `keep` accepts, as a new table. */
    filter(keep: (name: string) => boolean): LinkTable {
        const out = new LinkTable();
        out.values = new Float64Array(this.count * LINK_WIDTH);
        for (let i = 0; i < this.count; i++) {
            if (!keep(this.names[i])) continue;
            out.values.set(this.values.subarray(i * LINK_WIDTH, (i + 1) * LINK_WIDTH), out.count * LINK_WIDTH);
            out.names.push(this.names[i]);
            out.count++;
        }
        return out;
    }
}

/** Whether bytes[start, end) are the ASCII text `s` (anything else is decoded as UTF-8, never compared). */
function asciiEquals(bytes: Buffer, start: number, end: number, s: string): boolean {
    if (s.length !== end - start) return false;
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80 || bytes[start + i] !== c) return false;
    }
    return true;
}

/** A table of the links these LINK_GET replies carry (the real decoder: tests build tables from encoded links). */
export function linkTableOf(replies: readonly Buffer[], table = new LinkTable()): LinkTable {
    table.reserve(replies.length);
    for (const reply of replies) table.add(reply);
    return table;
}

/** `link statistics show`'s dump as a table (dumpLinkStatistics gives the same as Link objects). */
export async function linkStatisticsTable(s: TipcSession, receivers: boolean): Promise<LinkTable> {
    return linkTableOf(await s.dumpReplies(TipcCmd.LINK_GET, receivers ? { link: { broadcast: true } } : undefined));
}

const LINK_BASICS: readonly LinkField[] = [
    'name',
    'up',
    'active',
    'broadcast',
    'mtu',
    'rx',
    'tx',
    'prio',
    'tol',
    'win',
];
const COUNTER_ROWS = new WeakMap<readonly StatsCounter[], RowDecoder<LinkField>>();

/**
 * Every link into `table`, cleared first (a reader of every link each second
 * keeps one table). With `counters`, only those of the 33 are decoded, the
 * others are NaN (pass the same array each time: its decoder is made once).
 */
export async function readLinkTable(
    s: TipcSession,
    table: LinkTable,
    counters?: readonly StatsCounter[],
): Promise<LinkTable> {
    let rows = LINK_ROWS;
    if (counters !== undefined) {
        rows = COUNTER_ROWS.get(counters) ?? LINK_ROWS.only([...LINK_BASICS, ...counters]);
        COUNTER_ROWS.set(counters, rows);
    }
    const replies = await s.dumpReplies(TipcCmd.LINK_GET);
    table.clear();
    table.reserve(replies.length);
    for (const reply of replies) table.add(reply, rows);
    return table;
}

/**
 * Splits `own:if-peer:if` (iproute2's link naming) into the local bearer and
 * the peer. Identities may contain '-' and ':', so the split is the '-' whose
 * both sides look like `id:interface`; the broadcast link has neither.
 */
export function parseLinkName(name: string): { bearer: string; peer: string } {
    const candidates: { bearer: string; peer: string }[] = [];
    for (let i = name.indexOf('-'); i !== -1; i = name.indexOf('-', i + 1)) {
        const local = name.slice(0, i);
        const remote = name.slice(i + 1);
        const lc = local.lastIndexOf(':');
        const rc = remote.lastIndexOf(':');
        if (lc > 0 && rc > 0 && lc < local.length - 1 && rc < remote.length - 1) {
            candidates.push({ bearer: local.slice(lc + 1), peer: remote.slice(0, rc) });
        }
    }
    // With several candidates the middle one splits two equally shaped halves.
    return candidates[Math.floor((candidates.length - 1) / 2)] ?? { bearer: '', peer: '' };
}

export const BROADCAST_LINK = 'broadcast-link';

/** What the broadcast link has, for sentences when a unicast-only property is asked of it. */
const BROADCAST_LINK_PROPERTIES = 'the broadcast link has only a window, a broadcast mode and a ratio';

export type LinkProperty = 'priority' | 'tolerance' | 'window';
const PROP_ATTR = { priority: 'prio', tolerance: 'tol', window: 'win' } as const satisfies Record<LinkProperty, string>;

async function linkExists(s: TipcSession, name: string): Promise<boolean> {
    return (await dumpLinkStatistics(s, true)).some((l) => l.name === name);
}

/** EINVAL from LINK_GET/LINK_SET/LINK_RESET_STATS: most often the name; find out which. */
async function explainEinval(s: TipcSession, name: string, err: unknown, otherwise: string): Promise<never> {
    if (!(err instanceof OperationError) || err.code !== 'EINVAL') throw err;
    if (!(await linkExists(s, name))) throw new OperationError(err.errno, `no link named "${name}"`, { cause: err });
    throw new OperationError(err.errno, otherwise, { cause: err });
}

/**
 * One link's record: LINK_GET do, except for the broadcast links, whose do
 * reply the kernel flags NLM_F_MULTI without a closing NLMSG_DONE (the netlink
 * package rejects that): those are picked from a dump.
 */
export async function getLink(s: TipcSession, name: string): Promise<Link> {
    if (name === BROADCAST_LINK || name.startsWith(`${BROADCAST_LINK}:`)) {
        const link = (await dumpLinkStatistics(s, name !== BROADCAST_LINK)).find((l) => l.name === name);
        if (!link) throw new OperationError(22, `no link named "${name}"`);
        return link;
    }
    const messages = await s.doit(TipcCmd.LINK_GET, { link: { name } }, { EINVAL: `no link named "${name}"` });
    const link = linksFrom(messages)[0];
    if (!link) throw new FailureError(`the kernel sent no record for link "${name}"`);
    return link;
}

export async function getLinkProperty(s: TipcSession, name: string, property: LinkProperty): Promise<number> {
    const link = await getLink(s, name);
    const value = link.prop?.[PROP_ATTR[property]];
    if (value === undefined) {
        // iproute2 prints "kernel answers: Success" and exits 0 here.
        throw new FailureError(
            link.broadcast
                ? `"${name}" has no ${property}: ${BROADCAST_LINK_PROPERTIES} ("link get broadcast", "link get window link ${name}")`
                : `the kernel sent no ${property} for link "${name}"`,
        );
    }
    return value;
}

const WINDOW_RANGE = 'the kernel accepts 50..8191 since Linux 5.6 (16..8191 before)';

export async function setLinkProperty(
    s: TipcSession,
    name: string,
    property: LinkProperty,
    value: number,
): Promise<void> {
    try {
        await s.doit(
            TipcCmd.LINK_SET,
            { link: { name, prop: { [PROP_ATTR[property]]: value } } },
            {
                EOPNOTSUPP: `"${name}" has no ${property}: ${BROADCAST_LINK_PROPERTIES}`,
            },
        );
    } catch (err) {
        await explainEinval(
            s,
            name,
            err,
            property === 'window'
                ? `the kernel refused window ${value} for "${name}": ${WINDOW_RANGE}`
                : `the kernel refused ${property} ${value} for "${name}"`,
        );
    }
}

/** Broadcast-link modes (net/tipc/bcast.h BCLINK_MODE_*; not in the UAPI header). */
export const BroadcastMode = { BROADCAST: 1, REPLICAST: 2, AUTOSELECT: 4 } as const;
export type BroadcastModeName = keyof typeof BroadcastMode;

export interface BroadcastSetting {
    /** BROADCAST, REPLICAST, AUTOSELECT, or UNKNOWN for anything else (0 = neither is possible). */
    mode: BroadcastModeName | 'UNKNOWN';
    /** Present with AUTOSELECT. */
    ratio?: number;
}

export function broadcastSettingFrom(link: Link): BroadcastSetting {
    const raw = link.prop?.broadcast;
    const mode = (Object.keys(BroadcastMode) as BroadcastModeName[]).find((m) => BroadcastMode[m] === raw) ?? 'UNKNOWN';
    return mode === 'AUTOSELECT' ? { mode, ratio: link.prop?.broadcastRatio ?? 0 } : { mode };
}

export async function getBroadcastSetting(s: TipcSession): Promise<BroadcastSetting> {
    return broadcastSettingFrom(await getLink(s, BROADCAST_LINK));
}

export async function setBroadcastSetting(
    s: TipcSession,
    change: { mode?: BroadcastModeName; ratio?: number },
): Promise<void> {
    await s.doit(
        TipcCmd.LINK_SET,
        {
            link: {
                name: BROADCAST_LINK,
                prop: {
                    ...(change.mode !== undefined && { broadcast: BroadcastMode[change.mode] }),
                    ...(change.ratio !== undefined && { broadcastRatio: change.ratio }),
                },
            },
        },
        {
            ENOPROTOOPT: `not every node in the cluster supports ${change.mode ?? 'this mode'}`,
            EINVAL: 'the kernel refused the broadcast setting (mode must be BROADCAST, REPLICAST or AUTOSELECT, ratio 1..100)',
        },
    );
}

/**
 * LINK_GET dump for `link statistics show`. With `receivers`, the request
 * carries LINK{BROADCAST} so that Linux 5.8+ also lists the per-peer broadcast
 * receiver links (`broadcast-link:PEER`).
 */
export async function dumpLinkStatistics(s: TipcSession, receivers: boolean): Promise<Link[]> {
    return s.dumpEach(TipcCmd.LINK_GET, linkOf, receivers ? { link: { broadcast: true } } : undefined);
}

export async function resetLinkStatistics(s: TipcSession, name: string): Promise<void> {
    await s.doit(TipcCmd.LINK_RESET_STATS, { link: { name } }, { EINVAL: `no link named "${name}"` });
}
