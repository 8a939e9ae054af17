#!/usr/bin/env bash
# Set up and build the public site from the shipped data into site/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export NO_MKDOCS_2_WARNING=1
.venv/bin/atlante build "$@"
