#!/usr/bin/env bash
# Fails when a C source or header tracked by git differs from what clang-format (.clang-format) makes of it.
# Fix with: clang-format -i $(git ls-files '*.c' '*.h')
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.c' '*.h')
if ! clang-format --dry-run --Werror "${files[@]}" 2>/tmp/ftpsim-format.$$; then
  grep 'error: code should be clang-formatted' /tmp/ftpsim-format.$$ | cut -d: -f1 | sort -u | sed 's/^/  not formatted: /'
  rm -f /tmp/ftpsim-format.$$
  echo "check-format: run 'clang-format -i \$(git ls-files \"*.c\" \"*.h\")' (clang-format $(clang-format --version | grep -o '[0-9][0-9.]*' | head -1))"
  exit 1
fi
rm -f /tmp/ftpsim-format.$$
echo "check-format: ${#files[@]} files conform to .clang-format"
