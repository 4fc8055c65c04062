// Developer entry to the lab: `node build/test/lab/run.js -- CMD...` starts a
// lab kernel, runs CMD inside with the checkout at the same path, and exits
// with its status. As under `npm test`, the packed package is installed first
// and put on PATH (TIPCX_INSTALLED_PREFIX set in the environment reuses an
// installed prefix instead, with TIPCX_TARBALL its tarball). `--remote-peer` first starts the peer kernel the
// suite uses (node remote1 on the NIC that is eth0 in the main kernel).
//   node build/test/lab/run.js --remote-peer -- node --test build/test/integration/crossover-remote.test.js
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError, ensureCommands } from '../../src/lab/host.js';
import { prepareUml } from '../../src/uml/kernel.js';
import { startPeerVm, type PeerVm } from '../../src/uml/peer.js';
import { startVm } from '../../src/uml/vm.js';
import { LAB_COMMANDS, labEnv, packAndInstall, type Installed } from './install.js';

const USAGE = 'usage: node build/test/lab/run.js [--writable DIR]... [--remote-peer] -- COMMAND [ARG]...\n';
const root = fileURLToPath(new URL('../../../', import.meta.url));

async function main(argv: string[]): Promise<number> {
    const sep = argv.indexOf('--');
    const flags = sep >= 0 ? argv.slice(0, sep) : argv;
    const command = sep >= 0 ? argv.slice(sep + 1) : [];
    if (command.length === 0) {
        process.stderr.write(USAGE);
        return 2;
    }
    const writable: string[] = [];
    let remotePeer = false;
    for (let i = 0; i < flags.length; i++) {
        if (flags[i] === '--writable' && flags[i + 1]) writable.push(flags[++i]);
        else if (flags[i] === '--remote-peer') remotePeer = true;
        else {
            process.stderr.write(`unknown option "${flags[i]}"\n${USAGE}`);
            return 2;
        }
    }
    const log = (l: string) => process.stderr.write(`lab: ${l}\n`);
    // the kernel shares this host's root: what the tests run inside must be installed here, as under npm test
    ensureCommands(LAB_COMMANDS, log);
    const kernel = prepareUml(log);
    const reused = process.env.TIPCX_INSTALLED_PREFIX;
    const reusedTarball = process.env.TIPCX_TARBALL ?? '';
    let installed: Installed | undefined;
    if (!reused) {
        log('packing and installing the package');
        installed = await packAndInstall(root);
        log(`installed into ${installed.prefix}`);
    }
    let peer: PeerVm | undefined;
    try {
        if (remotePeer) {
            peer = await startPeerVm({
                // the same payload as `npm test` uses
                command: ['node', join(root, 'build/test/lab/remote-peer.js')],
                env: { NO_COLOR: '1' },
                kernel,
                log: (l) => log(`peer: ${l}`),
                onLine: (l) => process.stderr.write(`[peer] ${l}\n`),
            });
            log(`peer kernel up in ${(peer.bootMs / 1000).toFixed(1)} s`);
        }
        const result = await startVm(
            {
                command,
                cwd: root,
                writable,
                env: labEnv(reused ? { prefix: reused, tarball: reusedTarball } : installed!),
                memoryMiB: 3072,
                ...(peer && { nic: peer.nicForMain }),
                log,
                onLine: (l) => process.stdout.write(l + '\n'),
            },
            kernel,
        ).result;
        return result.exitCode;
    } finally {
        peer?.stop();
        if (installed) rmSync(installed.work, { recursive: true, force: true });
    }
}

main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
        process.stderr.write(`lab: ${err instanceof LabError ? err.message : (err as Error).stack}\n`);
        process.exitCode = 3;
    },
);
