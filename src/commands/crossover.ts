// `tipcx crossover`: one row per (namespace, peer) with the netns crossover verdict and its evidence.
import { hostNamespaces, type NamespaceTarget } from '../cli/all-netns.js';
import { parseDecimal } from '../cli/validators.js';
import { commandResult, defineCommand, type CommandContext } from '../cli/registry.js';
import { renderTable } from '../render/table.js';
import { gatherCrossover, type CrossoverRow, type NamespaceRef } from '../tipc/crossover.js';

export const DEFAULT_WAIT_SECONDS = 65;
export const WAIT_RANGE = { min: 0, max: 3600 };

/** The namespaces a capture-based command looks at: -n, --all-netns, or the current one. */
export function selectedNamespaces(ctx: CommandContext, all: readonly NamespaceTarget[]): NamespaceTarget[] {
    if (ctx.netns !== undefined) return [all.find((t) => t.label === ctx.netns) ?? { label: ctx.netns, ref: { name: ctx.netns }, name: ctx.netns }];
    if (ctx.allNetns) return [...all];
    return [all.find((t) => t.ref === undefined)!];
}

const time = (iso: string | null): string => (iso ? iso.slice(11, 19) : '-');

function probeText(r: CrossoverRow): string {
    const p = r.probe;
    if (!p) return '';
    if (p.txDelta === null) return p.error ? `error: ${p.error}` : 'no link';
    return `tx +${p.txDelta}/${p.sent} ${p.bypassed ? 'flat' : 'moved'}`;
}

export function crossoverText(rows: readonly CrossoverRow[], color: boolean): string {
    if (rows.length === 0) return '';
    const probe = rows.some((r) => r.probe);
    const head = ['Namespace', 'Peer', 'Verdict', 'Local ns', 'Net id', 'Peer hash', 'Local hash', 'Proven', ...(probe ? ['Probe'] : []), 'Why'];
    const body = rows.map((r) => [
        r.netns, r.peer || r.peerNodeId, r.verdict, r.localNetns ?? '-', r.netId, r.peerHashes.join(',') || '-', r.localHash ?? '-',
        time(r.lastProven), ...(probe ? [probeText(r)] : []), r.warning ? `${r.reason}; WARNING: ${r.warning}` : r.reason,
    ]);
    return renderTable({ head, rows: body, color, borderless: true });
}

const asRef = (t: NamespaceTarget): NamespaceRef => ({ netns: t.label, ...(t.ref ? { ref: t.ref } : {}) });

export default Object.assign(defineCommand({
    async run(ctx) {
        const wait = ctx.opts.wait === undefined ? DEFAULT_WAIT_SECONDS : parseDecimal(String(ctx.opts.wait), 'wait', WAIT_RANGE);
        const devices = typeof ctx.opts.dev === 'string' ? [ctx.opts.dev] : undefined;
        // listed again at every look while waiting: namespaces made meanwhile count
        const all = (): NamespaceRef[] => hostNamespaces().map(asRef);
        const result = await gatherCrossover({
            // --all-netns: every namespace, also those created during the wait; else the one chosen now
            rows: ctx.allNetns && ctx.netns === undefined ? (every) => every : selectedNamespaces(ctx, hostNamespaces()).map(asRef),
            all,
            waitMs: wait * 1000,
            // `wait S` given: a setup script watching a cluster it is about to build
            awaitPeers: ctx.opts.wait !== undefined,
            signal: ctx.signal,
            probe: ctx.opts.probe === true,
            ...(devices ? { devices } : {}),
            onWait: (m) => ctx.stderr.write(`${m}\n`),
            onSkip: (ns, why) => ctx.stderr.write(`netns ${ns} not examined: ${why}\n`),
        });
        return commandResult(result, (rs) => crossoverText(rs, ctx.color));
    },
}), { handlesAllNetns: true });
