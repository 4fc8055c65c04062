// `npm test`: the unit tests on this host, then the integration tests inside one
// lab VM (a real TIPC kernel), booted once for the whole suite. Before it, a
// second "peer VM" boots (build/test/lab/remote-peer.js: node `remote1`, eth
// bearer on its NIC), joined to the main VM's eth0 over a loopback socket, and
// stays up until the main VM's tests finish. Either VM failing to boot fails
// the suite: integration tests are never skipped.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCommands } from '../src/lab/host.js';
import { prepareKernel } from '../src/lab/kernel.js';
import { startPeerVm } from '../src/lab/peer.js';
import { shellQuote, startVm } from '../src/lab/vm.js';
import { countsIn, type Counted } from './suite-count.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const reporter = ['--test-reporter=spec', '--test-reporter-destination=stdout'];

interface Counts {
  passed: number;
  failed: number;
  hostile: Map<Counted, number>;
}

/** Adds up the spec reporter's summary lines ("ℹ pass 12", "ℹ fail 0") of every test process. */
function countsFrom(output: string): Counts {
  const sum = (what: string) =>
    [...output.matchAll(new RegExp(`^\\S* ?${what} (\\d+)$`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
  return { passed: sum('pass'), failed: sum('fail'), hostile: countsIn(output) };
}

/** One node test process over `files`, as a shell command line. */
const nodeTest = (files: string[]) =>
  ['node', '--test', '--test-concurrency=1', ...reporter, ...files].map(shellQuote).join(' ');

function testFiles(dir: string): string[] {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.test.js'))
    .map((f) => join(dir, f));
}

async function runHostUnitTests(): Promise<{ counts: Counts; exitCode: number }> {
  const files = testFiles('build/test/unit');
  if (files.length === 0) throw new Error('no unit test files found in build/test/unit');
  return new Promise((done) => {
    let output = '';
    const child = spawn(process.execPath, ['--test', ...reporter, ...files], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      process.stdout.write(d);
    });
    child.on('close', (code) => done({ counts: countsFrom(output), exitCode: code ?? 1 }));
  });
}

async function runIntegrationTestsInVm(): Promise<{ counts: Counts; exitCode: number }> {
  // faults.test reloads the tipc module (wiping every namespace's TIPC state):
  // after everything else, in a test process of its own, since node --test
  // sorts the files it is given.
  const all = testFiles('build/test/integration');
  const last = all.filter((f) => f.endsWith('/faults.test.js'));
  const files = all.filter((f) => !last.includes(f));
  // the VM shares this host's root: what the tests run inside must be installed here
  ensureCommands(['ip', 'tipc', 'python3', 'tmux', 'strace', 'zsh', 'fish'], (l) => process.stdout.write(`lab: ${l}\n`));
  if (files.length === 0) throw new Error('no integration test files found in build/test/integration');
  const log = (l: string) => process.stdout.write(`lab: ${l}\n`);
  const kernel = prepareKernel(log);
  const peerStarted = Date.now();
  log('booting the peer VM (remote TIPC node remote1)');
  const peer = await startPeerVm({
    command: ['node', join(root, 'build/test/lab/remote-peer.js')],
    env: { NO_COLOR: '1' },
    kernel,
    log: (l) => log(`peer: ${l}`),
    onLine: (l) => process.stdout.write(`[peer] ${l}\n`),
  });
  log(`peer VM up in ${Math.round((Date.now() - peerStarted) / 1000)} s`);
  const started = Date.now();
  try {
    const mainVm = startVm({
      // one node process for every integration test: node starts ~15x slower under emulation
      // node --test sorts the files it is given: the order takes two runs
      command: ['sh', '-c', `${nodeTest(files)}; a=$?; ${nodeTest(last)}; b=$?; exit $((a | b))`],
      cwd: root,
      env: { CI: process.env.CI ?? '', NO_COLOR: '1' },
      writable: [join(root, 'build', 'lab-out')],
      memoryMiB: 3072,
      nic: peer.nicForMain,
      timeoutMs: 60 * 60 * 1000,
      log,
      onLine: (l) => process.stdout.write(`[vm] ${l}\n`),
    }, kernel);
    // the peer dying mid-run would turn remote tests into confusing timeouts: say so at once
    const result = await Promise.race([
      mainVm.result,
      peer.died.then((why) => {
        mainVm.kill();
        throw new Error(`the peer VM stopped while the tests ran: ${why}`);
      }),
    ]);
    process.stdout.write(`lab: VM run took ${Math.round((Date.now() - started) / 1000)} s\n`);
    return { counts: countsFrom(result.output), exitCode: result.exitCode };
  } finally {
    peer.stop();
  }
}

async function main(): Promise<number> {
  process.stdout.write('== unit tests (this host) ==\n');
  const unit = await runHostUnitTests().catch((err: Error) => {
    process.stdout.write(`unit tests could not run: ${err.message}\n`);
    return { counts: { passed: 0, failed: 1, hostile: new Map() }, exitCode: 1 };
  });
  process.stdout.write('\n== integration tests (real TIPC kernel in the lab VM) ==\n');
  let integration: { counts: Counts; exitCode: number };
  try {
    integration = await runIntegrationTestsInVm();
  } catch (err) {
    process.stdout.write(`integration tests could not run: ${(err as Error).message}\n`);
    integration = { counts: { passed: 0, failed: 1, hostile: new Map() }, exitCode: 1 };
  }
  if (integration.counts.passed === 0) {
    process.stdout.write('integration tests: none passed inside the VM, which counts as a failure\n');
    integration.exitCode ||= 1;
  }
  const passed = unit.counts.passed + integration.counts.passed;
  const failed = unit.counts.failed + integration.counts.failed;
  process.stdout.write(`\nunit (host): ${unit.counts.passed} passed, ${unit.counts.failed} failed\n`);
  process.stdout.write(`integration (in VM): ${integration.counts.passed} passed, ${integration.counts.failed} failed\n`);
  const hostile = (what: Counted) => (unit.counts.hostile.get(what) ?? 0) + (integration.counts.hostile.get(what) ?? 0);
  process.stdout.write(`hostile input: ${hostile('bad inputs')} bad inputs, ${hostile('fuzz cases')} fuzz cases, ${hostile('fault scenarios')} fault scenarios\n`);
  process.stdout.write(`total: ${passed} passed, ${failed} failed\n`);
  return unit.exitCode || integration.exitCode || (failed ? 1 : 0);
}

process.exitCode = await main();
