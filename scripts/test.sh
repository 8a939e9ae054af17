#!/usr/bin/env bash
# Set up and run the whole test suite (browser tests included when Chromium is there).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
export NO_MKDOCS_2_WARNING=1
echo "» ruff: stile e controlli del codice"
.venv/bin/ruff check scripts tests hooks
.venv/bin/ruff format --check scripts tests hooks
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "Nessun test eseguito: considerato un fallimento." >&2
  exit 1
fi
exit "$rc"
