#!/usr/bin/env bash
# Regenerate the lock files from pyproject.toml, after any change to its dependencies:
#   bash scripts/lock.sh
# requirements.lock (the site: what the publish workflow installs) and requirements-test.lock
# (everything: the site, the test tools, uv) pin the whole dependency tree for Python 3.11 with
# the hashes of every file, made by uv (`uv pip compile --universal --generate-hashes`).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
if [ ! -x .venv/bin/uv ]; then
  # uv itself, at the version and hashes pinned in the current test lock
  .venv/bin/python - <<'PY' > .venv/uv.lock.txt
import re
testo = open("requirements-test.lock", encoding="utf-8").read()
print(re.search(r"^uv==.*?(?=^\S|\Z)", testo, re.S | re.M)[0])
PY
  .venv/bin/python -m pip install --quiet --require-hashes -r .venv/uv.lock.txt
fi
impronta=$(.venv/bin/python scripts/impronta_dipendenze.py)
build=$(mktemp --suffix=.in)
trap 'rm -f "$build"' EXIT
.venv/bin/python scripts/impronta_dipendenze.py --build > "$build"
for out in requirements.lock requirements-test.lock; do
  extra=()
  [ "$out" = requirements-test.lock ] && extra=(--all-extras)
  # the current pins are uv's preferences: a new dependency does not upgrade everything else
  [ -f "$out" ] && grep -v '^#' "$out" > "$out.nuovo"
  .venv/bin/uv pip compile pyproject.toml "$build" "${extra[@]}" --universal --python-version 3.11 \
    --generate-hashes --no-header --quiet --index-url https://pypi.org/simple -o "$out.nuovo"
  {
    echo "# Generato da: bash scripts/lock.sh (uv pip compile, Python 3.11). Non modificare a mano."
    echo "# impronta di pyproject.toml: $impronta"
    sed "s|$build|pyproject.toml (build-system)|" "$out.nuovo"
  } > "$out"
  rm -f "$out.nuovo"
  echo "» $out: $(grep -c '^[a-z0-9]' "$out") pacchetti"
done
