// `tipcx proof` text output: a line per sender as frames arrive, then a table.
import type { SenderProof } from '../discovery/proofs.js';
import { renderTable } from './table.js';

export function proofLine(p: SenderProof): string {
    return (
        `${p.identity || p.nodeId}  netid ${p.netId}  hash ${p.hash}  from ${p.media}  seen in ${p.seenIn.join(',')}  ` +
        `sent by ${p.sentBy ?? '-'}${p.initNetHint ? '  (init_net?)' : ''}\n`
    );
}

export function proofTable(proofs: readonly SenderProof[], color: boolean): string {
    if (proofs.length === 0) return '';
    return renderTable({
        head: ['Sender', 'Net id', 'Hash', 'Media', 'Seen in', 'Sent by', 'First seen', 'Last seen', 'Frames'],
        rows: proofs.map((p) => [
            p.identity || p.nodeId,
            p.netId,
            p.hash,
            p.media,
            p.seenIn.join(','),
            p.sentBy ?? '-',
            p.firstSeen.slice(11, 23),
            p.lastSeen.slice(11, 23),
            p.frames,
        ]),
        color,
        borderless: true,
    });
}
