// `tipcx proof`: the hash_mix proof of every discovery sender, live (as frames arrive) or from a capture file.
import { readFileSync } from 'node:fs';
import { commandResult, defineCommand, option } from '../cli/command.js';
import type { CommandContext, CommandResult } from '../cli/registry.js';
import type { ProofChange, SenderProof } from '../discovery/proofs.js';
import { anyText } from '../cli/parsers.js';
import { DEFAULT_WAIT_SECONDS, WAIT_SECONDS } from './specs.js';

async function fromFile(ctx: CommandContext, path: string) {
    const { DecodeError, tryDecodeLinkFrame } = await import('../discovery/frame.js');
    const { readCapture } = await import('../discovery/pcap.js');
    const { ProofBook } = await import('../discovery/proofs.js');
    const { EnvironmentError, FailureError, shortened, systemReason } = await import('../errors.js');
    const { proofTable } = await import('../render/proof.js');
    let bytes: Buffer;
    try {
        bytes = readFileSync(path);
    } catch (e) {
        throw new EnvironmentError(`cannot read ${shortened(path)}: ${systemReason(e)}`, { cause: e });
    }
    let packets;
    try {
        packets = readCapture(bytes);
    } catch (e) {
        if (e instanceof DecodeError) throw new FailureError(`${shortened(path)}: ${e.message} (at byte ${e.offset})`);
        throw e;
    }
    const book = new ProofBook();
    for (const p of packets) {
        const d = tryDecodeLinkFrame(p.linkType, p.data);
        if (d?.tipc.kind === 'discovery')
            book.add({ netns: path, direction: d.encapsulation.direction, timeMs: p.timeMs, frame: d.tipc });
    }
    return commandResult(book.proofs(), (rs) => proofTable(rs, ctx.color));
}

async function live(ctx: CommandContext, waitSeconds: number, dev: string | undefined) {
    const { hostNamespaces, selectedNamespaces } = await import('../cli/all-netns.js');
    const { LiveCapture } = await import('../discovery/capture.js');
    const { ProofBook } = await import('../discovery/proofs.js');
    const { proofLine, proofTable } = await import('../render/proof.js');
    const { getOwnNet } = await import('../tipc/node.js');
    const { withSession } = await import('../tipc/session.js');
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
        ctx.stdout.write(
            ctx.json
                ? `${JSON.stringify({ event: change.kind, ...change.proof })}\n`
                : `${change.kind === 'new' ? '+' : '~'} ${proofLine(change.proof)}`,
        );
    };
    const capture = LiveCapture.open(
        targets.map((t) => ({
            label: t.label,
            ...(t.ref ? { netns: t.ref } : {}),
            ...(dev !== undefined ? { devices: [dev] } : {}),
        })),
        (f) => {
            if (f.decoded.tipc.kind === 'discovery')
                emit(book.add({ netns: f.netns, direction: f.direction, timeMs: f.timeMs, frame: f.decoded.tipc }));
        },
    );
    const started = Date.now();
    try {
        ctx.stderr.write(
            `capturing discovery frames on ${capture.devices.join(', ') || 'no interface'} ${waitSeconds ? `for ${waitSeconds} s` : 'until Ctrl-C'} ` +
                '(the kernel repeats discovery every 60 s once links are up, every second while a bearer has no peer)\n',
        );
        let lastNotice = started;
        while ((waitSeconds === 0 || Date.now() - started < waitSeconds * 1000) && !ctx.signal.aborted) {
            await new Promise((r) => setTimeout(r, 100));
            capture.drain();
            if (Date.now() - lastNotice >= 10_000) {
                lastNotice = Date.now();
                ctx.stderr.write(
                    `still waiting${waitSeconds ? `: ${Math.max(0, Math.round(waitSeconds - (Date.now() - started) / 1000))} s left` : ''}, ${book.proofs().length} sender(s) so far\n`,
                );
            }
        }
    } finally {
        capture.close();
    }
    const proofs = book.proofs();
    if (ctx.json) for (const p of proofs) ctx.stdout.write(`${JSON.stringify({ event: 'final', ...p })}\n`);
    else ctx.stdout.write(proofTable(proofs, ctx.color));
    const streamed: CommandResult<SenderProof> = { records: proofs, text: () => '', streamed: true };
    return streamed;
}

export default [
    defineCommand({
        path: 'proof',
        summary: 'Decode and check the hash_mix proof in discovery messages',
        extension: true,
        endsOnInterrupt: true,
        help: `Usage: tipcx proof [dev DEVICE] [wait SECONDS]
       tipcx [-j] proof pcap FILE

Captures TIPC discovery frames (Ethernet ethertype 0x88ca, UDP port 6118) and
prints every sender's hash_mix proof: identity, net id, the hash (discovery
word 13), its bearer address, the namespaces that received it, and the
namespace on this host that sends the same identity and hash itself (learnt
from the frames each namespace transmits). That namespace is the one the
kernel would deliver to directly (netns crossover).

Live capture runs in the current namespace, -n NS, or every namespace with
--all-netns, from this process, and needs root. Senders are printed as they
arrive ("+" new, "~" seen somewhere new or matched to its own namespace),
then a table; with -j one JSON object per line (event new, updated,
final). The kernel repeats discovery every 60 s once links are up, every
second while a bearer has no peer: the wait is announced on stderr.

Options:
  dev DEVICE     capture on DEVICE only (default: every interface but lo)
  wait SECONDS   how long to capture, 0..3600 (default 65; 0 = until Ctrl-C);
                 Ctrl-C ends any capture: the table follows, exit 0
  pcap FILE      decode a pcap or pcapng file (Ethernet, Linux cooked v1/v2,
                 raw IP) instead of capturing; prints a JSON array with -j

Examples:
  tipcx --all-netns proof wait 5
  tipcx -n ns1 proof dev eth0
  tipcx -j proof pcap discovery.pcap
`,
        options: {
            dev: option(anyText, {
                placeholder: 'DEVICE',
                description: 'capture on this interface only',
                extension: true,
                complete: 'devices',
            }),
            pcap: option(anyText, {
                placeholder: 'FILE',
                description: 'read a pcap/pcapng file instead of capturing',
                extension: true,
            }),
            wait: option(WAIT_SECONDS, {
                placeholder: 'SECONDS',
                description: 'capture this long (default 65; 0 = until Ctrl-C)',
                extension: true,
            }),
        },
        // Live, it captures in every namespace it is given at once; a file has no namespace.
        namespaces: (args) => (args.pcap === undefined ? 'own' : { none: 'with pcap FILE reads a capture file' }),
        kernel: (args) => (args.pcap === undefined ? 'reads' : 'none'),
        async run(args, ctx) {
            if (args.pcap !== undefined) return fromFile(ctx, args.pcap);
            return live(ctx, args.wait ?? DEFAULT_WAIT_SECONDS, args.dev);
        },
    }),
];
