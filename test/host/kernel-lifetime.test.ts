// A lab kernel ends with the process that started it, however that process
// ends. linux.uml makes itself a session leader, so a terminal's Ctrl-C or a
// job's signal never reaches it, and a process killed outright runs no
// handler of its own: src/uml/vm.ts starts it through `setpriv --pdeathsig`.
// The installed `tipcx sandbox` on this host, killed with SIGKILL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { installedTipcx, waitFor } from '../integration/lab.js';

/** `comm`, parent and process group of a process, undefined once it is gone. */
function stat(pid: string): { comm: string; ppid: number; pgrp: number; state: string } | undefined {
    try {
        const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const close = s.lastIndexOf(')');
        const [state, ppid, pgrp] = s.slice(close + 2).split(' ');
        return { comm: s.slice(s.indexOf('(') + 1, close), ppid: Number(ppid), pgrp: Number(pgrp), state };
    } catch {
        return undefined;
    }
}

const processes = () => readdirSync('/proc').filter((e) => /^\d+$/.test(e));

/**
 * What is left of a kernel's process group: its helper processes and the host
 * processes of its guest processes (a kernel is its group's leader), zombies aside.
 */
const groupOf = (kernel: string) =>
    processes().filter((e) => e !== kernel && stat(e)?.pgrp === Number(kernel) && running(e));

/** The lab kernels `parent` started (their main process). */
function kernelsOf(parent: number): string[] {
    return processes().filter((e) => stat(e)?.comm === 'linux.uml' && stat(e)?.ppid === parent);
}

/** Running: there, and not a zombie waiting to be reaped. */
const running = (pid: string) => {
    const s = stat(pid);
    return s !== undefined && s.state !== 'Z';
};

/**
 * Starts the installed `tipcx sandbox` running a payload in its kernel, kills
 * the sandbox with SIGKILL once the payload has printed `ready` (so it runs,
 * not just starts), and waits for the kernel and every process of its group
 * to end.
 */
async function killedOutright(payload: (ready: string) => string): Promise<void> {
    const ready = `lifetime-${process.pid}`;
    const sandbox = spawn(installedTipcx, ['sandbox', 'nodes', '1', 'command', payload(ready)], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
    });
    let output = '';
    sandbox.stdout.on('data', (d: Buffer) => (output += d.toString()));
    sandbox.stderr.on('data', (d: Buffer) => (output += d.toString()));
    let kernels: string[] = [];
    try {
        await waitFor(
            `the sandbox's kernel (output so far: ${output})`,
            () => (kernels = kernelsOf(sandbox.pid!)).length > 0,
            120_000,
        );
        await waitFor('the sandbox to run its command', () => output.includes(ready), 120_000);
        assert.ok(kernels.every(running), 'the kernel runs while its parent lives');
        sandbox.kill('SIGKILL');
        await waitFor('the kernel to end after its parent was killed', () => !kernels.some(running), 60_000);
        // and all of it: a helper left behind holds the guest's memory (a /dev/shm file) for good
        await waitFor(
            "the kernel's helper processes to end",
            () => kernels.every((k) => groupOf(k).length === 0),
            30_000,
        );
    } finally {
        sandbox.kill('SIGKILL');
        for (const pid of kernels)
            try {
                process.kill(-Number(pid), 'SIGKILL');
            } catch {
                // the group is gone
            }
    }
}

test('a lab kernel ends, with its helper processes, when the process that started it is killed outright (SIGKILL)', () =>
    killedOutright((ready) => `echo ${ready}; sleep 600`));

// A guest process in a loop of system calls outlived its kernel's shutdown, and with it the kernel's
// helper processes, one spinning on a host CPU for good (src/uml/vm.ts, endGroupAfter).
test('the same while a guest process loops on system calls', () =>
    killedOutright(
        (ready) =>
            `exec node -e "process.stdout.write('${ready}\\n'); const fs = require('fs'); for (;;) { try { fs.mkdirSync('/proc'); } catch {} }"`,
    ));
