// PID 1 of every lab kernel: the host's own /bin/sh, reading this script from
// the host's root (hostfs, read-only). It puts a tmpfs overlay on that root,
// makes the kernel's modules visible at /lib/modules/RELEASE so that modprobe
// loads them in dependency order, runs the payload in a chroot, and reports its
// exit status between markers the host looks for.
import { shellQuote } from './quote.js';

export const BEGIN_MARKER = 'TIPCX-LAB-BEGIN';
export const EXIT_MARKER = 'TIPCX-LAB-EXIT';

/** Modules loaded after the root is built; gcm, ctr and ghash for TIPC encryption (node set key). */
const LAB_MODULES = ['tipc', 'diag', 'veth', 'bridge', 'gcm', 'ctr', 'ghash_generic'];

export interface InitScriptOptions {
    /** lib/modules/RELEASE of the kernel package, on the host. */
    modules: string;
    release: string;
    /** The payload script, on the host. */
    payload: string;
    /** Host directories mounted read-write at the same path (hostfs). */
    writable: string[];
    hostname: string;
    /** The payload reads the console (a shell) instead of /dev/null. */
    interactive: boolean;
}

export function initScript(o: InitScriptOptions): string {
    const q = shellQuote;
    return `#!/bin/sh
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
# sysrq is built in and needs nothing from the root: the one reliable power-off
off() { sync; echo o > /proc/sysrq-trigger; sleep 5; }
die() { echo "tipcx-lab: $*"; echo "${EXIT_MARKER} 125"; off; }
mount -t proc proc /proc
mount -t sysfs sysfs /sys
insmod ${q(`${o.modules}/kernel/fs/overlayfs/overlay.ko`)} || die "cannot load the overlay module"
# devtmpfs is the only writable place at this point: the overlay is built under it
S=/dev/.tipcx
mkdir -p $S && mount -t tmpfs tmpfs $S || die "cannot mount a tmpfs"
mkdir -p $S/upper $S/work $S/root
mount -t overlay overlay -o lowerdir=/,upperdir=$S/upper,workdir=$S/work $S/root || die "cannot mount the overlay root"
R=$S/root
mount -t proc proc $R/proc
mount -t sysfs sysfs $R/sys
mount -t devtmpfs devtmpfs $R/dev
mkdir -p $R/dev/pts $R/dev/shm
mount -t devpts -o ptmxmode=0666 devpts $R/dev/pts
mount -t tmpfs tmpfs $R/dev/shm
ln -sfn /proc/self/fd $R/dev/fd
ln -sf /proc/self/fd/0 $R/dev/stdin
ln -sf /proc/self/fd/1 $R/dev/stdout
ln -sf /proc/self/fd/2 $R/dev/stderr
# /run is fresh (ip netns keeps its bind mounts there); /tmp stays the host's,
# seen through the writable overlay, because the checkout may live under it
mount -t tmpfs tmpfs $R/run
${o.writable.map((d) => `mount -t hostfs none $R${q(d)} -o ${q(d)} || die ${q(`cannot mount ${d} read-write`)}`).join('\n')}
mkdir -p $R/lib/modules && ln -sfn ${q(o.modules)} $R/lib/modules/${q(o.release)}
# the kernel's own module requests (a crypto template, say) run modprobe in this
# root, where the modules are not: send them into the chroot, as on a real machine
printf '#!/bin/sh\nexec chroot %s modprobe "$@"\n' $R > $S/modprobe && chmod 755 $S/modprobe && echo $S/modprobe > /proc/sys/kernel/modprobe
chroot $R modprobe -a ${LAB_MODULES.join(' ')} || die "cannot load the TIPC modules"
chroot $R ip link set lo up
hostname ${q(o.hostname)}
echo ${BEGIN_MARKER}
chroot $R /bin/sh ${q(o.payload)} < ${o.interactive ? '/dev/console' : '/dev/null'}
echo "${EXIT_MARKER} $?"
off
`;
}
