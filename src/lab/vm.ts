// A disposable QEMU VM running Debian's kernel with the host's root shared
// read-only: the only way to prove tipcx against a real TIPC stack on a host
// whose kernel has none. Used by the test suite, the demo and `tipcx sandbox`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { cacheDir, LabError } from './host.js';
import { BEGIN_MARKER, EXIT_MARKER } from './init-script.js';
import { prepareKernel, type LabKernel } from './kernel.js';

export interface VmOptions {
  /** argv of the payload, run with /bin/sh semantics: `cmd` is joined with shell quoting. */
  command: string[];
  /** Directory the payload starts in (default: the caller's cwd, visible at the same path). */
  cwd?: string;
  /** Environment variables set for the payload (PATH and HOME get sane defaults). */
  env?: Record<string, string>;
  /** Host directories made writable inside the VM, at the same path. */
  writable?: string[];
  memoryMiB?: number;
  cpus?: number;
  /** Joins this VM to another over a loopback socket: one virtio NIC, eth0 inside. */
  nic?: { mode: 'listen' | 'connect'; port: number; mac: string };
  /** Each line the payload prints, as it arrives. */
  onLine?: (line: string) => void;
  /**
   * The payload gets this process's stdin as its console (a shell, say): qemu
   * reads the terminal (signal=off, so Ctrl-C reaches the guest) and the
   * payload's output is passed to onRaw unbuffered instead of onLine. The
   * caller puts the terminal in raw mode and restores it.
   */
  interactive?: { onRaw: (chunk: Buffer) => void };
  /** Boot progress and downloads. */
  log?: (line: string) => void;
  timeoutMs?: number;
}

export interface VmResult {
  exitCode: number;
  output: string;
}

export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function payloadScript(opts: VmOptions): string {
  const env: Record<string, string> = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: '/root',
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    TIPCX_IN_LAB: '1',
    ...opts.env,
  };
  const exports = Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
  return [
    ...exports,
    `cd ${shellQuote(opts.cwd ?? process.cwd())} || exit 125`,
    opts.command.map(shellQuote).join(' ') + (opts.interactive ? '' : ' < /dev/null'),
    '',
  ].join('\n');
}

export function qemuArgs(kernel: LabKernel, payloadPath: string, opts: VmOptions): string[] {
  const writable = opts.writable ?? [];
  const append = ['console=ttyS0', 'quiet', 'loglevel=0', 'panic=-1', `tipcx.payload=${payloadPath}`];
  if (writable.length) append.push(`tipcx.rw=${writable.join(',')}`);
  const args = [
    '-accel', 'tcg,thread=multi', '-cpu', 'max',
    '-smp', String(opts.cpus ?? 2), '-m', String(opts.memoryMiB ?? 2048),
    '-nodefaults', '-no-user-config', '-display', 'none', '-vga', 'none', '-no-reboot',
    ...(opts.interactive
      ? ['-chardev', 'stdio,id=con0,signal=off', '-serial', 'chardev:con0']
      : ['-serial', 'stdio']),
    '-monitor', 'none',
    '-kernel', kernel.vmlinuz, '-initrd', kernel.initramfs, '-append', append.join(' '),
    '-virtfs', 'local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap',
  ];
  writable.forEach((dir, i) => {
    args.push('-virtfs', `local,path=${dir},mount_tag=rw${i},security_model=none,multidevs=remap`);
  });
  if (opts.nic) {
    // loopback only: the second VM is the only peer that ever connects
    args.push('-netdev', `socket,id=n0,${opts.nic.mode}=127.0.0.1:${opts.nic.port}`,
      '-device', `virtio-net-pci,netdev=n0,mac=${opts.nic.mac}`);
  }
  return args;
}

/** A booted VM; `result` settles when the payload exits and the VM powers off. */
export interface RunningVm {
  process: ChildProcess;
  result: Promise<VmResult>;
  kill(): void;
}

export function startVm(opts: VmOptions, kernel: LabKernel = prepareKernel(opts.log)): RunningVm {
  const runs = join(cacheDir(), 'runs');
  mkdirSync(runs, { recursive: true });
  const dir = mkdtempSync(join(runs, 'vm-'));
  const payloadPath = join(dir, 'payload.sh');
  writeFileSync(payloadPath, payloadScript(opts));
  for (const d of opts.writable ?? []) mkdirSync(d, { recursive: true });

  const child = spawn('qemu-system-x86_64', qemuArgs(kernel, payloadPath, opts), {
    stdio: [opts.interactive ? 'inherit' : 'ignore', 'pipe', 'pipe'],
  });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const result = new Promise<VmResult>((resolve, reject) => {
    const lines: string[] = [];
    const boot: string[] = [];
    let begun = false;
    let exitCode: number | undefined;
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    if (opts.interactive) {
      // raw passthrough between the markers; the markers themselves are whole lines
      let pending = '';
      child.stdout!.on('data', (d: Buffer) => {
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
    }
    if (!opts.interactive) createInterface({ input: child.stdout! }).on('line', (raw) => {
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
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          kill();
          reject(new LabError(`the lab VM did not finish within ${Math.round(opts.timeoutMs! / 1000)} s`));
        }, opts.timeoutMs)
      : undefined;
    child.on('error', (err) => reject(new LabError(`cannot start qemu-system-x86_64: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      if (exitCode !== undefined) {
        resolve({ exitCode, output: lines.join('\n') });
        return;
      }
      const tail = [...boot, ...lines, ...stderr.trim().split('\n')].filter(Boolean).slice(-15).join('\n');
      reject(new LabError(
        `the lab VM stopped before its payload finished (qemu ${signal ? `killed by ${signal}` : `exit ${code}`}); last output:\n${tail}`,
      ));
    });
  });
  return { process: child, result, kill };
}

/** Boots a VM, runs one command inside, powers off. */
export function runInVm(opts: VmOptions): Promise<VmResult> {
  return startVm(opts).result;
}
