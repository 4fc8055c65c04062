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
import { parseLinkName, type Link, type StatsCounter } from '../tipc/link.js';
import { linkStatisticsFrom } from '../render/link.js';
import type { NamespaceSnapshot, Peer, Scrape } from './collect.js';
import { ByteArena, Exposition } from './exposition.js';
import type { OwnNet } from '../tipc/node.js';

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
type ScrapedKey = Exclude<keyof typeof METRICS, 'scrapeErrors'>;
type Labels = Readonly<Record<string, string>>;

/**
 * The link counters the metrics read (through linkStatisticsFrom): the
 * collector decodes only these of a link's statistics nest
 * (src/tipc/link.ts listLinks), not its message-size profile and the rest.
 */
export const EXPORTED_LINK_COUNTERS: readonly StatsCounter[] = [
    'rxInfo',
    'txInfo',
    'rxFragments',
    'rxFragmented',
    'txFragments',
    'txFragmented',
    'rxBundles',
    'rxBundled',
    'txBundles',
    'txBundled',
    'retransmitted',
    'rxNacks',
    'txNacks',
    'duplicates',
    'linkCongs',
    'maxQueue',
    'avgQueue',
];

/**
 * One series as prom-client's registry reads it from a metric's get(). The
 * label set goes in `sharedLabels`, which the registry escapes and joins once
 * per object and caches by identity (node_modules/prom-client/lib/registry.js,
 * flattenSharedLabels); `labels` stays empty. A label set kept between
 * scrapes is therefore written by prom-client at the cost of a lookup: at 64
 * namespaces x 63 links (about 100,000 series) that is the difference between
 * about 300 ms and 70 ms of CPU per scrape (bench/prom-client.ts).
 */
interface Sample {
    value: number;
    labels: Labels;
    sharedLabels: Labels;
}

const NO_LABELS: Labels = Object.freeze({});

/**
 * The TIPC series are rebuilt from each scrape (a link, peer or bearer that is
 * gone leaves none). prom-client's set() and inc() hash the label set of every
 * call to find its series; these subclasses keep the scrape's series as a list
 * instead and hand it to the registry through get(), the method the registry
 * reads every metric by. The text format is still written by prom-client.
 */
class ScrapedGauge extends Gauge {
    series: Sample[] = [];
    /** This metric's place in a LabelSet's samples. */
    at = 0;
    override async get() {
        return { ...(await super.get()), values: this.series };
    }
}

class ScrapedCounter extends Counter {
    series: Sample[] = [];
    at = 0;
    override async get() {
        return { ...(await super.get()), values: this.series };
    }
}

type Scraped = ScrapedGauge | ScrapedCounter;

/** A label set and its series, one per metric that has one with these labels (at the metric's `at`). */
interface LabelSet {
    readonly labels: Labels;
    readonly samples: (Sample | undefined)[];
}

/**
 * Label sets by namespace and key, the same objects from one scrape to the
 * next: prom-client formats each label set once (see Sample), and a series'
 * sample is updated in place rather than made anew at each scrape. What a
 * scrape did not ask for is dropped at the one after: the cache holds what
 * exists, and a link that comes and goes costs its formatting again.
 */
class LabelSets<A> {
    private current = new Map<string, Map<string, LabelSet>>();
    private previous = new Map<string, Map<string, LabelSet>>();

    constructor(
        private readonly make: (netns: string, from: A) => Labels,
        /** Whether a label set found under the key still says what `from` says (else it is made anew). */
        private readonly stillHolds?: (labels: Labels, from: A) => boolean,
    ) {}

    /** Called once per scrape, before the first get(). */
    nextScrape(): void {
        const spare = this.previous;
        spare.clear();
        this.previous = this.current;
        this.current = spare;
    }

    get(netns: string, key: string, from: A): LabelSet {
        let here = this.current.get(netns);
        if (here === undefined) {
            here = new Map();
            this.current.set(netns, here);
        }
        let set = here.get(key) ?? this.previous.get(netns)?.get(key);
        if (set === undefined || (this.stillHolds !== undefined && !this.stillHolds(set.labels, from)))
            set = { labels: this.make(netns, from), samples: [] };
        here.set(key, set);
        return set;
    }
}

const linkLabels = (netns: string, link: Link): Labels => {
    const ends = link.broadcast ? { bearer: '', peer: '' } : parseLinkName(link.name);
    const labels: Record<LinkLabel, string> = { netns, link: link.name, peer: ends.peer, bearer: ends.bearer };
    return labels;
};

const peerName = (p: { identity: string; nodeId: string }): string => p.identity || p.nodeId;

const verdictLabels = (netns: string, row: CrossoverRow): Labels => {
    const labels: Record<(typeof VERDICT)[number], string> = {
        netns,
        peer: row.peer || row.peerNodeId,
        peer_node_id: row.peerNodeId,
        peer_address: row.peerAddress,
        verdict: row.verdict,
        local_netns: row.localNetns ?? '',
        net_id: String(row.netId),
        peer_hashes: hashList(row.peerHashes),
        local_hash: row.localHash ?? '',
    };
    return labels;
};

const hashList = (hashes: readonly string[]): string => (hashes.length === 1 ? hashes[0] : hashes.join(','));

/** A verdict's label set still holds when every label still has its value (checked without building a key). */
const sameVerdict = (l: Labels, row: CrossoverRow): boolean =>
    l.verdict === row.verdict &&
    l.peer === (row.peer || row.peerNodeId) &&
    l.peer_address === row.peerAddress &&
    l.local_netns === (row.localNetns ?? '') &&
    l.local_hash === (row.localHash ?? '') &&
    l.net_id === String(row.netId) &&
    l.peer_hashes === hashList(row.peerHashes);

export class ExporterMetrics {
    readonly registry = new Registry();
    private readonly m: Record<ScrapedKey, Scraped>;
    /** Counted here, not read from the kernel: a real prom-client counter. */
    private readonly scrapeErrors: Counter;
    /** Bearers seen enabled, per namespace: reported 0 once they are gone. */
    private readonly bearersSeen = new Map<string, Set<string>>();
    private readonly errorLabels = new Set<string>();
    private readonly noLabels: LabelSet = { labels: NO_LABELS, samples: [] };
    private readonly arena = new ByteArena();
    /** The last exposition made, held until the next one replaces it. */
    private latest: Exposition | undefined;
    private readonly namespaceSets = new LabelSets<undefined>((netns) => ({ netns }));
    private readonly nodeInfoSets = new LabelSets<OwnNet>((netns, own) => ({
        netns,
        identity: own.identity,
        net_id: String(own.netid),
    }));
    private readonly linkSets = new LabelSets<Link>(linkLabels);
    private readonly peerSets = new LabelSets<Peer>((netns, p) => ({
        netns,
        peer: peerName(p),
        peer_address: p.hash,
    }));
    private readonly bearerSets = new LabelSets<string>((netns, bearer) => ({ netns, bearer }));
    private readonly verdictSets = new LabelSets<CrossoverRow>(verdictLabels, sameVerdict);
    private readonly provenSets = new LabelSets<string>((netns, peer) => ({ netns, peer }));
    private readonly allSets = [
        this.namespaceSets,
        this.nodeInfoSets,
        this.linkSets,
        this.peerSets,
        this.bearerSets,
        this.verdictSets,
        this.provenSets,
    ];

    constructor() {
        // the event loop's delay sampled every 100 ms, not prom-client's default 10 ms: a timer
        // every 10 ms woke the exporter a hundred times a second between scrapes
        collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 100 });
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
            Object.entries(scraped).map(([k, spec], at) => {
                const metric =
                    spec.type === 'counter' ? new ScrapedCounter(config(spec)) : new ScrapedGauge(config(spec));
                metric.at = at;
                return [k, metric];
            }),
        ) as Record<ScrapedKey, Scraped>;
    }

    get contentType(): string {
        return this.registry.contentType;
    }

    /** Replaces the TIPC series with this scrape's (the error counters keep counting). */
    update(scrape: Scrape): void {
        // the lists are refilled: the registry reads them only while a scrape is written, never during an update
        for (const metric of Object.values(this.m)) metric.series.length = 0;
        for (const sets of this.allSets) sets.nextScrape();
        for (const ns of scrape.namespaces) this.namespace(ns);
        for (const row of scrape.verdicts) this.verdict(row);
        this.set(this.m.totalDuration, this.noLabels, scrape.durationMs / 1000);
        this.set(this.m.moduleLoaded, this.noLabels, scrape.moduleLoaded ? 1 : 0);
        this.set(this.m.verdictProblem, this.noLabels, scrape.verdictProblem === undefined ? 1 : 0);
        // namespaces no longer there take their error counter with them (bounded memory under churn)
        const present = new Set(scrape.namespaces.map((n) => n.label));
        for (const label of this.errorLabels) {
            if (present.has(label)) continue;
            this.scrapeErrors.remove({ netns: label });
            this.errorLabels.delete(label);
            this.bearersSeen.delete(label);
        }
    }

    /**
     * The exposition as prom-client writes it, metric by metric
     * (Registry.getSingleMetricAsString), separated as Registry.metrics()
     * separates them, and encoded once into a buffer reused from scrape to
     * scrape (src/exporter/exposition.ts): the same bytes, without joining
     * about 10 MB into one string and encoding that anew for every response.
     * The previous scrape's exposition is let go of here.
     */
    async exposition(): Promise<Exposition> {
        const texts = await Promise.all(
            this.registry.getMetricsAsArray().map((m) => this.registry.getSingleMetricAsString(m.name)),
        );
        const made = Exposition.encode(
            texts.flatMap((text, i) => [text, i === texts.length - 1 ? '\n' : '\n\n']),
            this.arena,
        );
        this.latest?.release();
        this.latest = made;
        return made;
    }

    private set(metric: Scraped, set: LabelSet, value: number): void {
        let sample = set.samples[metric.at];
        if (sample === undefined) {
            sample = { value, labels: NO_LABELS, sharedLabels: set.labels };
            set.samples[metric.at] = sample;
        } else sample.value = value;
        metric.series.push(sample);
    }

    private namespace(ns: NamespaceSnapshot): void {
        const netns = ns.label;
        const m = this.m;
        const nsLabels = this.namespaceSets.get(netns, '', undefined);
        this.set(m.scrapeDuration, nsLabels, ns.durationMs / 1000);
        this.set(m.scrapeSuccess, nsLabels, ns.complete ? 1 : 0);
        this.scrapeErrors.inc({ netns }, ns.complete ? 0 : 1);
        this.errorLabels.add(netns);
        if (ns.own)
            this.set(m.nodeInfo, this.nodeInfoSets.get(netns, `${ns.own.identity}\0${ns.own.netid}`, ns.own), 1);
        for (const link of ns.links ?? []) this.link(netns, link);
        for (const p of ns.peers ?? [])
            this.set(m.nodeUp, this.peerSets.get(netns, `${peerName(p)}\0${p.hash}`, p), p.up ? 1 : 0);
        if (ns.bearers) {
            const seen = this.bearersSeen.get(netns) ?? new Set<string>();
            this.bearersSeen.set(netns, seen);
            const now = new Set(ns.bearers.map((b) => b.name));
            for (const b of ns.bearers) {
                seen.add(b.name);
                const labels = this.bearerSets.get(netns, b.name, b.name);
                this.set(m.bearerEnabled, labels, 1);
                if (b.prop.prio !== undefined) this.set(m.bearerPriority, labels, b.prop.prio);
            }
            for (const name of seen)
                if (!now.has(name)) this.set(m.bearerEnabled, this.bearerSets.get(netns, name, name), 0);
        }
        if (ns.publications !== undefined) this.set(m.publications, nsLabels, ns.publications);
        if (ns.sockets !== undefined) this.set(m.sockets, nsLabels, ns.sockets);
    }

    private link(netns: string, link: Link): void {
        const m = this.m;
        const labels = this.linkSets.get(netns, link.name, link);
        const st = linkStatisticsFrom(link);
        this.set(m.linkUp, labels, link.up ? 1 : 0);
        this.set(m.linkActive, labels, link.active ? 1 : 0);
        this.set(m.rxPackets, labels, st.rx.packets);
        this.set(m.txPackets, labels, st.tx.packets);
        this.set(m.rxFragments, labels, st.rx.fragments);
        this.set(m.rxFragmented, labels, st.rx.fragmented);
        this.set(m.txFragments, labels, st.tx.fragments);
        this.set(m.txFragmented, labels, st.tx.fragmented);
        this.set(m.rxBundles, labels, st.rx.bundles);
        this.set(m.rxBundled, labels, st.rx.bundled);
        this.set(m.txBundles, labels, st.tx.bundles);
        this.set(m.txBundled, labels, st.tx.bundled);
        this.set(m.retransmissions, labels, st.txStates.retrans);
        this.set(m.rxNaks, labels, st.rxStates.naks);
        this.set(m.txNaks, labels, st.txStates.naks);
        this.set(m.duplicates, labels, st.rxStates.dups);
        this.set(m.congestion, labels, st.congestion);
        this.set(m.queueMax, labels, st.sendQueueMax);
        this.set(m.queueAvg, labels, st.sendQueueAvg);
        if (link.prop?.win !== undefined) this.set(m.window, labels, link.prop.win);
        if (!link.broadcast) {
            if (link.mtu !== undefined) this.set(m.mtu, labels, link.mtu);
            if (link.prop?.prio !== undefined) this.set(m.priority, labels, link.prop.prio);
            if (link.prop?.tol !== undefined) this.set(m.tolerance, labels, link.prop.tol / 1000);
        }
    }

    private verdict(row: CrossoverRow): void {
        this.set(this.m.crossover, this.verdictSets.get(row.netns, row.peerNodeId, row), 1);
        if (row.lastProven !== null) {
            const peer = row.peer || row.peerNodeId;
            this.set(
                this.m.crossoverProven,
                this.provenSets.get(row.netns, peer, peer),
                Date.parse(row.lastProven) / 1000,
            );
        }
    }
}
