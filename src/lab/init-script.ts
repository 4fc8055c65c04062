// PID 1 of every lab VM (busybox sh inside the initramfs). It loads the modules,
// builds the root (the host's / read-only over 9p, a tmpfs overlay on top),
// runs the payload script named on the kernel command line in a chroot, and
// reports the payload's exit status between markers the host looks for.
export const BEGIN_MARKER = 'TIPCX-LAB-BEGIN';
export const EXIT_MARKER = 'TIPCX-LAB-EXIT';

export const INIT_SCRIPT = `#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
while read m; do insmod /modules/$m || echo "tipcx-lab: insmod $m failed"; done < /modules/order
payload=
rw=
for arg in $(cat /proc/cmdline); do
  case $arg in
    tipcx.payload=*) payload=\${arg#*=} ;;
    tipcx.rw=*) rw=\${arg#*=} ;;
  esac
done
die() { echo "tipcx-lab: $*"; echo "${EXIT_MARKER} 125"; poweroff -f; }
mkdir -p /mnt/lower /mnt/rw
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000 hostroot /mnt/lower || die "cannot mount the host root over 9p"
mount -t tmpfs tmpfs /mnt/rw
mkdir -p /mnt/rw/upper /mnt/rw/work
mount -t overlay overlay -o lowerdir=/mnt/lower,upperdir=/mnt/rw/upper,workdir=/mnt/rw/work /newroot || die "cannot mount the overlay root"
R=/newroot
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
i=0
for d in $(echo "$rw" | tr , ' '); do
  mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 rw$i $R$d || die "cannot mount writable share $d"
  i=$((i+1))
done
ip link set lo up
hostname tipcx-lab
echo ${BEGIN_MARKER}
chroot $R /bin/sh "$payload" < /dev/console
echo "${EXIT_MARKER} $?"
sync
poweroff -f
`;
