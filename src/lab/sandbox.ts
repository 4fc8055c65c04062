// `tipcx sandbox`: a TIPC cluster on a disposable kernel, for machines whose own
// kernel has none. The same lab kernel as the test suite (src/uml/vm.ts) and the
// same peer (src/uml/peer.ts); inside, tipcx's own `lab up` builds the namespaces.
import { fileURLToPath } from 'node:url';
import { prepareUml } from '../uml/kernel.js';
import { startPeerVm, type PeerVm } from '../uml/peer.js';
import { LAB_PATH, startVm } from '../uml/vm.js';
import { LabError } from './host.js';

export interface SandboxOptions {
    nodes: number;
    remoteNodes: number;
    /** A shell command line run in the sandbox kernel; undefined: a shell (terminal) or the summary. */
    command?: string;
    /** stdin and stdout are a terminal: open a shell when there is no command. */
    terminal: boolean;
    out: (text: string) => void;
    log: (line: string) => void;
}

// The kernels' payload: the bundle's sandbox file (src/cli/bundle.ts), which
// `npm run build` writes in a checkout too. From here that is the same path
// whether this module runs from build/src/lab/ or from the bundle in
// dist/tipcx/cli/ (both three levels below the package root).
export const SANDBOX_PAYLOAD = fileURLToPath(new URL('../../../dist/tipcx/cli/sandbox-inside.cjs', import.meta.url));
/** The package's bin/, so that `tipcx` works in the sandbox's shell and commands. */
const BIN = fileURLToPath(new URL('../../../bin', import.meta.url));
const SANDBOX_PATH = `${BIN}:${LAB_PATH}`;

export async function runSandbox(opts: SandboxOptions): Promise<number> {
    const kernel = prepareUml(opts.log);
    let peer: PeerVm | undefined;
    if (opts.remoteNodes > 0) {
        opts.log(`starting the remote kernel (${opts.remoteNodes} node${opts.remoteNodes === 1 ? '' : 's'})`);
        peer = await startPeerVm({
            command: ['node', SANDBOX_PAYLOAD, 'remote', String(opts.remoteNodes)],
            env: { NO_COLOR: '1' },
            kernel,
            log: opts.log,
            onLine: (l) => opts.log(`remote: ${l}`),
        });
    }
    const shell = opts.command === undefined && opts.terminal;
    const mode = opts.command !== undefined ? ['command', opts.command] : shell ? ['shell'] : ['summary'];
    opts.log(`starting the sandbox kernel (${opts.nodes} node${opts.nodes === 1 ? '' : 's'})`);
    const restoreTerminal = shell ? rawTerminal() : () => {};
    try {
        const vm = startVm(
            {
                command: ['node', SANDBOX_PAYLOAD, 'main', String(opts.nodes), String(opts.remoteNodes), ...mode],
                env: {
                    PATH: SANDBOX_PATH,
                    NO_COLOR: shell ? '' : '1',
                    TIPCX_ROWS: String(process.stdout.rows ?? 24),
                    TIPCX_COLS: String(process.stdout.columns ?? 80),
                },
                ...(peer && { nic: peer.nicForMain }),
                log: opts.log,
                onLine: (l) => opts.out(l + '\n'),
                ...(shell && { interactive: { onRaw: (chunk: Buffer) => process.stdout.write(chunk) } }),
                timeoutMs: shell ? undefined : 30 * 60 * 1000,
            },
            kernel,
        );
        const died = peer?.died.then((why) => {
            vm.kill();
            throw new LabError(`the remote kernel stopped: ${why}`);
        });
        const result = await (died ? Promise.race([vm.result, died]) : vm.result);
        return result.exitCode;
    } finally {
        restoreTerminal();
        peer?.stop();
    }
}

/** Raw mode for the guest's console; restored on every way out, signals included. */
function rawTerminal(): () => void {
    const stdin = process.stdin;
    if (!stdin.isTTY) return () => {};
    stdin.setRawMode(true);
    let restored = false;
    const restore = () => {
        if (restored) return;
        restored = true;
        try {
            stdin.setRawMode(false);
            // the kernel shares the terminal: give it back in a sane state whatever it left
            process.stdout.write('\x1b[?25h');
        } catch {
            /* the terminal is gone */
        }
        process.off('exit', restore);
        for (const s of SIGNALS) process.off(s, onSignal);
    };
    const onSignal = (signal: NodeJS.Signals) => {
        restore();
        process.kill(process.pid, signal);
    };
    const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP'];
    process.once('exit', restore);
    for (const s of SIGNALS) process.once(s, onSignal);
    return restore;
}
