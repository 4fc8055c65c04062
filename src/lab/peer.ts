// The second kernel: a "peer VM" joined to the main lab VM by one virtio NIC
// over a loopback socket. It is the only peer that is genuinely not a local
// namespace, so crossover verdicts and remote views need it. One
// implementation serves the test suite (test/run-all.ts), the dev runner
// (src/lab/cli.ts --remote-peer) and `tipcx sandbox --remote-nodes`.
import { createServer } from 'node:net';
import { LabError } from './host.js';
import { prepareKernel, type LabKernel } from './kernel.js';
import { startVm, type RunningVm, type VmOptions } from './vm.js';

/** The peer VM's payload prints this line once its TIPC node is configured. */
export const PEER_READY_MARKER = 'TIPCX-PEER-READY';

/** Distinct, locally administered MACs (QEMU's 52:54:00 prefix) for the two ends. */
export const PEER_MAC = '52:54:00:7c:00:01';
export const MAIN_MAC = '52:54:00:7c:00:02';

/** A free TCP port on 127.0.0.1, chosen by the kernel (the lab never uses another address). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new LabError('could not pick a free loopback port'))));
    });
  });
}

export interface PeerVmOptions {
  /** The peer's payload; it must print PEER_READY_MARKER when ready and then stay up. */
  command: string[];
  env?: Record<string, string>;
  /** Boot progress and the peer's output, for the caller to prefix and show. */
  log?: (line: string) => void;
  onLine?: (line: string) => void;
  readyTimeoutMs?: number;
  kernel?: LabKernel;
}

export interface PeerVm {
  /** The `nic` option for the main VM: it connects to the peer, which listens. */
  nicForMain: NonNullable<VmOptions['nic']>;
  /** Settles if the peer VM stops on its own before stop() (a failure worth reporting). */
  died: Promise<string>;
  /** Powers the peer VM off (kills qemu); safe to call more than once. */
  stop(): void;
  bootMs: number;
}

/**
 * Boots the peer VM and resolves once its payload reports ready. The peer
 * listens (qemu binds before the guest boots), so the main VM, started after
 * this resolves, can connect. Rejects with a LabError saying why when the peer
 * does not come up: a missing peer is never silently tolerated.
 */
export async function startPeerVm(opts: PeerVmOptions): Promise<PeerVm> {
  const kernel = opts.kernel ?? prepareKernel(opts.log);
  const port = await freeLoopbackPort();
  const started = Date.now();
  const output: string[] = [];
  let stopping = false;
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  const vm: RunningVm = startVm(
    {
      command: opts.command,
      env: opts.env,
      cpus: 1,
      memoryMiB: 1024,
      nic: { mode: 'listen', port, mac: PEER_MAC },
      log: opts.log,
      onLine: (line) => {
        output.push(line);
        if (line.includes(PEER_READY_MARKER)) markReady();
        else opts.onLine?.(line);
      },
    },
    kernel,
  );
  const stop = () => {
    stopping = true;
    vm.kill();
  };
  process.once('exit', stop);
  const died = vm.result.then(
    (r) => `the peer VM's payload exited (status ${r.exitCode}) instead of staying up; its output:\n${output.slice(-15).join('\n')}`,
    (err: Error) => err.message,
  );
  const timeoutMs = opts.readyTimeoutMs ?? 180_000;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    ready.then(() => 'ready' as const),
    died.then((why) => new LabError(`the peer VM did not come up: ${why}`)),
    new Promise<LabError>((r) => {
      timer = setTimeout(
        () => r(new LabError(`the peer VM did not report ready within ${Math.round(timeoutMs / 1000)} s; its output:\n${output.slice(-15).join('\n')}`)),
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
    nicForMain: { mode: 'connect', port, mac: MAIN_MAC },
    died: died.then((why) => (stopping ? new Promise<string>(() => {}) : why)),
    stop,
    bootMs: Date.now() - started,
  };
}
