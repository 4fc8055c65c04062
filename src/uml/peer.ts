// The second kernel: a "peer" joined to the main lab kernel by one NIC each
// (eth0 inside both) on a private wire (wire.ts). It is the only peer that is
// genuinely not a local namespace, so crossover verdicts and remote views need
// it. One implementation serves the test suite (test/run-all.ts), the dev
// runner (test/lab/run.ts --remote-peer) and `tipcx sandbox remote-nodes N`.
import { LabError } from '../lab/host.js';
import { prepareUml, type UmlKernel } from './kernel.js';
import { startVm, type RunningVm, type VmOptions } from './vm.js';
import { createWire } from './wire.js';

/** The peer's payload prints this line once its TIPC node is configured. */
export const PEER_READY_MARKER = 'TIPCX-PEER-READY';

/** Distinct, locally administered MACs for the two ends. */
const PEER_MAC = '52:54:00:7c:00:01';
const MAIN_MAC = '52:54:00:7c:00:02';

export interface PeerVmOptions {
    /** The peer's payload; it must print PEER_READY_MARKER when ready and then stay up. */
    command: string[];
    env?: Record<string, string>;
    /** Boot progress, for the caller to prefix and show. */
    log?: (line: string) => void;
    /** The peer's output other than the ready marker. */
    onLine?: (line: string) => void;
    readyTimeoutMs?: number;
    kernel?: UmlKernel;
}

export interface PeerVm {
    /** The `nic` option for the main kernel: the other tap of the wire. */
    nicForMain: NonNullable<VmOptions['nic']>;
    /** Settles if the peer stops on its own before stop() (a failure worth reporting). */
    died: Promise<string>;
    /** Powers the peer off and removes the wire once it is gone; safe to call more than once. */
    stop(): void;
    bootMs: number;
}

/**
 * Builds the wire, boots the peer on one of its taps and resolves once the
 * payload reports ready. Rejects with a LabError saying why when the peer does
 * not come up: a missing peer is never silently tolerated.
 */
export async function startPeerVm(opts: PeerVmOptions): Promise<PeerVm> {
    const kernel = opts.kernel ?? prepareUml(opts.log);
    const wire = createWire(2);
    const started = Date.now();
    const output: string[] = [];
    let stopping = false;
    let markReady!: () => void;
    const ready = new Promise<void>((r) => (markReady = r));
    let vm: RunningVm;
    try {
        vm = startVm(
            {
                command: opts.command,
                env: opts.env,
                memoryMiB: 1024,
                hostname: 'tipcx-peer',
                nic: { wire, tap: wire.taps[0], mac: PEER_MAC },
                log: opts.log,
                onLine: (line) => {
                    output.push(line);
                    if (line.includes(PEER_READY_MARKER)) markReady();
                    else opts.onLine?.(line);
                },
            },
            kernel,
        );
    } catch (err) {
        wire.remove();
        throw err;
    }
    // the wire goes once the peer's kernel has let go of its tap
    vm.process.once('close', () => wire.remove());
    const stop = () => {
        stopping = true;
        vm.kill();
    };
    const died = vm.result.then(
        (r) =>
            `the peer's payload exited (status ${r.exitCode}) instead of staying up; its output:\n${output.slice(-15).join('\n')}`,
        (err: Error) => err.message,
    );
    const timeoutMs = opts.readyTimeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
        ready.then(() => 'ready' as const),
        died.then((why) => new LabError(`the peer kernel did not come up: ${why}`)),
        new Promise<LabError>((r) => {
            timer = setTimeout(
                () =>
                    r(
                        new LabError(
                            `the peer kernel did not report ready within ${Math.round(timeoutMs / 1000)} s; its output:\n${output.slice(-15).join('\n')}`,
                        ),
                    ),
                timeoutMs,
            );
        }),
    ]);
    clearTimeout(timer);
    if (outcome !== 'ready') {
        stop();
        throw outcome;
    }
    return {
        nicForMain: { wire, tap: wire.taps[1], mac: MAIN_MAC },
        died: died.then((why) => (stopping ? new Promise<string>(() => {}) : why)),
        stop,
        bootMs: Date.now() - started,
    };
}
