// `tipcx proof`: the hash_mix proof of every discovery sender, live (as frames arrive) or from a capture file.
import { readFileSync } from 'node:fs';
import { hostNamespaces } from '../cli/all-netns.js';
import { commandResult, defineCommand, type CommandContext } from '../cli/registry.js';
import { parseDecimal } from '../cli/validators.js';
import { LiveCapture } from '../discovery/capture.js';
import { DecodeError, tryDecodeLinkFrame } from '../discovery/frame.js';
import { readCapture } from '../discovery/pcap.js';
import { ProofBook, type ProofChange, type SenderProof } from '../discovery/proofs.js';
import { EnvironmentError, FailureError } from '../errors.js';
import { renderTable } from '../render/table.js';
import { getOwnNet } from '../tipc/node.js';
import { withSession } from '../tipc/session.js';
import { DEFAULT_WAIT_SECONDS, WAIT_RANGE, selectedNamespaces } from './crossover.js';

export function proofLine(p: SenderProof): string {
    return `${p.identity || p.nodeId}  netid ${p.netId}  hash ${p.hash}  from ${p.media}  seen in ${p.seenIn.join(',')}  ` +
        `sent by ${p.sentBy ?? '-'}${p.initNetHint ? '  (init_net?)' : ''}\n`;
}

export function proofTable(proofs: readonly SenderProof[], color: boolean): string {
    if (proofs.length === 0) return '';
    return renderTable({
        head: ['Sender', 'Net id', 'Hash', 'Media', 'Seen in', 'Sent by', 'First seen', 'Last seen', 'Frames'],
        rows: proofs.map((p) => [p.identity || p.nodeId, p.netId, p.hash, p.media, p.seenIn.join(','), p.sentBy ?? '-',
            p.firstSeen.slice(11, 23), p.lastSeen.slice(11, 23), p.frames]),
        color, borderless: true,
    });
}

function fromFile(ctx: CommandContext, path: string) {
    let bytes: Buffer;
    try {
        bytes = readFileSync(path);
    } catch (e) {
        throw new EnvironmentError(`cannot read ${path}: ${(e as Error).message}`, { cause: e });
    }
    let packets;
    try {
        packets = readCapture(bytes);
    } catch (e) {
        if (e instanceof DecodeError) throw new FailureError(`${path}: ${e.message} (at byte ${e.offset})`);
        throw e;
    }
    const book = new ProofBook();
    for (const p of packets) {
        const d = tryDecodeLinkFrame(p.linkType, p.data);
        if (d?.tipc.kind === 'discovery') book.add({ netns: path, direction: d.encapsulation.direction, timeMs: p.timeMs, frame: d.tipc });
    }
    return commandResult(book.proofs(), (rs) => proofTable(rs, ctx.color));
}

export default Object.assign(defineCommand({
    async run(ctx) {
        if (typeof ctx.opts.pcap === 'string') return fromFile(ctx, ctx.opts.pcap);
        const wait = ctx.opts.wait === undefined ? DEFAULT_WAIT_SECONDS : parseDecimal(String(ctx.opts.wait), 'wait', WAIT_RANGE);
        const targets = selectedNamespaces(ctx, hostNamespaces());
        // own identities, so a namespace's own frames are told from forwarded ones
        const identities = new Map<string, string>();
        for (const t of targets) {
            try {
                const own = await withSession({ ...(t.ref ? { netns: t.ref } : {}) }, getOwnNet);
                identities.set(t.label, own.identityBytes.toString('hex'));
            } catch {
                identities.set(t.label, ''); // no TIPC there: nothing it sends is its own
            }
        }
        const book = new ProofBook(identities);
        const emit = (change: ProofChange): void => {
            if (!change) return;
            ctx.stdout.write(ctx.json ? `${JSON.stringify({ event: change.kind, ...change.proof })}\n` : `${change.kind === 'new' ? '+' : '~'} ${proofLine(change.proof)}`);
        };
        const capture = LiveCapture.open(
            targets.map((t) => ({ label: t.label, ...(t.ref ? { netns: t.ref } : {}), ...(typeof ctx.opts.dev === 'string' ? { devices: [ctx.opts.dev] } : {}) })),
            (f) => {
                if (f.decoded.tipc.kind === 'discovery') emit(book.add({ netns: f.netns, direction: f.direction, timeMs: f.timeMs, frame: f.decoded.tipc }));
            });
        const started = Date.now();
        try {
            ctx.stderr.write(`capturing discovery frames on ${capture.devices.join(', ') || 'no interface'} ${wait ? `for ${wait} s` : 'until Ctrl-C'} ` +
                '(the kernel repeats discovery every 60 s once links are up, every second while a bearer has no peer)\n');
            let lastNotice = started;
            while ((wait === 0 || Date.now() - started < wait * 1000) && !ctx.signal.aborted) {
                await new Promise((r) => setTimeout(r, 100));
                capture.drain();
                if (Date.now() - lastNotice >= 10_000) {
                    lastNotice = Date.now();
                    ctx.stderr.write(`still waiting${wait ? `: ${Math.max(0, Math.round(wait - (Date.now() - started) / 1000))} s left` : ''}, ${book.proofs().length} sender(s) so far\n`);
                }
            }
        } finally {
            capture.close();
        }
        const proofs = book.proofs();
        if (ctx.json) for (const p of proofs) ctx.stdout.write(`${JSON.stringify({ event: 'final', ...p })}\n`);
        else ctx.stdout.write(proofTable(proofs, ctx.color));
        return { records: proofs, text: () => '', streamed: true };
    },
}), { handlesAllNetns: true });
