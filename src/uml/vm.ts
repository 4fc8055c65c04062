// A disposable lab kernel: Debian's User-Mode Linux, started as an ordinary
// process with the host's root as its own (read-only, under a tmpfs overlay).
// JavaScript inside runs at the host's speed. Used by the test suite, the
// benchmark, the demo and `tipcx sandbox`.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { cacheDir, LabError } from '../lab/host.js';
import { BEGIN_MARKER, EXIT_MARKER, initScript } from './init-script.js';
import { prepareUml, type UmlKernel } from './kernel.js';
import { shellQuote } from './quote.js';
import type { Wire } from './wire.js';

/** The payload's PATH unless its env says otherwise; callers put their own bin/ in front. */
export const LAB_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface VmOptions {
    /** argv of the payload, run with /bin/sh semantics: `cmd` is joined with shell quoting. */
    command: string[];
    /** Directory the payload starts in (default: the caller's cwd, visible at the same path). */
    cwd?: string;
    /** Environment variables set for the payload (PATH and HOME get sane defaults). */
    env?: Record<string, string>;
    /** Host directories made writable inside, at the same path. */
    writable?: string[];
    memoryMiB?: number;
    hostname?: string;
    /** One NIC (eth0 inside) on a tap of a wire (wire.ts), with this MAC. */
    nic?: { wire: Wire; tap: string; mac: string };
    /** Each line the payload prints, as it arrives. */
    onLine?: (line: string) => void;
    /**
     * The payload gets this process's stdin as its console (a shell, say), and
     * its output is passed to onRaw unbuffered instead of onLine. The caller
     * puts the terminal in raw mode and restores it.
     */
    interactive?: { onRaw: (chunk: Buffer) => void };
    /** Download and boot progress. */
    log?: (line: string) => void;
    /** The whole run, boot included. */
    timeoutMs?: number;
    /** How long the kernel may take to reach the payload (default 60 s). */
    bootTimeoutMs?: number;
    /** The host CPU the whole kernel runs on (default: the least used, see pinnedCpu). */
    cpu?: number;
}

export interface VmResult {
    exitCode: number;
    output: string;
}

/** A started kernel; `result` settles when the payload exits and the kernel powers off. */
export interface RunningVm {
    process: ChildProcess;
    result: Promise<VmResult>;
    /** Shuts the kernel down (SIGTERM, then SIGKILL to its whole session); safe to call more than once. */
    kill(): void;
}

function payloadScript(opts: VmOptions): string {
    const env: Record<string, string> = {
        PATH: LAB_PATH,
        HOME: '/root',
        TERM: 'xterm-256color',
        LANG: 'C.UTF-8',
        // The payload runs under a shell, as a user's commands do. Without
        // SHLVL, bash started with a socket as stdin (node's spawn gives it
        // one) takes itself for a remote shell of sshd and reads the bashrc
        // files (Debian builds it so): the host's own, through the shared
        // root. One that runs `pyenv init` made every such bash cost about a
        // second here, and a test file up to twice as slow.
        SHLVL: '1',
        TIPCX_IN_LAB: '1',
        ...opts.env,
    };
    const exports = Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
    return [
        ...exports,
        `cd ${shellQuote(opts.cwd ?? process.cwd())} || exit 125`,
        opts.command.map(shellQuote).join(' '),
        '',
    ].join('\n');
}

/** The kernel's command line: the host's / as root (hostfs), our script as init, the console on our pipes. */
function umlArgs(init: string, runDir: string, opts: VmOptions): string[] {
    const args = [
        `mem=${opts.memoryMiB ?? 2048}M`,
        'rootfstype=hostfs',
        'rootflags=/',
        'ro',
        'quiet',
        'loglevel=0',
        `init=${init}`,
        opts.interactive ? 'con0=fd:0,fd:1' : 'con0=null,fd:1',
        'con=null',
        'ssl=null',
        `umid=tipcx-${process.pid}-${randomBytes(3).toString('hex')}`,
        `uml_dir=${runDir}`,
    ];
    if (opts.nic) args.push(`eth0=tuntap,${opts.nic.tap},${opts.nic.mac}`);
    return args;
}

/** CPUs taken by the kernels this process started and that still run. */
const ownKernelsOn = new Map<number, number>();

/** The CPU of every lab kernel other processes run (a kernel: a linux.uml process whose parent is not one). */
function othersKernelsOn(): number[] {
    const cpus: number[] = [];
    let pids: string[];
    try {
        pids = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
    } catch {
        return cpus;
    }
    const statOf = (pid: string) => {
        // comm is in parentheses and may hold spaces; ppid is the second field after it
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        return { comm: stat.slice(stat.indexOf('(') + 1, close), ppid: stat.slice(close + 2).split(' ')[1] };
    };
    for (const pid of pids) {
        try {
            const { comm, ppid } = statOf(pid);
            if (comm !== 'linux.uml' || ppid === String(process.pid) || statOf(ppid).comm === 'linux.uml') continue;
            const allowed = /^Cpus_allowed_list:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
            if (allowed) cpus.push(Number(allowed[1]));
        } catch {
            // the process ended while we looked
        }
    }
    return cpus;
}

/**
 * A UML kernel is one CPU: its kernel process and the processes it runs under
 * ptrace hand control to each other on every system call and page fault. On
 * different host CPUs each hand-over is a cross-CPU wake-up, which in a
 * virtual machine costs tens of microseconds: measured on this project's
 * 2-core VM, a system call inside took 177 µs unpinned against 17 µs pinned,
 * and `node -e 0` 1.1 s against 0.23 s. So each kernel gets one CPU: the one
 * with the fewest lab kernels on it, counting those of other processes (a
 * demo beside the test suite, say).
 */
function pinnedCpu(requested: number | undefined): number {
    if (requested !== undefined) return requested % availableParallelism();
    const load = Array.from({ length: availableParallelism() }, (_, cpu) => ownKernelsOn.get(cpu) ?? 0);
    for (const cpu of othersKernelsOn()) if (cpu < load.length) load[cpu]++;
    return load.indexOf(Math.min(...load));
}

/**
 * Ends what is left of a kernel's process group once its main process has
 * ended, however it ended and whether or not this process is still there.
 * pdeathsig reaches the main process only, and a guest process that loops on
 * system calls while the kernel shuts down outlives it, with the kernel's
 * helper processes, one of them spinning on a host CPU for good
 * (test/host/kernel-lifetime.test.ts). So a shell in a session of its own
 * watches the main process (its pid is the group's id: linux.uml makes itself
 * a session leader) until it is gone or a zombie (a pid 1 that never reaps
 * keeps it as one), then kills the group.
 */
function endGroupAfter(kernel: number): void {
    const stat = `/proc/${kernel}/stat`;
    const running = `[ -e ${stat} ] && read -r s < ${stat} && case "$s" in *") Z "*) false ;; esac`;
    spawn('sh', ['-c', `while ${running}; do sleep 1; done; kill -KILL -${kernel} 2>/dev/null`], {
        detached: true,
        stdio: 'ignore',
    }).unref();
}

export function startVm(opts: VmOptions, kernel: UmlKernel = prepareUml(opts.log)): RunningVm {
    const runs = join(cacheDir(), 'runs');
    mkdirSync(runs, { recursive: true });
    const dir = mkdtempSync(join(runs, 'uml-'));
    const payload = join(dir, 'payload.sh');
    const init = join(dir, 'init.sh');
    writeFileSync(payload, payloadScript(opts));
    const writable = opts.writable ?? [];
    for (const d of writable) mkdirSync(d, { recursive: true });
    writeFileSync(
        init,
        initScript({
            modules: kernel.modules,
            release: kernel.release,
            payload,
            writable,
            hostname: opts.hostname ?? 'tipcx-lab',
            interactive: Boolean(opts.interactive),
        }),
        { mode: 0o755 },
    );

    // taskset execs the kernel (same pid), and everything the kernel starts inherits the CPU
    const cpu = pinnedCpu(opts.cpu);
    const pinned = ['taskset', '-c', String(cpu), kernel.linux, ...umlArgs(init, dir, opts)];
    // linux.uml makes itself a session leader; in a wire's namespace, `ip netns exec` execs it (same pid)
    const inWire = opts.nic ? ['ip', 'netns', 'exec', opts.nic.wire.netns, ...pinned] : pinned;
    // The kernel ends with this process, however it ends. Being a session leader, it never gets
    // a terminal's Ctrl-C or a job's signal, and 'exit' below does not run when this process is
    // killed: a test run stopped by `timeout` left its kernel running its payload for good.
    // setpriv (util-linux, as taskset) asks the kernel for SIGTERM on our death; the execs after it keep that.
    // SIGPIPE ignored (sh's trap "", kept across exec): with us gone, the kernel's shutdown messages meet a
    // pipe without a reader, and SIGPIPE killed it half-way, leaving two of its processes behind for good,
    // holding the guest's memory (test/host/kernel-lifetime.test.ts).
    const argv = ['setpriv', '--pdeathsig', 'TERM', 'sh', '-c', 'trap "" PIPE; exec "$@"', 'sh', ...inWire];
    const child = spawn(argv[0], argv.slice(1), {
        stdio: [opts.interactive ? 'inherit' : 'ignore', 'pipe', 'pipe'],
        env: { ...process.env, LD_PRELOAD: kernel.preload },
    });
    if (child.pid !== undefined) endGroupAfter(child.pid);
    ownKernelsOn.set(cpu, (ownKernelsOn.get(cpu) ?? 0) + 1);
    child.once('exit', () => ownKernelsOn.set(cpu, ownKernelsOn.get(cpu)! - 1));
    const running = () => child.exitCode === null && child.signalCode === null;
    let escalation: NodeJS.Timeout | undefined;
    const kill = () => {
        if (!running() || escalation) return;
        // SIGTERM shuts the whole guest down within a second; SIGKILL alone would leave its helper processes
        child.kill('SIGTERM');
        escalation = setTimeout(() => {
            if (!running()) return;
            try {
                process.kill(-child.pid!, 'SIGKILL');
            } catch {
                child.kill('SIGKILL');
            }
        }, 5000);
        escalation.unref();
    };
    const onExit = () => {
        if (running()) child.kill('SIGTERM');
    };
    process.once('exit', onExit);

    const result = new Promise<VmResult>((resolve, reject) => {
        const lines: string[] = [];
        const boot: string[] = [];
        let begun = false;
        let exitCode: number | undefined;
        let stderr = '';
        let failure: LabError | undefined;
        const fail = (why: LabError) => {
            failure ??= why;
            kill();
        };
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const bootTimer = setTimeout(() => {
            if (!begun)
                fail(
                    new LabError(
                        `the lab kernel did not reach its payload within ${Math.round((opts.bootTimeoutMs ?? 60_000) / 1000)} s; last output:\n${[...boot, ...stderr.trim().split('\n')].filter(Boolean).slice(-15).join('\n')}`,
                    ),
                );
        }, opts.bootTimeoutMs ?? 60_000);
        const runTimer = opts.timeoutMs
            ? setTimeout(
                  () =>
                      fail(
                          new LabError(`the lab kernel did not finish within ${Math.round(opts.timeoutMs! / 1000)} s`),
                      ),
                  opts.timeoutMs,
              )
            : undefined;
        if (opts.interactive) {
            // raw passthrough between the markers; the markers themselves are whole lines
            let pending = '';
            child.stdout.on('data', (d: Buffer) => {
                if (exitCode !== undefined) return;
                if (!begun) {
                    pending += d.toString('latin1');
                    const at = pending.indexOf(BEGIN_MARKER);
                    if (at < 0) {
                        boot.push(...pending.split('\n').slice(0, -1));
                        pending = pending.slice(pending.lastIndexOf('\n') + 1);
                        return;
                    }
                    begun = true;
                    d = Buffer.from(pending.slice(at + BEGIN_MARKER.length).replace(/^\r?\n/, ''), 'latin1');
                    pending = '';
                }
                const text = d.toString('latin1');
                const m = new RegExp(`(?:^|\n)${EXIT_MARKER} (\\d+)\r?\n`).exec(pending + text);
                if (m) {
                    exitCode = Number(m[1]);
                    const cut = text.indexOf(EXIT_MARKER);
                    if (cut > 0) opts.interactive!.onRaw(d.subarray(0, cut));
                    return;
                }
                // keep the tail in case the exit marker is split across chunks
                pending = (pending + text).slice(-64);
                opts.interactive!.onRaw(d);
            });
        } else {
            createInterface({ input: child.stdout }).on('line', (raw) => {
                const line = raw.replace(/\r$/, '');
                if (!begun) {
                    if (line.includes(BEGIN_MARKER)) begun = true;
                    else boot.push(line);
                    return;
                }
                const m = new RegExp(`^${EXIT_MARKER} (\\d+)$`).exec(line);
                if (m) {
                    exitCode = Number(m[1]);
                    return;
                }
                if (exitCode !== undefined) return;
                lines.push(line);
                opts.onLine?.(line);
            });
        }
        child.on('error', (err) => fail(new LabError(`cannot start the lab kernel ${kernel.linux}: ${err.message}`)));
        child.on('close', (code, signal) => {
            clearTimeout(bootTimer);
            clearTimeout(runTimer);
            clearTimeout(escalation);
            process.off('exit', onExit);
            rmSync(dir, { recursive: true, force: true });
            if (failure) return reject(failure);
            if (exitCode !== undefined) return resolve({ exitCode, output: lines.join('\n') });
            const tail = [...boot, ...lines, ...stderr.trim().split('\n')].filter(Boolean).slice(-15).join('\n');
            reject(
                new LabError(
                    `the lab kernel stopped before its payload finished (${signal ? `killed by ${signal}` : `exit ${code}`}); last output:\n${tail}`,
                ),
            );
        });
    });
    return { process: child, result, kill };
}

/** Boots a lab kernel, runs one command inside, powers off. */
export function runInVm(opts: VmOptions): Promise<VmResult> {
    return startVm(opts).result;
}
