// Developer entry to the lab: `node build/src/lab/cli.js run -- CMD...` boots a
// VM, runs CMD inside with the checkout at the same path, and exits with its status.
import { LabError } from './host.js';
import { runInVm } from './vm.js';

async function main(argv: string[]): Promise<number> {
  const sep = argv.indexOf('--');
  const [verb, ...flags] = sep >= 0 ? argv.slice(0, sep) : argv;
  const command = sep >= 0 ? argv.slice(sep + 1) : [];
  if (verb !== 'run' || command.length === 0) {
    process.stderr.write('usage: node build/src/lab/cli.js run [--writable DIR]... -- COMMAND [ARG]...\n');
    return 2;
  }
  const writable: string[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i] === '--writable' && flags[i + 1]) writable.push(flags[++i]!);
  const result = await runInVm({
    command,
    writable,
    log: (l) => process.stderr.write(`lab: ${l}\n`),
    onLine: (l) => process.stdout.write(l + '\n'),
  });
  return result.exitCode;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err) => {
    process.stderr.write(`lab: ${err instanceof LabError ? err.message : (err as Error).stack}\n`);
    process.exitCode = 3;
  },
);
