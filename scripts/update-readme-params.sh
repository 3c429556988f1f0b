#!/usr/bin/env bash
# Rewrites README.md's parameter table from 'ftpsim params --markdown' (run after adding a parameter).
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/ftpsim}
table=$("$binary" params --markdown)
python3 - "$table" <<'PY'
import re, sys
readme = open("README.md").read()
new = re.sub(r"(<!-- params:begin -->\n).*?(<!-- params:end -->)", lambda m: m.group(1) + sys.argv[1] + "\n" + m.group(2), readme, flags=re.S)
open("README.md", "w").write(new)
PY
