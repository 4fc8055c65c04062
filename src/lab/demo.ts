// `npm run demo`: tipcx on a real TIPC kernel even when this host has none.
// Boots the lab VM (installing qemu and fetching Debian's kernel on first use)
// and runs demo-inside.js there.
import { fileURLToPath } from 'node:url';
import { LabError } from './host.js';
import { runInVm } from './vm.js';

const payload = fileURLToPath(new URL('./demo-inside.js', import.meta.url));
const started = Date.now();
process.stderr.write('booting a disposable VM with Debian\'s kernel (TIPC built in as a module)...\n');
try {
  const result = await runInVm({
    command: ['node', payload],
    env: { NO_COLOR: '1' },
    log: (l) => process.stderr.write(`lab: ${l}\n`),
    onLine: (l) => process.stdout.write(l + '\n'),
    timeoutMs: 10 * 60 * 1000,
  });
  process.stderr.write(`demo finished in ${Math.round((Date.now() - started) / 1000)} s\n`);
  process.exitCode = result.exitCode;
} catch (err) {
  process.stderr.write(`demo: ${err instanceof LabError ? err.message : (err as Error).stack}\n`);
  process.exitCode = 3;
}
