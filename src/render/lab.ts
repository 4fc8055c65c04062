// Text for `tipcx lab up|status|down`: a borderless table per lab, headed by
// one line saying what the lab is, so scripts can still cut columns with awk.
import type { LabNodeRecord, RemovedRecord } from '../lab/cluster.js';
import { groupBy } from '../collections.js';
import { renderTable } from './table.js';

function labHeading(lab: string, rows: readonly LabNodeRecord[]): string {
    const first = rows[0];
    const up = rows.reduce((n, r) => n + r.linksUp, 0) / 2;
    const expected = (rows.length * first.linksExpected) / 2;
    const links = up === expected ? `all ${expected} links up` : `${up} of ${expected} links up`;
    return `lab "${lab}": ${rows.length} node${rows.length === 1 ? '' : 's'}, ${first.media} bearers, bridge ${first.bridge}, net id ${first.netid}, ${links}`;
}

export function labTableText(records: readonly LabNodeRecord[], color = false): string {
    if (records.length === 0) return 'no lab is up\n';
    const parts: string[] = [];
    for (const [lab, rows] of groupBy(records, (r) => r.lab)) {
        const udp = rows.some((r) => r.ip !== undefined);
        const table = renderTable({
            head: ['NAMESPACE', 'IDENTITY', 'ADDRESS', 'BEARER', ...(udp ? ['IP'] : []), 'LINKS UP'],
            rows: rows.map((r) => [
                r.namespace,
                r.identity,
                r.present ? r.address : '(gone)',
                r.bearer,
                ...(udp ? [r.ip ?? ''] : []),
                `${r.linksUp}/${r.linksExpected}`,
            ]),
            color,
            borderless: true,
        });
        parts.push(`${labHeading(lab, rows)}\n${table.endsWith('\n') ? table : table + '\n'}`);
    }
    return parts.join('\n');
}

export function labDownText(records: readonly RemovedRecord[]): string {
    if (records.length === 0) return 'no lab is up: nothing to remove\n';
    const lines: string[] = [];
    for (const [lab, rows] of groupBy(records, (r) => r.lab)) {
        const count = (kind: RemovedRecord['kind']) => rows.filter((r) => r.kind === kind && r.removed).length;
        lines.push(
            `lab "${lab}" removed: ${count('namespace')} namespaces, ${count('interface')} interfaces, its state file`,
        );
        for (const r of rows.filter((r) => !r.removed)) lines.push(`  ${r.kind} ${r.name}: ${r.note}`);
    }
    return lines.join('\n') + '\n';
}
