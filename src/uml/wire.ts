// The private wire between two lab kernels: a network namespace on the host
// that the lab creates and removes, holding a bridge and one tap per kernel.
// Frames between the kernels never leave it. (UML's mcast transport would be
// simpler and is never used: its multicast leaves through the real interface.)
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { LabError } from '../lab/host.js';

const PREFIX = 'tipcx-wire-';

export interface Wire {
    /** The host network namespace the kernels are started in. */
    netns: string;
    /** Tap devices, one per kernel, all on the wire's bridge. */
    taps: string[];
    /** Deletes the namespace and everything in it; safe to call more than once. */
    remove(): void;
}

const BRIDGE = 'wire0';

function ip(args: string[]): void {
    try {
        execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
        const why = String((err as { stderr?: Buffer }).stderr ?? (err as Error).message).trim();
        throw new LabError(`cannot build the wire between the lab kernels (ip ${args.join(' ')}): ${why}`);
    }
}

/** Wires whose creator died without removing them (killed by a signal, say): named after its pid. */
function removeOrphans(): void {
    const dir = '/run/netns';
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
        const pid = name.startsWith(PREFIX) ? Number(name.slice(PREFIX.length).split('-')[0]) : NaN;
        if (Number.isInteger(pid) && pid > 0 && !existsSync(`/proc/${pid}`)) {
            try {
                execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
            } catch {
                /* another run removed it first */
            }
        }
    }
}

export function createWire(kernels: number): Wire {
    removeOrphans();
    const netns = `${PREFIX}${process.pid}-${randomBytes(3).toString('hex')}`;
    const taps = Array.from({ length: kernels }, (_, i) => `tap${i}`);
    let removed = false;
    const remove = () => {
        if (removed) return;
        removed = true;
        process.off('exit', remove);
        try {
            execFileSync('ip', ['netns', 'del', netns], { stdio: 'ignore' });
        } catch {
            /* already gone */
        }
    };
    process.once('exit', remove);
    try {
        ip(['netns', 'add', netns]);
        ip(['-n', netns, 'link', 'add', BRIDGE, 'type', 'bridge']);
        ip(['-n', netns, 'link', 'set', BRIDGE, 'up']);
        for (const tap of taps) {
            ip(['-n', netns, 'tuntap', 'add', tap, 'mode', 'tap']);
            ip(['-n', netns, 'link', 'set', tap, 'master', BRIDGE, 'up']);
        }
    } catch (err) {
        remove();
        throw err;
    }
    return { netns, taps, remove };
}
