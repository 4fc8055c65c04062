// Debian's stock kernel, unpacked (never installed) into the cache, and an
// initramfs that loads the modules the lab needs before the shared root exists.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { aptInstall, cacheDir, ensureCommands, fileExists, LabError } from './host.js';
import { INIT_SCRIPT } from './init-script.js';

export interface LabKernel {
  version: string;
  vmlinuz: string;
  initramfs: string;
}

/** Modules the lab loads, in the order given; their dependencies are resolved from modules.dep. */
const WANTED_MODULES = [
  // the shared root: virtio PCI transport, 9p, overlay
  'virtio_pci', '9pnet_virtio', '9p', 'overlay',
  // what the tests exercise; gcm(aes) for TIPC encryption (node set key)
  'tipc', 'diag', 'veth', 'bridge', 'gcm', 'ctr', 'ghash_generic',
  // the NIC joining two VMs
  'virtio_net',
];

function dpkgInstalled(pkg: string): boolean {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).includes('install ok installed');
  } catch {
    return false;
  }
}

/** The kernel package Debian's metapackage currently points at, e.g. linux-image-6.1.0-56-amd64. */
function currentKernelPackage(log: (l: string) => void): string {
  const query = () => {
    try {
      const out = execFileSync('apt-cache', ['depends', 'linux-image-amd64'], { encoding: 'utf8' });
      return /Depends: (linux-image-[0-9][^\s]*)/.exec(out)?.[1];
    } catch {
      return undefined;
    }
  };
  let pkg = query();
  if (!pkg) {
    log('refreshing the package lists to find the current Debian kernel');
    try {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    } catch {
      /* reported below */
    }
    pkg = query();
  }
  if (!pkg) throw new LabError('cannot find Debian\'s kernel package (apt-cache depends linux-image-amd64 names none): check the apt sources');
  return pkg;
}

function unpackKernel(pkg: string, dir: string, log: (l: string) => void): string {
  const version = pkg.replace(/^linux-image-/, '');
  const done = join(dir, '.unpacked');
  if (fileExists(done)) return version;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`downloading ${pkg} (about 70 MB, cached in ${dir})`);
  try {
    execFileSync('apt-get', ['download', pkg], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    throw new LabError(`could not download ${pkg}: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`);
  }
  const deb = readdirSync(dir).find((f) => f.endsWith('.deb'));
  if (!deb) throw new LabError(`apt-get download ${pkg} produced no .deb`);
  execFileSync('dpkg-deb', ['-x', deb, 'root'], { cwd: dir });
  execFileSync('depmod', ['-b', join(dir, 'root'), version]);
  rmSync(join(dir, deb));
  writeFileSync(done, `${pkg}\n`);
  return version;
}

/** Orders modules so that each comes after its dependencies (modules.dep lists them). */
export function resolveModuleOrder(modulesDep: string, wanted: string[]): string[] {
  const deps = new Map<string, string[]>();
  const byName = new Map<string, string>();
  for (const line of modulesDep.split('\n')) {
    const [path, rest] = line.split(':');
    if (!path || rest === undefined) continue;
    deps.set(path, rest.trim() ? rest.trim().split(/\s+/) : []);
    byName.set(path.replace(/^.*\//, '').replace(/\.ko(\.\w+)?$/, '').replace(/-/g, '_'), path);
  }
  const order: string[] = [];
  const visit = (path: string) => {
    if (order.includes(path)) return;
    // modules.dep lists a module's dependencies so that the last must load first
    for (const dep of [...(deps.get(path) ?? [])].reverse()) visit(dep);
    order.push(path);
  };
  for (const name of wanted) {
    const path = byName.get(name);
    if (!path) throw new LabError(`kernel module ${name} not found in this kernel package`);
    visit(path);
  }
  return order;
}

function buildInitramfs(kernelDir: string, version: string, out: string): void {
  const modRoot = join(kernelDir, 'root', 'lib', 'modules', version);
  const order = resolveModuleOrder(readFileSync(join(modRoot, 'modules.dep'), 'utf8'), WANTED_MODULES);
  const stage = `${out}.stage`;
  rmSync(stage, { recursive: true, force: true });
  for (const d of ['bin', 'dev', 'proc', 'sys', 'mnt', 'newroot', 'modules']) mkdirSync(join(stage, d), { recursive: true });
  copyFileSync('/bin/busybox', join(stage, 'bin', 'busybox'));
  chmodSync(join(stage, 'bin', 'busybox'), 0o755);
  const names = order.map((path, i) => {
    const name = `${String(i).padStart(2, '0')}-${path.replace(/^.*\//, '')}`;
    copyFileSync(join(modRoot, path), join(stage, 'modules', name));
    return name;
  });
  writeFileSync(join(stage, 'modules', 'order'), names.join('\n') + '\n');
  writeFileSync(join(stage, 'init'), INIT_SCRIPT, { mode: 0o755 });
  execFileSync('sh', ['-c', 'find . | cpio -o -H newc --quiet | gzip -1 > "$1"', 'sh', `${out}.tmp`], { cwd: stage });
  renameSync(`${out}.tmp`, out);
  rmSync(stage, { recursive: true, force: true });
}

/**
 * Returns a bootable kernel and initramfs, fetching and building what is not cached yet.
 * Installs qemu, busybox-static, kmod and cpio from Debian's archive when they are missing.
 */
export function prepareKernel(log: (line: string) => void = () => {}): LabKernel {
  ensureCommands(['qemu-system-x86_64', 'cpio', 'depmod', 'dpkg-deb', 'apt-get', 'gzip'], log);
  // a dynamically linked busybox cannot run inside the initramfs
  if (!dpkgInstalled('busybox-static')) aptInstall(['busybox-static'], log);
  const pkg = process.env.TIPCX_KERNEL_PACKAGE || currentKernelPackage(log);
  const dir = join(cacheDir(), 'kernel', pkg);
  const version = unpackKernel(pkg, dir, log);
  const vmlinuz = join(dir, 'root', 'boot', `vmlinuz-${version}`);
  const tag = createHash('sha256').update(INIT_SCRIPT).update(WANTED_MODULES.join()).digest('hex').slice(0, 12);
  const initramfs = join(dir, `initramfs-${tag}.cpio.gz`);
  if (!fileExists(initramfs)) {
    log(`building the lab initramfs for ${version}`);
    buildInitramfs(dir, version, initramfs);
  }
  return { version, vmlinuz, initramfs };
}
