// `npm test` (after the build): on this host, the unit tests, the linter and
// the package as users get it (npm pack, installed into an empty prefix), side
// by side; then the integration tests of that installed `tipcx`, run from PATH
// inside three lab kernels (User-Mode Linux with TIPC, pinned to a host CPU)
// that share the test files, and beside them its usage errors on this host
// (test/host: no kernel needed). Before them a "peer" kernel starts
// (build/test/lab/remote-peer.js: node `remote1`, eth bearer on its NIC),
// joined by a private wire to the eth0 of the kernel that runs the files
// needing it, and stays up until the tests finish. A kernel failing to start
// fails the suite, and so does a skipped test: nothing passes by not running.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aptInstall, ensureCommands } from '../src/lab/host.js';
import { prepareUml } from '../src/uml/kernel.js';
import { startPeerVm } from '../src/uml/peer.js';
import { shellQuote } from '../src/uml/quote.js';
import { startVm } from '../src/uml/vm.js';
import { LAB_COMMANDS, labEnv, packAndInstall, type Installed } from './lab/install.js';
import { countsIn, type Counted } from './suite-count.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const reporter = ['--test-reporter=spec', '--test-reporter-destination=stdout'];

interface Counts {
    passed: number;
    failed: number;
    skipped: number;
    hostile: Map<Counted, number>;
}

const NONE: Counts = { passed: 0, failed: 0, skipped: 0, hostile: new Map() };

/** Adds up the spec reporter's summary lines ("ℹ pass 12", "ℹ fail 0", "ℹ skipped 0", "ℹ todo 0") of every test process. */
function countsFrom(output: string): Counts {
    const sum = (what: string) =>
        [...output.matchAll(new RegExp(`^\\S* ?${what} (\\d+)$`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
    return {
        passed: sum('pass'),
        failed: sum('fail'),
        skipped: sum('skipped') + sum('todo'),
        hostile: countsIn(output),
    };
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

/** The test files of `dir` in one node test process on this host, its output passed through. */
async function runHostTests(
    dir: string,
    env: NodeJS.ProcessEnv = process.env,
    prefix = '',
): Promise<{ counts: Counts; exitCode: number }> {
    const files = testFiles(dir);
    if (files.length === 0) throw new Error(`no test files found in ${dir}`);
    return new Promise((done) => {
        let output = '';
        const child = spawn(process.execPath, ['--test', ...reporter, ...files], {
            cwd: root,
            env,
            stdio: ['ignore', 'pipe', 'inherit'],
        });
        child.stdout.on('data', (d: Buffer) => {
            output += d.toString();
            if (!prefix) process.stdout.write(d);
        });
        child.on('close', (code) => {
            // prefixed (beside the lab kernels' lines): written whole at the end
            if (prefix) process.stdout.write(output.replace(/^(?=.)/gm, prefix));
            done({ counts: countsFrom(output), exitCode: code ?? 1 });
        });
    });
}

/** `npm run lint` (eslint, type-aware, and prettier), its output kept until it ends. */
function runLint(): Promise<{ output: string; exitCode: number }> {
    return new Promise((done) => {
        let output = '';
        const child = spawn('npm', ['run', '--silent', 'lint'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout.on('data', (d: Buffer) => (output += d.toString()));
        child.stderr.on('data', (d: Buffer) => (output += d.toString()));
        child.on('error', (err) => done({ output: err.message, exitCode: 1 }));
        child.on('close', (code) => done({ output, exitCode: code ?? 1 }));
    });
}

/** Integration files that need the remote peer: only the kernel wired to it runs them. */
const NEEDS_PEER = ['crossover-remote.test.js', 'remote-peer.test.js', 'exporter.test.js', 'events-remote.test.js'];
/** Reloads the tipc module (wiping every namespace's TIPC state): the last file of whichever kernel runs it. */
const RUNS_LAST = 'faults.test.js';
/** Loaded by the login shells of completion.test.ts, as in a user's terminal. */
const BASH_COMPLETION = '/usr/share/bash-completion/bash_completion';

/**
 * Seconds each file took in a lab kernel with a CPU of its own on a quiet
 * 2-core machine (2026-12-02): only the order in which the pool is offered
 * (longest first, so that the kernels finish close together; kernel c takes
 * from the other end). A file not listed goes last.
 */
const SECONDS_IN_LAB: Record<string, number> = {
    'parity-link.test.js': 55,
    'completion.test.js': 52, // real bash, zsh (compinit) and fish in a terminal
    'top.test.js': 50, // one flap watched by three tops (NDJSON, polled-events, tmux)
    'parity-misc.test.js': 38,
    'parity.test.js': 36,
    'bad-input.test.js': 30, // its usage errors run on the host (test/host/usage.test.ts)
    'crossover.test.js': 28,
    'parity-json.test.js': 26,
    'parity-bearer-udp.test.js': 26,
    'lab-cluster.test.js': 22,
    'newcomer.test.js': 20, // its mistakes run on the host, but for a sample
    'events.test.js': 19,
    'top-bundle.test.js': 11,
    'all-netns.test.js': 8,
    'package.test.js': 7,
    'library.test.js': 7,
    'lab.test.js': 6,
    // the peer's files (kernel a's own) and the last one
    'exporter.test.js': 64,
    'faults.test.js': 32,
    'crossover-remote.test.js': 9,
    'events-remote.test.js': 6,
};

/**
 * What one lab kernel runs: its own files first, then files of the shared pool
 * that no other kernel has claimed yet (a claim is a mkdir in a directory the
 * kernels write through hostfs: atomic on the host), then, the same way, the
 * files that must come last in their kernel: the first kernel out of work
 * takes them. Each file is a test process of its own, its time reported.
 */
function workerScript(own: string[], pool: string[], last: string[], claims: string): string {
    const q = shellQuote;
    const runFile = (f: string) =>
        `t=$(date +%s); ${nodeTest([f])}; rc=$((rc | $?)); echo "lab-file ${q(f)} $(( $(date +%s) - t )) s"`;
    const claimed = (f: string) =>
        `if mkdir ${q(join(claims, f.replace(/^.*\//, '')))} 2>/dev/null; then ${runFile(f)}; fi`;
    // how much of the run this kernel's CPU was busy (jiffies of /proc/stat): what more files could fill
    const busy = `awk '/^cpu /{printf "lab-kernel busy %d%% of %d s\\n", 100*($2+$3+$4)/($2+$3+$4+$5), ($2+$3+$4+$5)/100}' /proc/stat`;
    return ['rc=0', ...own.map(runFile), ...pool.map(claimed), ...last.map(claimed), busy, 'exit $rc'].join('\n');
}

async function runIntegrationTestsInLab(installed: Installed): Promise<{ counts: Counts; exitCode: number }> {
    const all = testFiles('build/test/integration');
    if (all.length === 0) throw new Error('no integration test files found in build/test/integration');
    const named = (names: string[]) => all.filter((f) => names.some((n) => f.endsWith(`/${n}`)));
    const peerFiles = named(NEEDS_PEER);
    const lastFiles = named([RUNS_LAST]);
    const seconds = (f: string) => SECONDS_IN_LAB[f.replace(/^.*\//, '')] ?? 0;
    const pool = all
        .filter((f) => !peerFiles.includes(f) && !lastFiles.includes(f))
        .sort((a, b) => seconds(b) - seconds(a));
    // the kernels share this host's root: what the tests run inside must be installed here
    ensureCommands(LAB_COMMANDS, (l) => process.stdout.write(`lab: ${l}\n`));
    const log = (l: string) => process.stdout.write(`lab: ${l}\n`);
    // completion.test.ts starts login shells that load bash-completion, as a user's terminal does
    if (!existsSync(BASH_COMPLETION)) aptInstall(['bash-completion'], log);
    const kernel = prepareUml(log);
    const peerStarted = Date.now();
    log(`starting the peer kernel (User-Mode Linux ${kernel.release}, remote TIPC node remote1)`);
    const peer = await startPeerVm({
        command: ['node', join(root, 'build/test/lab/remote-peer.js')],
        env: { NO_COLOR: '1' },
        kernel,
        log: (l) => log(`peer: ${l}`),
        onLine: (l) => process.stdout.write(`[peer] ${l}\n`),
    });
    log(`peer kernel up in ${((Date.now() - peerStarted) / 1000).toFixed(1)} s`);
    const out = join(root, 'build', 'lab-out');
    const claims = join(out, `claims-${process.pid}`);
    rmSync(claims, { recursive: true, force: true });
    mkdirSync(claims, { recursive: true });
    const started = Date.now();
    // A lab kernel runs on one host CPU (src/uml/vm.ts), chosen by how many
    // kernels each has. In start order: the peer; a, wired to it, which runs
    // the peer's files (waiting on Prometheus, traffic and discovery timers
    // much of the time); b, on the peer's CPU; c, on a's CPU, filling a's
    // waits with the short files from the far end of the pool, so that it
    // never holds a long one at the end, and never the last files.
    const workers = [
        { label: 'a', own: peerFiles, from: pool, last: lastFiles, nic: peer.nicForMain },
        { label: 'b', own: [] as string[], from: pool, last: lastFiles, nic: undefined },
        { label: 'c', own: [] as string[], from: [...pool].reverse(), last: [] as string[], nic: undefined },
    ].map(({ label, own, from, last, nic }) =>
        startVm(
            {
                command: ['sh', '-c', workerScript(own, from, last, claims)],
                cwd: root,
                env: labEnv(installed),
                writable: [out],
                memoryMiB: 3072,
                hostname: `tipcx-lab-${label}`,
                ...(nic && { nic }),
                timeoutMs: 60 * 60 * 1000,
                log,
                onLine: (l) => process.stdout.write(`[${label}] ${l}\n`),
            },
            kernel,
        ),
    );
    try {
        // the peer dying mid-run would turn remote tests into confusing timeouts: say so at once
        const results = await Promise.race([
            Promise.all(workers.map((w) => w.result)),
            peer.died.then((why) => {
                throw new Error(`the peer kernel stopped while the tests ran: ${why}`);
            }),
        ]);
        process.stdout.write(`lab: the lab kernels' run took ${Math.round((Date.now() - started) / 1000)} s\n`);
        const counts = results.map((r) => countsFrom(r.output));
        const hostile = new Map<Counted, number>();
        for (const c of counts) for (const [k, v] of c.hostile) hostile.set(k, (hostile.get(k) ?? 0) + v);
        const sum = (k: 'passed' | 'failed' | 'skipped') => counts.reduce((n, c) => n + c[k], 0);
        const unclaimed = [...pool, ...lastFiles].filter((f) => !existsSync(join(claims, f.replace(/^.*\//, ''))));
        if (unclaimed.length) throw new Error(`no lab kernel ran ${unclaimed.join(', ')}`);
        return {
            counts: { passed: sum('passed'), failed: sum('failed'), skipped: sum('skipped'), hostile },
            exitCode: results.reduce((code, r) => code || r.exitCode, 0),
        };
    } finally {
        for (const w of workers) w.kill();
        peer.stop();
        rmSync(claims, { recursive: true, force: true });
    }
}

async function main(): Promise<number> {
    // the schema test reads the kernel's UAPI header: the facts the schema must agree with
    if (!existsSync('/usr/include/linux/tipc_netlink.h'))
        aptInstall(['linux-libc-dev'], (l) => process.stdout.write(`setup: ${l}\n`));
    // the man page test lints the page with mandoc
    if (!existsSync('/usr/bin/mandoc')) aptInstall(['mandoc'], (l) => process.stdout.write(`setup: ${l}\n`));
    // packing (a build of its own, then npm install) runs beside the unit tests: one core each
    const packing = Date.now();
    const install = packAndInstall(root).then((installed) => {
        process.stdout.write(
            `lab: packed and installed into ${installed.prefix} in ${((Date.now() - packing) / 1000).toFixed(1)} s\n`,
        );
        return installed;
    });
    install.catch(() => {}); // awaited below, after the unit tests
    // the linter too, before the lab needs both cores: a job left to run beside the lab
    // kernels, even at the lowest priority, slowed them by more than it saved
    const linting = runLint();
    process.stdout.write('== unit tests (this host) ==\n');
    const unit = await runHostTests('build/test/unit').catch((err: Error) => {
        process.stdout.write(`unit tests could not run: ${err.message}\n`);
        return { counts: { ...NONE, failed: 1 }, exitCode: 1 };
    });
    const lint = await linting;
    process.stdout.write(
        `\n== lint (eslint, prettier): ${lint.exitCode === 0 ? 'clean' : 'FAILED'} ==\n${lint.output}`,
    );
    process.stdout.write(
        '\n== integration tests: the installed package on a real TIPC kernel (User-Mode Linux), its usage errors on this host ==\n',
    );
    type Outcome = { counts: Counts; exitCode: number };
    const couldNotRun =
        (what: string) =>
        (err: Error): Outcome => {
            process.stdout.write(`${what} could not run: ${err.message}\n`);
            return { counts: { ...NONE, failed: 1 }, exitCode: 1 };
        };
    let lab: Outcome;
    let usage: Outcome;
    let installed: Installed | undefined;
    try {
        installed = await install;
        // usage errors need no kernel: one core of this host beside the lab's kernels
        [usage, lab] = await Promise.all([
            runHostTests('build/test/host', { ...process.env, ...labEnv(installed) }, '[host] ').catch(
                couldNotRun('usage tests'),
            ),
            runIntegrationTestsInLab(installed),
        ]);
    } catch (err) {
        lab = usage = couldNotRun('integration tests')(err as Error);
    } finally {
        if (installed) rmSync(installed.work, { recursive: true, force: true });
    }
    if (lab.counts.passed === 0) {
        process.stdout.write('integration tests: none passed inside the lab kernels, which counts as a failure\n');
        lab.exitCode ||= 1;
    }
    const outcomes = [unit, usage, lab];
    const sum = (k: 'passed' | 'failed' | 'skipped') => outcomes.reduce((n, o) => n + o.counts[k], 0);
    const [passed, failed, skipped] = [sum('passed'), sum('failed'), sum('skipped')];
    const line = (c: Counts) => `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
    process.stdout.write(`\nunit (host): ${line(unit.counts)}\n`);
    process.stdout.write(`usage errors and kernel lifetime (installed package, host): ${line(usage.counts)}\n`);
    process.stdout.write(`integration (installed package, lab kernels): ${line(lab.counts)}\n`);
    if (skipped)
        process.stdout.write(
            `${skipped} skipped: a test that does not run proves nothing, so a skip fails the suite\n`,
        );
    const hostile = (what: Counted) => outcomes.reduce((n, o) => n + (o.counts.hostile.get(what) ?? 0), 0);
    process.stdout.write(
        `hostile input: ${hostile('bad inputs')} bad inputs, ${hostile('fuzz cases')} fuzz cases, ${hostile('fault scenarios')} fault scenarios\n`,
    );
    if (lint.exitCode !== 0) process.stdout.write('lint: FAILED (its output is above, under "== lint")\n');
    process.stdout.write(`total: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    return outcomes.reduce((code, o) => code || o.exitCode, lint.exitCode) || (failed || skipped ? 1 : 0);
}

process.exitCode = await main();
