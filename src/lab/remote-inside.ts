// What runs inside a peer kernel (see src/uml/peer.ts): it makes that kernel a TIPC node on
// the NIC joining it to the main kernel, says so with PEER_READY_MARKER, and stays
// up until the host powers the kernel off. tipcx itself configures it, in-process.
import { execFileSync } from 'node:child_process';
import { main } from '../cli/main.js';
import { PEER_READY_MARKER } from '../uml/peer.js';

/** The peer's side of the NIC: the only interface it has besides lo. */
export const PEER_IFACE = 'eth0';

function ip(args: string[]): void {
    execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

async function tipcx(args: string[]): Promise<void> {
    let err = '';
    const code = await main(args, {
        stdout: { write: () => true },
        stderr: { write: (s: string) => ((err += s), true) },
        env: { NO_COLOR: '1' },
        isTTY: false,
    });
    if (code !== 0) throw new Error(`tipcx ${args.join(' ')} failed (exit ${code}): ${err.trim()}`);
}

/** The peer kernel's root namespace becomes TIPC node `identity` with an eth bearer on the NIC. */
export async function configureRootAsNode(identity: string): Promise<void> {
    ip(['link', 'set', PEER_IFACE, 'up']);
    await tipcx(['node', 'set', 'identity', identity]);
    await tipcx(['bearer', 'enable', 'media', 'eth', 'device', PEER_IFACE]);
}

/** Announces readiness and keeps the process (and so the kernel) alive until killed. */
export function announceReadyAndStay(): void {
    process.stdout.write(`${PEER_READY_MARKER}\n`);
    setInterval(() => {}, 1 << 30);
}
