/**
 * `--json=iproute2`: the JSON iproute2's `tipc -j` prints, key for key, so
 * that scripts written against `tipc -j` work unchanged. Each shape below
 * turns tipcx's own records (the `-j` schema, docs/json.md) into what
 * iproute2's tipc/*.c prints with its json_print helpers; the writer prints
 * them the way lib/json_writer.c does, compact or (`-p`) indented.
 *
 * Where iproute2's own output is broken this prints valid JSON instead
 * (docs/json.md, "--json=iproute2"): `link monitor get threshold` (iproute2:
 * `["threshold":32]`) and `link get broadcast` in mode 0 (iproute2 crashes).
 */
import type { LinkStatistics } from './link.js';
import type { MonitorListRecord, MonitorSummaryRecord, ThresholdRecord } from './monitor.js';

export type Iproute2Value = string | number | readonly Iproute2Value[] | { readonly [key: string]: Iproute2Value };

// ---------------------------------------------------------------- shapes

/** `link list`: one object keyed by link name, "up" or "down" (`[{}]` when there is none). */
export function linkListShape(records: readonly { name: string; up: boolean }[]): Iproute2Value[] {
    return [Object.fromEntries(records.map((r) => [r.name, r.up ? 'up' : 'down']))];
}

/**
 * `link get broadcast`: `method`; AUTOSELECT closes its object and puts the
 * ratio in a second one, as iproute2 does. Mode 0 (iproute2 crashes): UNKNOWN.
 */
export function broadcastShape(records: readonly { mode: string; ratio?: number }[]): Iproute2Value[] {
    return records.flatMap((r): Iproute2Value[] =>
        r.mode === 'AUTOSELECT' ? [{ method: r.mode }, { ratio: r.ratio ?? 0 }] : [{ method: r.mode }],
    );
}

/** `link statistics show`: keys with spaces, each group repeating its first key inside. */
export function linkStatisticsShape(records: readonly LinkStatistics[]): Iproute2Value[] {
    return records.map((r) => {
        const counters = (first: string, c: LinkStatistics['rx']) => ({
            [first]: c.packets,
            fragments: c.fragments,
            fragmented: c.fragmented,
            bundles: c.bundles,
            bundled: c.bundled,
        });
        const tail = { 'congestion link': r.congestion, 'send queue max': r.sendQueueMax, avg: r.sendQueueAvg };
        if (r.broadcast) {
            return {
                link: r.link,
                window: r.window,
                'rx packets': counters('rx packets', r.rx),
                'tx packets': counters('tx packets', r.tx),
                'rx naks': { 'rx naks': r.rxStates.naks, defs: r.rxStates.defs, dups: r.rxStates.dups },
                'tx naks': { 'tx naks': r.txStates.naks, acks: r.txStates.acks, retrans: r.txStates.retrans },
                ...tail,
            };
        }
        const p = r.profile.percent;
        return {
            link: r.link,
            state: [r.state],
            mtu: r.mtu,
            priority: r.priority,
            tolerance: r.tolerance,
            window: r.window,
            'rx packets': counters('rx packets', r.rx),
            'tx packets': counters('tx packets', r.tx),
            'tx profile sample': r.profile.sample,
            'packets average': r.profile.average,
            '0-64': p.upTo64,
            '-256': p.upTo256,
            '-1024': p.upTo1024,
            '-4096': p.upTo4096,
            '-16384': p.upTo16384,
            '-32768': p.upTo32768,
            '-66000': p.upTo66000,
            'rx states': {
                'rx states': r.rxStates.states,
                probes: r.rxStates.probes,
                naks: r.rxStates.naks,
                defs: r.rxStates.defs,
                dups: r.rxStates.dups,
            },
            'tx states': {
                'tx states': r.txStates.states,
                probes: r.txStates.probes,
                naks: r.txStates.naks,
                acks: r.txStates.acks,
                retrans: r.txStates.retrans,
            },
            ...tail,
        };
    });
}

/** `link monitor get threshold`: iproute2 prints `["threshold":32]`, which is no JSON; this is `[{"threshold":32}]`. */
export function thresholdShape(records: readonly ThresholdRecord[]): Iproute2Value[] {
    return records.map((r) => ({ threshold: r.threshold }));
}

/** `link monitor summary`: snake_case keys. */
export function monitorSummaryShape(records: readonly MonitorSummaryRecord[]): Iproute2Value[] {
    return records.map((r) => ({
        bearer: r.bearer,
        table_generation: r.tableGeneration,
        cluster_size: r.clusterSize,
        algorithm: r.algorithm,
    }));
}

/**
 * `link monitor list`: per bearer an object with `bearer` and, under the
 * bearer's name as key, its peers; the applied/non-applied lists only for
 * peers with applied members, as iproute2 prints them.
 */
export function monitorListShape(records: readonly MonitorListRecord[]): Iproute2Value[] {
    return records.map((b) => ({
        bearer: b.bearer,
        [b.bearer]: b.peers.map((p) => ({
            node: p.node,
            status: p.status,
            monitored: p.monitored,
            generation: p.generation,
            ...(p.appliedNodeStatus.length === 0
                ? {}
                : {
                      applied_node_status: p.appliedNodeStatus,
                      '[non_applied_node:status]': p.nonAppliedNodes.map(
                          (m) => `${m.address.toString(16)}:${m.up ? 'U' : 'D'}`,
                      ),
                  }),
        })),
    }));
}

// ---------------------------------------------------------------- the writer

/**
 * The text lib/json_writer.c writes for `value`: compact without spaces, or
 * (pretty) each key on its own line indented 4 spaces per depth, `": "` after
 * keys, arrays as `[ a,b ]` on the line they open, `},{` between objects.
 */
export function formatIproute2Json(value: Iproute2Value, pretty: boolean): string {
    let out = '';
    const eol = (depth: number): void => {
        if (pretty) out += `\n${'    '.repeat(depth)}`;
    };
    const write = (v: Iproute2Value, depth: number): void => {
        if (typeof v === 'number') out += String(v);
        else if (typeof v === 'string') out += quote(v);
        else if (Array.isArray(v)) {
            const items = v as readonly Iproute2Value[];
            out += pretty ? '[ ' : '[';
            items.forEach((item, i) => {
                if (i > 0) out += ',';
                write(item, depth + 1);
            });
            if (pretty && items.length > 0) out += ' ';
            out += ']';
        } else {
            const entries = Object.entries(v as { readonly [key: string]: Iproute2Value });
            out += '{';
            entries.forEach(([key, item], i) => {
                if (i > 0) out += ',';
                eol(depth + 1);
                out += `${quote(key)}:${pretty ? ' ' : ''}`;
                write(item, depth + 1);
            });
            if (entries.length > 0) eol(depth);
            out += '}';
        }
    };
    write(value, 0);
    return `${out}\n`;
}

const ESCAPES: Readonly<Record<string, string>> = {
    '\t': '\\t',
    '\n': '\\n',
    '\r': '\\r',
    '\f': '\\f',
    '\b': '\\b',
    '\\': '\\\\',
    '"': '\\"',
};

function quote(text: string): string {
    let out = '"';
    for (const ch of text) {
        const code = ch.charCodeAt(0);
        out += ESCAPES[ch] ?? (code < 0x20 ? `\\u${code.toString(16).padStart(4, '0')}` : ch);
    }
    return `${out}"`;
}
