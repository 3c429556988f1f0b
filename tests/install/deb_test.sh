#!/usr/bin/env bash
# The Debian package: built by CPack from BUILD, installed with 'apt-get install ./ftpsim_*.deb' (which
# pulls the libraries dpkg-shlibdeps named), run from /tmp (the KB scenario: 24 rejections before the
# first accepted PORT; a bundled platform by name; the man page; the completion), then removed.
# It changes the machine's packages, so it runs only as root with CI or FTPSIM_TEST_DEB=1 set, and
# otherwise exits 77 (CTest's skip) saying so.
#   deb_test.sh BUILD
set -euo pipefail
build=$(cd "$1" && pwd)
if [ "$(id -u)" != 0 ] || { [ -z "${CI:-}" ] && [ "${FTPSIM_TEST_DEB:-}" != 1 ]; }; then
  echo "SKIP: installs a package system-wide; runs as root with CI or FTPSIM_TEST_DEB=1 set"
  exit 77
fi
if dpkg-query -W -f='${Status}' ftpsim 2>/dev/null | grep -q "install ok installed"; then
  echo "FAIL: a package ftpsim is installed already; this test would remove it"
  exit 1
fi
work=$(mktemp -d /tmp/ftpsim-deb-XXXXXX)
cleanup() {
  DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq ftpsim >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
(cd "$work" && cpack --config "$build/CPackConfig.cmake" -B "$work" >/dev/null)
deb=$(ls "$work"/ftpsim_*.deb)
echo "built $(basename "$deb"): depends on $(dpkg-deb -f "$deb" Depends)"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >/dev/null
cd /tmp
out=$(ftpsim --out "$work/kb")
echo "$out" | grep -q "rejected before the first accepted PORT: 24" || { echo "FAIL: $out"; exit 1; }
ftpsim run two-sites.xml --quiet --out "$work/two" || { echo "FAIL: bundled platform by name"; exit 1; }
[ "$(command -v ftpsim)" = /usr/bin/ftpsim ] || { echo "FAIL: not /usr/bin/ftpsim"; exit 1; }
for file in /usr/share/ftpsim/platforms/two-sites.xml /usr/share/ftpsim/experiments/e1-kb.ini \
  /usr/share/bash-completion/completions/ftpsim /usr/bin/ftpsim-plot; do
  [ -e "$file" ] || { echo "FAIL: $file not installed"; exit 1; }
done
if command -v help2man >/dev/null; then
  [ -e /usr/share/man/man1/ftpsim.1.gz ] || [ -e /usr/share/man/man1/ftpsim.1 ] || { echo "FAIL: no man page"; exit 1; }
fi
echo "the package installs, runs the KB scenario from /tmp and finds two-sites.xml by name: ok"
