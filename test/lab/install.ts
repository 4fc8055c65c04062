// What users install: the project packed with `npm pack` (prepack builds and
// bundles) and installed globally into an empty prefix, as `npm install -g`
// would. The integration tests run the `tipcx` this puts on PATH.
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_PATH } from '../../src/uml/vm.js';

/**
 * Commands the integration tests run inside the lab kernels, which share this
 * host's root: installed here (Debian packages) before a kernel starts, by
 * `npm test` and by test/lab/run.ts alike. prometheus and promtool: the real
 * Prometheus server that test/integration/exporter.test.ts scrapes with.
 */
export const LAB_COMMANDS = ['ip', 'tipc', 'python3', 'tmux', 'strace', 'zsh', 'fish', 'prometheus', 'promtool'];

export interface Installed {
    /** The npm prefix: bin/tipcx, lib/node_modules/tipcx, share/man. */
    prefix: string;
    tarball: string;
    /** The directory holding both; remove it when done. */
    work: string;
}

/** The files of the checkout that `npm pack` reads. */
const PACKED_FROM = [
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'README.md',
    'bin',
    'src',
    'completions',
    'man',
];

function run(file: string, args: string[], cwd: string): Promise<void> {
    return new Promise((resolve, reject) => {
        execFile(
            file,
            args,
            {
                cwd,
                maxBuffer: 64 << 20,
                env: {
                    ...process.env,
                    npm_config_update_notifier: 'false',
                    npm_config_fund: 'false',
                    npm_config_audit: 'false',
                },
            },
            (err, _stdout, stderr) =>
                err
                    ? reject(new Error(`${file} ${args.join(' ')} failed: ${stderr.trim() || err.message}`))
                    : resolve(),
        );
    });
}

/**
 * Packs a copy of the checkout at `root` and installs the tarball into a fresh
 * prefix under the system's temporary directory, readable by every user: the
 * not-root tests run it as user nobody, wherever the checkout lives and
 * whoever may read it.
 */
export async function packAndInstall(root: string): Promise<Installed> {
    const work = mkdtempSync(join(tmpdir(), 'tipcx-installed-'));
    chmodSync(work, 0o755);
    // prepack writes dist/, which must never appear in the checkout (bin/tipcx would prefer a stale bundle there)
    const copy = join(work, 'source');
    mkdirSync(copy);
    for (const entry of PACKED_FROM) cpSync(join(root, entry), join(copy, entry), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
    await run('npm', ['pack', '--pack-destination', work, '--silent'], copy);
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const tarball = join(work, `tipcx-${version}.tgz`);
    if (!existsSync(tarball)) throw new Error(`npm pack did not write ${tarball}`);
    rmSync(copy, { recursive: true, force: true });
    const prefix = join(work, 'prefix');
    // from the local cache where it can: npm ci caches the dependencies' tarballs
    await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', tarball], work);
    await run('chmod', ['-R', 'a+rX', work], work);
    return { prefix, tarball, work };
}

/** The environment of the tests inside the lab: the installed package first on PATH, as a user has it. */
export function labEnv(installed: Pick<Installed, 'prefix' | 'tarball'>): Record<string, string> {
    const { prefix, tarball } = installed;
    return {
        CI: process.env.CI ?? '',
        NO_COLOR: '1',
        PATH: `${join(prefix, 'bin')}:${LAB_PATH}`,
        TIPCX_INSTALLED_PREFIX: prefix,
        TIPCX_TARBALL: tarball,
    };
}
