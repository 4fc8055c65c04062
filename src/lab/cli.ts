// Developer entry to the lab: `node build/src/lab/cli.js run -- CMD...` boots a
// VM, runs CMD inside with the checkout at the same path, and exits with its status.
// `--remote-peer` first boots the peer VM the test suite uses (node remote1 on
// the NIC that is eth0 in the main VM), for iterating on tests that need it.
import { fileURLToPath } from 'node:url';
import { LabError } from './host.js';
import { prepareKernel } from './kernel.js';
import { startPeerVm, type PeerVm } from './peer.js';
import { startVm } from './vm.js';

const USAGE = 'usage: node build/src/lab/cli.js run [--writable DIR]... [--remote-peer] -- COMMAND [ARG]...\n';

async function main(argv: string[]): Promise<number> {
  const sep = argv.indexOf('--');
  const [verb, ...flags] = sep >= 0 ? argv.slice(0, sep) : argv;
  const command = sep >= 0 ? argv.slice(sep + 1) : [];
  if (verb !== 'run' || command.length === 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const writable: string[] = [];
  let remotePeer = false;
  for (let i = 0; i < flags.length; i++) {
    if (flags[i] === '--writable' && flags[i + 1]) writable.push(flags[++i]!);
    else if (flags[i] === '--remote-peer') remotePeer = true;
    else {
      process.stderr.write(`unknown option "${flags[i]}"\n${USAGE}`);
      return 2;
    }
  }
  const log = (l: string) => process.stderr.write(`lab: ${l}\n`);
  const kernel = prepareKernel(log);
  let peer: PeerVm | undefined;
  if (remotePeer) {
    peer = await startPeerVm({
      // the same payload as `npm test` uses (build/test/lab/remote-peer.js)
      command: ['node', fileURLToPath(new URL('../../test/lab/remote-peer.js', import.meta.url))],
      env: { NO_COLOR: '1' },
      kernel,
      log: (l) => log(`peer: ${l}`),
      onLine: (l) => process.stderr.write(`[peer] ${l}\n`),
    });
    log(`peer VM up in ${Math.round(peer.bootMs / 1000)} s`);
  }
  try {
    const result = await startVm({
      command,
      writable,
      ...(peer && { nic: peer.nicForMain }),
      log,
      onLine: (l) => process.stdout.write(l + '\n'),
    }, kernel).result;
    return result.exitCode;
  } finally {
    peer?.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err) => {
    process.stderr.write(`lab: ${err instanceof LabError ? err.message : (err as Error).stack}\n`);
    process.exitCode = 3;
  },
);
