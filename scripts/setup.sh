#!/usr/bin/env bash
# Prepare the project's environment: a virtualenv in .venv with the project installed.
# Usage: bash scripts/setup.sh [test]   ("test" adds the test tools and headless Chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "» creo l'ambiente Python in .venv"
  "$PY" -m venv .venv
fi
# Everything comes from a lock file with the hashes of every file (made by `bash scripts/lock.sh`
# with uv); the project itself is installed without dependencies and without build isolation
# (setuptools is pinned in the lock too), so nothing unpinned is downloaded.
lock=requirements.lock
[ "${1:-}" = "test" ] && lock=requirements-test.lock
atteso=$(.venv/bin/python scripts/impronta_dipendenze.py)
trovato=$(sed -n 's/^# impronta di pyproject.toml: //p' "$lock")
if [ "$atteso" != "$trovato" ]; then
  echo "! $lock non corrisponde a pyproject.toml (le dipendenze sono cambiate dopo l'ultimo lock)." >&2
  echo "  Rigenera i lock con: bash scripts/lock.sh   e fai il commit di pyproject.toml e dei due lock insieme." >&2
  exit 1
fi
echo "» installo le dipendenze Python da $lock (versioni e hash fissati)"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r "$lock"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
VNU_VERSION=26.9.27
if [ "${1:-}" = "test" ] && [ ! -f .cache/vnu/vnu.jar ] && command -v npm >/dev/null && command -v java >/dev/null; then
  # The Nu Html Checker, from the npm registry's vnu-jar package (a jar: needs only Java).
  echo "» scarico il Nu Html Checker (npm vnu-jar@${VNU_VERSION})"
  mkdir -p .cache/vnu
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "vnu-jar@${VNU_VERSION}" >/dev/null && tar xzf vnu-jar-*.tgz)
  cp "$tmp/package/build/dist/vnu.jar" .cache/vnu/vnu.jar
  rm -rf "$tmp"
fi
if [ "${1:-}" = "test" ] && [ ! -x /usr/bin/chromium ]; then
  # Browser tests use Debian's Chromium, never a browser downloaded by a test tool.
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "» installo Chromium (pacchetti Debian chromium e chromium-driver)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "! /usr/bin/chromium manca: i test nel browser saranno saltati (installa i pacchetti chromium e chromium-driver)" >&2
  fi
fi
