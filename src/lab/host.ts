// Host-side prerequisites of the lab: the tools it shells out to, installed from
// Debian's archive when missing, so that a fresh machine needs no manual step.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { LabError } from '../errors.js';

// src/lab/sandbox.ts and src/uml/ import LabError from here; it lives with the other errors (src/errors.ts).
export { LabError };

/** Debian package that provides each command the lab runs. */
const PROVIDERS: Record<string, string> = {
    modprobe: 'kmod',
    insmod: 'kmod',
    mount: 'mount',
    chroot: 'coreutils',
    'dpkg-deb': 'dpkg',
    'apt-get': 'apt',
    ip: 'iproute2',
    tipc: 'iproute2',
    tmux: 'tmux',
    strace: 'strace',
    python3: 'python3',
    '/usr/bin/time': 'time',
    prometheus: 'prometheus',
    promtool: 'prometheus',
};

export function cacheDir(): string {
    if (process.env.TIPCX_CACHE) return process.env.TIPCX_CACHE;
    const xdg = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
    return join(xdg, 'tipcx');
}

export function which(cmd: string): string | null {
    const r = spawnSync('sh', ['-c', `command -v "$1"`, 'sh', cmd], { encoding: 'utf8' });
    const path = r.stdout.trim();
    return r.status === 0 && path ? path : null;
}

let aptUpdated = false;

/** apt-get install, once per process after one `apt-get update`. */
export function aptInstall(packages: string[], log: (line: string) => void): void {
    if (packages.length === 0) return;
    if (process.getuid?.() !== 0) {
        throw new LabError(`missing ${packages.join(', ')}: install with "sudo apt-get install ${packages.join(' ')}"`);
    }
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    log(`installing ${packages.join(' ')} from Debian's archive`);
    try {
        if (!aptUpdated) {
            execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'pipe'], env });
            aptUpdated = true;
        }
        execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
            stdio: ['ignore', 'ignore', 'pipe'],
            env,
        });
    } catch (err) {
        const stderr = String((err as { stderr?: Buffer }).stderr ?? '')
            .trim()
            .split('\n')
            .pop();
        throw new LabError(`could not install ${packages.join(' ')} with apt-get: ${stderr || (err as Error).message}`);
    }
}

/** Makes sure every command is on PATH, installing the Debian packages that are missing. */
export function ensureCommands(commands: string[], log: (line: string) => void): void {
    const missing = commands.filter((c) => !which(c));
    const packages = [...new Set(missing.map((c) => PROVIDERS[c] ?? c))];
    aptInstall(packages, log);
    const still = commands.filter((c) => !which(c));
    if (still.length) throw new LabError(`still missing after install: ${still.join(', ')}`);
}

export function fileExists(path: string): boolean {
    return existsSync(path);
}
