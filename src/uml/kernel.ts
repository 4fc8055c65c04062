// Debian's User-Mode Linux package: the distribution's 6.1 kernel built to run
// as an ordinary process, with TIPC, veth, bridge and overlay as modules. It is
// downloaded (never installed) and unpacked into the cache once per version.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, ensureCommands, fileExists, LabError } from '../lab/host.js';
import { xstateShim } from './xstate.js';

const PACKAGE = 'user-mode-linux';

export interface UmlKernel {
    /** The package version, e.g. 6.1um4+b13. */
    packageVersion: string;
    /** The kernel release the modules are built for (uname -r inside), e.g. 6.1.176. */
    release: string;
    /** The kernel executable. */
    linux: string;
    /** lib/modules/RELEASE of the package: modules.dep and kernel/. */
    modules: string;
    /** Preloaded into the kernel process (src/uml/xstate.ts). */
    preload: string;
}

function candidateVersion(): string | undefined {
    try {
        const out = execFileSync('apt-cache', ['show', '--no-all-versions', PACKAGE], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'ignore'],
        });
        return /^Version: (\S+)$/m.exec(out)?.[1];
    } catch {
        return undefined;
    }
}

/** The version apt would download, refreshing the package lists once when they do not know the package. */
function currentVersion(log: (line: string) => void): string | undefined {
    const known = candidateVersion();
    if (known) return known;
    log("refreshing the package lists to find Debian's user-mode-linux package");
    try {
        execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    } catch {
        /* an offline host may still have an unpacked kernel in the cache */
    }
    return candidateVersion();
}

function unpacked(dir: string): Omit<UmlKernel, 'preload'> | undefined {
    if (!fileExists(join(dir, '.unpacked'))) return undefined;
    const modulesRoot = join(dir, 'root', 'usr', 'lib', 'uml', 'modules');
    const release = readdirSync(modulesRoot)[0];
    if (!release) return undefined;
    return {
        packageVersion: dir.replace(/^.*\//, ''),
        release,
        linux: join(dir, 'root', 'usr', 'bin', 'linux.uml'),
        modules: join(modulesRoot, release),
    };
}

function download(version: string, dir: string, log: (line: string) => void): void {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    log(`downloading ${PACKAGE} ${version} (about 41 MB, cached in ${dir})`);
    try {
        execFileSync('apt-get', ['download', `${PACKAGE}=${version}`], {
            cwd: dir,
            stdio: ['ignore', 'ignore', 'pipe'],
        });
    } catch (err) {
        const why = String((err as { stderr?: Buffer }).stderr ?? (err as Error).message)
            .trim()
            .split('\n')
            .pop();
        throw new LabError(`could not download Debian's ${PACKAGE} package: ${why}`);
    }
    const deb = readdirSync(dir).find((f) => f.endsWith('.deb'));
    if (!deb) throw new LabError(`apt-get download ${PACKAGE} produced no .deb in ${dir}`);
    execFileSync('dpkg-deb', ['-x', deb, 'root'], { cwd: dir });
    rmSync(join(dir, deb));
    writeFileSync(join(dir, '.unpacked'), `${PACKAGE} ${version}\n`);
}

/**
 * The User-Mode Linux kernel, fetched into the cache when it is not there yet.
 * TIPCX_UML_VERSION pins a package version; without it, the version apt
 * offers now, or (offline) the newest one already cached.
 */
export function prepareUml(log: (line: string) => void = () => {}): UmlKernel {
    // the init script and the lab's own commands run the host's binaries inside
    ensureCommands(['apt-get', 'dpkg-deb', 'modprobe', 'insmod', 'ip', 'mount', 'chroot'], log);
    const base = join(cacheDir(), 'uml');
    const version = process.env.TIPCX_UML_VERSION || currentVersion(log);
    if (!version) {
        const cached = fileExists(base)
            ? readdirSync(base)
                  .sort()
                  .reverse()
                  .map((v) => unpacked(join(base, v)))
                  .find(Boolean)
            : undefined;
        if (cached) return { ...cached, preload: xstateShim(log) };
        throw new LabError(
            `cannot find Debian's ${PACKAGE} package (apt-cache show ${PACKAGE} names none, and none is cached in ${base}): check the apt sources`,
        );
    }
    const dir = join(base, version);
    if (!unpacked(dir)) download(version, dir, log);
    const kernel = unpacked(dir);
    if (!kernel) throw new LabError(`the ${PACKAGE} package in ${dir} has no modules directory`);
    return { ...kernel, preload: xstateShim(log) };
}
