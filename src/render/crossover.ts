// `tipcx crossover` text output: one row per namespace and peer, with the evidence.
import type { CrossoverRow } from '../tipc/crossover.js';
import { renderTable } from './table.js';

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
    const head = [
        'Namespace',
        'Peer',
        'Verdict',
        'Local ns',
        'Net id',
        'Peer hash',
        'Local hash',
        'Proven',
        ...(probe ? ['Probe'] : []),
        'Why',
    ];
    const body = rows.map((r) => [
        r.netns,
        r.peer || r.peerNodeId,
        r.verdict,
        r.localNetns ?? '-',
        r.netId,
        r.peerHashes.join(',') || '-',
        r.localHash ?? '-',
        time(r.lastProven),
        ...(probe ? [probeText(r)] : []),
        r.warning ? `${r.reason}; WARNING: ${r.warning}` : r.reason,
    ]);
    return renderTable({ head, rows: body, color, borderless: true });
}
