/**
 * The metrics of `tipcx exporter`, in the Prometheus text format written by
 * prom-client. Each scrape replaces every TIPC series with what was read
 * (a link, peer or bearer that is gone leaves no stale series); counters are
 * the kernel's own values, so `link statistics reset` (the values drop to 0)
 * is a counter reset to Prometheus, which rate() and increase() handle.
 * docs/metrics.md documents every name below (test/unit/exporter-metrics.test.ts
 * checks that it does).
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { CrossoverRow } from '../tipc/crossover.js';
import { parseLinkName } from '../tipc/link.js';
import { linkStatisticsFrom } from '../render/link.js';
import type { NamespaceSnapshot, Scrape } from './collect.js';

const LINK = ['netns', 'link', 'peer', 'bearer'] as const;
const PEER = ['netns', 'peer', 'peer_address'] as const;
const BEARER = ['netns', 'bearer'] as const;
const NETNS = ['netns'] as const;
const VERDICT = [
    'netns',
    'peer',
    'peer_node_id',
    'peer_address',
    'verdict',
    'local_netns',
    'net_id',
    'peer_hashes',
    'local_hash',
] as const;

type LinkLabel = (typeof LINK)[number];

/** Every metric the exporter defines: name, type, help and labels (docs/metrics.md lists the same). */
export const METRICS = {
    linkUp: { name: 'tipc_link_up', type: 'gauge', labels: LINK, help: 'Whether the link is up (1) or not (0).' },
    linkActive: {
        name: 'tipc_link_active',
        type: 'gauge',
        labels: LINK,
        help: 'Whether the link is active (1) or standby/down (0).',
    },
    rxPackets: {
        name: 'tipc_link_rx_packets_total',
        type: 'counter',
        labels: LINK,
        help: 'Packets received, as "link statistics show" counts them (unicast: the 16-bit sequence number, which wraps).',
    },
    txPackets: {
        name: 'tipc_link_tx_packets_total',
        type: 'counter',
        labels: LINK,
        help: 'Packets sent, as "link statistics show" counts them (unicast: the 16-bit sequence number, which wraps).',
    },
    rxFragments: {
        name: 'tipc_link_rx_fragments_total',
        type: 'counter',
        labels: LINK,
        help: 'Fragments received.',
    },
    rxFragmented: {
        name: 'tipc_link_rx_fragmented_messages_total',
        type: 'counter',
        labels: LINK,
        help: 'Messages reassembled from fragments.',
    },
    txFragments: { name: 'tipc_link_tx_fragments_total', type: 'counter', labels: LINK, help: 'Fragments sent.' },
    txFragmented: {
        name: 'tipc_link_tx_fragmented_messages_total',
        type: 'counter',
        labels: LINK,
        help: 'Messages sent in fragments.',
    },
    rxBundles: { name: 'tipc_link_rx_bundles_total', type: 'counter', labels: LINK, help: 'Bundles received.' },
    rxBundled: {
        name: 'tipc_link_rx_bundled_messages_total',
        type: 'counter',
        labels: LINK,
        help: 'Messages received in bundles.',
    },
    txBundles: { name: 'tipc_link_tx_bundles_total', type: 'counter', labels: LINK, help: 'Bundles sent.' },
    txBundled: {
        name: 'tipc_link_tx_bundled_messages_total',
        type: 'counter',
        labels: LINK,
        help: 'Messages sent in bundles.',
    },
    retransmissions: {
        name: 'tipc_link_retransmissions_total',
        type: 'counter',
        labels: LINK,
        help: 'Packets retransmitted.',
    },
    rxNaks: {
        name: 'tipc_link_rx_naks_total',
        type: 'counter',
        labels: LINK,
        help: 'Negative acknowledgements received.',
    },
    txNaks: { name: 'tipc_link_tx_naks_total', type: 'counter', labels: LINK, help: 'Negative acknowledgements sent.' },
    duplicates: {
        name: 'tipc_link_duplicates_total',
        type: 'counter',
        labels: LINK,
        help: 'Duplicate packets received.',
    },
    congestion: {
        name: 'tipc_link_congestion_events_total',
        type: 'counter',
        labels: LINK,
        help: 'Times the link was congested.',
    },
    queueMax: {
        name: 'tipc_link_send_queue_max_packets',
        type: 'gauge',
        labels: LINK,
        help: 'Longest send queue seen since the counters were last reset, in packets.',
    },
    queueAvg: {
        name: 'tipc_link_send_queue_average_packets',
        type: 'gauge',
        labels: LINK,
        help: 'Average send queue length since the counters were last reset, in packets.',
    },
    mtu: { name: 'tipc_link_mtu_bytes', type: 'gauge', labels: LINK, help: 'Link MTU in bytes (unicast links).' },
    priority: { name: 'tipc_link_priority', type: 'gauge', labels: LINK, help: 'Link priority, 0..31.' },
    tolerance: {
        name: 'tipc_link_tolerance_seconds',
        type: 'gauge',
        labels: LINK,
        help: 'Link tolerance: how long the link may stay silent before it is declared down, in seconds.',
    },
    window: { name: 'tipc_link_window_packets', type: 'gauge', labels: LINK, help: 'Link window, in packets.' },
    nodeUp: {
        name: 'tipc_node_up',
        type: 'gauge',
        labels: PEER,
        help: 'Whether the peer node is up (1: a link to it is up) or not (0).',
    },
    crossover: {
        name: 'tipc_crossover_verdict_info',
        type: 'gauge',
        labels: VERDICT,
        help: 'Always 1: the netns crossover verdict for a peer, with its evidence as labels (as "tipcx crossover" shows it).',
    },
    crossoverProven: {
        name: 'tipc_crossover_last_proven_timestamp_seconds',
        type: 'gauge',
        labels: ['netns', 'peer'] as const,
        help: "When the peer's discovery frame last proved a crossover, in seconds since the epoch.",
    },
    bearerEnabled: {
        name: 'tipc_bearer_enabled',
        type: 'gauge',
        labels: BEARER,
        help: 'Whether the bearer is enabled (1), or was enabled earlier while the exporter ran and is not now (0).',
    },
    bearerPriority: {
        name: 'tipc_bearer_priority',
        type: 'gauge',
        labels: BEARER,
        help: 'Bearer priority, 0..31 (the default for its links).',
    },
    publications: {
        name: 'tipc_name_table_publications',
        type: 'gauge',
        labels: NETNS,
        help: 'Service bindings in the cluster-wide name table, as this namespace sees it.',
    },
    sockets: { name: 'tipc_sockets', type: 'gauge', labels: NETNS, help: 'TIPC sockets open in the namespace.' },
    nodeInfo: {
        name: 'tipc_node_info',
        type: 'gauge',
        labels: ['netns', 'identity', 'net_id'] as const,
        help: "Always 1: the namespace's own TIPC identity and network id.",
    },
    scrapeDuration: {
        name: 'tipc_exporter_scrape_duration_seconds',
        type: 'gauge',
        labels: NETNS,
        help: 'How long reading the namespace took at this scrape, in seconds.',
    },
    scrapeSuccess: {
        name: 'tipc_exporter_scrape_success',
        type: 'gauge',
        labels: NETNS,
        help: 'Whether every part of the namespace was read at this scrape (1) or some failed or ran out of time (0).',
    },
    scrapeErrors: {
        name: 'tipc_exporter_scrape_errors_total',
        type: 'counter',
        labels: NETNS,
        help: 'Scrapes at which reading the namespace failed or ran out of time.',
    },
    totalDuration: {
        name: 'tipc_exporter_collect_duration_seconds',
        type: 'gauge',
        labels: [] as const,
        help: 'How long reading every namespace took at this scrape, in seconds.',
    },
    moduleLoaded: {
        name: 'tipc_exporter_module_loaded',
        type: 'gauge',
        labels: [] as const,
        help: 'Whether the tipc kernel module is loaded (1) or not (0).',
    },
    verdictProblem: {
        name: 'tipc_exporter_crossover_proofs_available',
        type: 'gauge',
        labels: [] as const,
        help: 'Whether discovery frames are captured for crossover proofs (1) or not (0: not root, or the capture failed).',
    },
} as const;

type Spec = (typeof METRICS)[keyof typeof METRICS];
type Labels = Record<string, string>;
type Series = { labels: Labels; value: number }[];

/*
 * The TIPC series are rebuilt from each scrape: tens of thousands at 64
 * namespaces of 63 links. prom-client's set() and inc() hash the label set of
 * every call to find its series (most of a scrape's time, bench/exporter.ts);
 * these subclasses keep the scrape's series as a list instead and hand it to
 * the registry through get(), the method the registry reads every metric by.
 * The text format is still written by prom-client's registry.
 */
class ScrapedGauge extends Gauge {
    series: Series = [];
    override async get() {
        return { ...(await super.get()), values: this.series };
    }
}

class ScrapedCounter extends Counter {
    series: Series = [];
    override async get() {
        return { ...(await super.get()), values: this.series };
    }
}

type Scraped = ScrapedGauge | ScrapedCounter;

export class ExporterMetrics {
    readonly registry = new Registry();
    private readonly m: Record<Exclude<keyof typeof METRICS, 'scrapeErrors'>, Scraped>;
    /** Counted here, not read from the kernel: a real prom-client counter. */
    private readonly scrapeErrors: Counter;
    /** Bearers seen enabled, per namespace: reported 0 once they are gone. */
    private readonly bearersSeen = new Map<string, Set<string>>();
    private readonly errorLabels = new Set<string>();

    constructor() {
        collectDefaultMetrics({ register: this.registry });
        // prom-client's nodejs_active_{handles,requests,resources}_total are gauges: promtool
        // (and the naming conventions) reserve _total for counters, so they are left out
        for (const metric of this.registry.getMetricsAsArray()) {
            const { name, type } = metric as unknown as { name: string; type: string };
            if (name.endsWith('_total') && type !== 'counter') this.registry.removeSingleMetric(name);
        }
        const config = (spec: Spec) => ({
            name: spec.name,
            help: spec.help,
            labelNames: [...spec.labels],
            registers: [this.registry],
        });
        const { scrapeErrors, ...scraped } = METRICS;
        this.scrapeErrors = new Counter(config(scrapeErrors));
        this.m = Object.fromEntries(
            Object.entries(scraped).map(([k, spec]) => [
                k,
                spec.type === 'counter' ? new ScrapedCounter(config(spec)) : new ScrapedGauge(config(spec)),
            ]),
        ) as Record<Exclude<keyof typeof METRICS, 'scrapeErrors'>, Scraped>;
    }

    get contentType(): string {
        return this.registry.contentType;
    }

    /** Replaces the TIPC series with this scrape's (the error counters keep counting). */
    update(scrape: Scrape): void {
        for (const metric of Object.values(this.m)) metric.series = [];
        for (const ns of scrape.namespaces) this.namespace(ns);
        for (const row of scrape.verdicts) this.verdict(row);
        this.set('totalDuration', {}, scrape.durationMs / 1000);
        this.set('moduleLoaded', {}, scrape.moduleLoaded ? 1 : 0);
        this.set('verdictProblem', {}, scrape.verdictProblem === undefined ? 1 : 0);
        // namespaces no longer there take their error counter with them (bounded memory under churn)
        const present = new Set(scrape.namespaces.map((n) => n.label));
        for (const label of this.errorLabels) {
            if (present.has(label)) continue;
            this.scrapeErrors.remove({ netns: label });
            this.errorLabels.delete(label);
            this.bearersSeen.delete(label);
        }
    }

    render(): Promise<string> {
        return this.registry.metrics();
    }

    private set(key: Exclude<keyof typeof METRICS, 'scrapeErrors'>, labels: Labels, value: number): void {
        this.m[key].series.push({ labels, value });
    }

    private namespace(ns: NamespaceSnapshot): void {
        const netns = ns.label;
        this.set('scrapeDuration', { netns }, ns.durationMs / 1000);
        this.set('scrapeSuccess', { netns }, ns.complete ? 1 : 0);
        this.scrapeErrors.inc({ netns }, ns.complete ? 0 : 1);
        this.errorLabels.add(netns);
        if (ns.own) this.set('nodeInfo', { netns, identity: ns.own.identity, net_id: String(ns.own.netid) }, 1);
        for (const link of ns.links ?? []) {
            const ends = link.broadcast ? { bearer: '', peer: '' } : parseLinkName(link.name);
            const labels: Record<LinkLabel, string> = { netns, link: link.name, peer: ends.peer, bearer: ends.bearer };
            const st = linkStatisticsFrom(link);
            this.set('linkUp', labels, link.up ? 1 : 0);
            this.set('linkActive', labels, link.active ? 1 : 0);
            this.set('rxPackets', labels, st.rx.packets);
            this.set('txPackets', labels, st.tx.packets);
            this.set('rxFragments', labels, st.rx.fragments);
            this.set('rxFragmented', labels, st.rx.fragmented);
            this.set('txFragments', labels, st.tx.fragments);
            this.set('txFragmented', labels, st.tx.fragmented);
            this.set('rxBundles', labels, st.rx.bundles);
            this.set('rxBundled', labels, st.rx.bundled);
            this.set('txBundles', labels, st.tx.bundles);
            this.set('txBundled', labels, st.tx.bundled);
            this.set('retransmissions', labels, st.txStates.retrans);
            this.set('rxNaks', labels, st.rxStates.naks);
            this.set('txNaks', labels, st.txStates.naks);
            this.set('duplicates', labels, st.rxStates.dups);
            this.set('congestion', labels, st.congestion);
            this.set('queueMax', labels, st.sendQueueMax);
            this.set('queueAvg', labels, st.sendQueueAvg);
            if (link.prop?.win !== undefined) this.set('window', labels, link.prop.win);
            if (!link.broadcast) {
                if (link.mtu !== undefined) this.set('mtu', labels, link.mtu);
                if (link.prop?.prio !== undefined) this.set('priority', labels, link.prop.prio);
                if (link.prop?.tol !== undefined) this.set('tolerance', labels, link.prop.tol / 1000);
            }
        }
        for (const p of ns.peers ?? []) {
            this.set('nodeUp', { netns, peer: p.identity || p.nodeId, peer_address: p.hash }, p.up ? 1 : 0);
        }
        if (ns.bearers) {
            const seen = this.bearersSeen.get(netns) ?? new Set<string>();
            this.bearersSeen.set(netns, seen);
            const now = new Set(ns.bearers.map((b) => b.name));
            for (const b of ns.bearers) {
                seen.add(b.name);
                this.set('bearerEnabled', { netns, bearer: b.name }, 1);
                if (b.prop.prio !== undefined) this.set('bearerPriority', { netns, bearer: b.name }, b.prop.prio);
            }
            for (const name of seen) if (!now.has(name)) this.set('bearerEnabled', { netns, bearer: name }, 0);
        }
        if (ns.publications !== undefined) this.set('publications', { netns }, ns.publications);
        if (ns.sockets !== undefined) this.set('sockets', { netns }, ns.sockets);
    }

    private verdict(row: CrossoverRow): void {
        this.set(
            'crossover',
            {
                netns: row.netns,
                peer: row.peer || row.peerNodeId,
                peer_node_id: row.peerNodeId,
                peer_address: row.peerAddress,
                verdict: row.verdict,
                local_netns: row.localNetns ?? '',
                net_id: String(row.netId),
                peer_hashes: row.peerHashes.join(','),
                local_hash: row.localHash ?? '',
            },
            1,
        );
        if (row.lastProven !== null)
            this.set(
                'crossoverProven',
                { netns: row.netns, peer: row.peer || row.peerNodeId },
                Date.parse(row.lastProven) / 1000,
            );
    }
}
