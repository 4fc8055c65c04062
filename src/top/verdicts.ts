// Crossover verdicts for `tipcx top`. The verdict itself is decided in
// src/tipc/crossover.ts; top only needs "does traffic from this namespace to
// this peer take the netns crossover path?", so it talks to a small interface
// and shows '?' until a verdict is known.
import { groupBy } from '../collections.js';

/** What top shows in its verdict column. */
export type Verdict = 'crossover' | 'link' | 'unknown';

export interface PeerVerdict {
    readonly verdict: Verdict;
    /** Short reason shown in the detail pane, e.g. "identity and proof match ns2". */
    readonly reason?: string;
    /** The peer's 32-bit node address (hash), when the source knows it. */
    readonly address?: number;
}

/**
 * Verdicts for the peers of one namespace, keyed by peer identity as link
 * names spell it. Not by the link's TIPC_NLA_LINK_DEST: despite its name the
 * kernel puts this node's own cluster address there, the same for every link.
 */
export interface VerdictSource {
    /** undefined namespace = the namespace tipcx runs in. */
    verdicts(namespace: string | undefined, signal?: AbortSignal): Promise<ReadonlyMap<string, PeerVerdict>>;
}

/** The column text; never colour alone. */
export function verdictLabel(v: Verdict | undefined): string {
    switch (v) {
        case 'crossover':
            return 'xover';
        case 'link':
            return 'link';
        default:
            return '?';
    }
}

/** The sentence every crossover row carries: why its counters do not move. */
export const CROSSOVER_NOTE =
    'crossover: data to this peer bypasses the link (kernel netns shortcut), so its counters stay flat';

/** The fields of a crossover row that top reads. */
interface CrossoverRowView {
    netns: string;
    peer: string;
    peerAddress: string;
    verdict: string;
    reason: string;
}

/** The part of src/tipc/crossover.ts that top uses (an interface, so tests can pass rows of their own). */
export interface CrossoverModule {
    gatherCrossover(o: {
        rows: readonly { netns: string; ref?: { name: string } }[];
        all: readonly { netns: string; ref?: { name: string } }[];
        waitMs: number;
        signal?: AbortSignal;
    }): Promise<readonly CrossoverRowView[]>;
    CURRENT_NETNS: string;
}

/**
 * The crossover verdict source. A lazy import with a literal specifier: the
 * module graph behind it (netlink, packet capture) stays off top's start-up
 * path, and esbuild still follows it into the bundle (src/cli/bundle.ts).
 */
export async function loadVerdictSource(listNamespaces: () => string[]): Promise<VerdictSource> {
    return crossoverVerdicts(await import('../tipc/crossover.js'), listNamespaces);
}

/**
 * Verdicts from gatherCrossover without waiting for discovery frames (top
 * must not stall): a peer whose identity and net id belong to a namespace of
 * this host is reported as crossover (an identity match, the evidence table of docs/crossover.md)
 * unless the proofs already say otherwise. One gather serves every namespace
 * of a sampling round.
 */
export function crossoverVerdicts(
    mod: CrossoverModule,
    listNamespaces: () => string[],
    maxAgeMs = 2000,
): VerdictSource {
    // The rows by namespace, grouped once per gather: each namespace asks for its own, and every
    // namespace's rows are every other namespace's peers (64 namespaces: 4,000 rows, asked 64 times).
    let cache: { at: number; rows: Promise<ReadonlyMap<string, readonly CrossoverRowView[]>> } | undefined;
    const gather = () => {
        if (!cache || Date.now() - cache.at > maxAgeMs) {
            const named = listNamespaces().map((name) => ({ netns: name, ref: { name } }));
            const all = [{ netns: mod.CURRENT_NETNS }, ...named];
            cache = {
                at: Date.now(),
                rows: mod
                    .gatherCrossover({ rows: all, all, waitMs: 0 })
                    .then((rows) => groupBy(rows, (row) => row.netns)),
            };
        }
        return cache.rows;
    };
    return {
        async verdicts(namespace) {
            const label = namespace ?? mod.CURRENT_NETNS;
            const out = new Map<string, PeerVerdict>();
            for (const row of (await gather()).get(label) ?? []) {
                if (row.peer === '') continue;
                const address = Number.parseInt(row.peerAddress, 16);
                out.set(row.peer, {
                    verdict: mapVerdict(row.verdict),
                    reason: `${row.verdict}: ${row.reason}`,
                    ...(Number.isNaN(address) ? {} : { address }),
                });
            }
            return out;
        },
    };
}

function mapVerdict(v: string): Verdict {
    switch (v) {
        case 'crossover':
        case 'local-unproven':
            return 'crossover';
        case 'remote':
        case 'mismatch':
        case 'unsupported':
            return 'link';
        default:
            return 'unknown';
    }
}

/**
 * A source that loads another in the background: the crossover module pulls
 * in a large module graph (slow on a busy machine or a 9p root), and top must
 * show links at once. Until it is ready, verdicts are unknown ('?'). A load
 * that fails is passed to onError (top logs it) and verdicts stay unknown.
 */
export function backgroundVerdictSource(
    load: () => Promise<VerdictSource>,
    onReady?: (source: VerdictSource) => void,
    onError?: (err: unknown) => void,
): VerdictSource {
    let ready: VerdictSource | undefined;
    load().then(
        (source) => {
            ready = source;
            onReady?.(source);
        },
        (err: unknown) => onError?.(err),
    );
    return {
        async verdicts(namespace, signal) {
            return ready ? ready.verdicts(namespace, signal) : new Map();
        },
    };
}
