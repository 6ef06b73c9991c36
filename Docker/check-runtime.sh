#!/usr/bin/env bash
# Checks the Dockerfile's runtime stage without a Docker engine: a minimal Debian bookworm root
# made with debootstrap, only libpq5 added (as the Dockerfile does), the yilian binary built with
# a static Swift runtime copied in, then run there as a non-root user: --version, a JSON-RPC ping,
# and ldd to show what it links. Needs root (chroot) and the Debian mirror.
set -euo pipefail
cd "$(dirname "$0")/.."
root=${ROOT:-/tmp/yilian-bookworm-runtime}
command -v debootstrap >/dev/null || { echo "installing debootstrap with apt-get"; apt-get install -y -qq debootstrap >/dev/null; }

swift build -c release --product yilian --static-swift-stdlib --scratch-path .build-static >/dev/null
binary=$(swift build -c release --product yilian --static-swift-stdlib --scratch-path .build-static --show-bin-path)/yilian

if [ ! -x "$root/bin/sh" ]; then
    debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
fi
chroot "$root" /bin/sh -c 'apt-get install -y -qq --no-install-recommends libpq5 >/dev/null && (id yilian >/dev/null 2>&1 || useradd --system --home-dir /var/lib/yilian --create-home yilian)'
install -m 0755 "$binary" "$root/usr/local/bin/yilian"
# Swift reads its arguments from /proc/self/cmdline: a container has /proc, a bare chroot not.
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
trap 'umount "$root/proc" 2>/dev/null || true' EXIT

echo "packages beyond the minimal base: $(chroot "$root" dpkg-query -W -f '${Package} ' libpq5)"
echo "yilian --version in the runtime root: $(chroot "$root" runuser -u yilian -- /usr/local/bin/yilian --version)"
echo -n "JSON-RPC ping in the runtime root: "
echo '{"jsonrpc":"2.0","id":1,"method":"system.ping"}' \
    | chroot "$root" runuser -u yilian -- env YILIAN_DATABASE_URL=postgresql:///none?host=/nonexistent /usr/local/bin/yilian serve
echo "what the binary links:"
chroot "$root" ldd /usr/local/bin/yilian | sed 's/ (0x[0-9a-f]*)//'
