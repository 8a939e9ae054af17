"""Print the fingerprint of what pyproject.toml asks to install (dependencies, extras, build
requirements, Python version): the lock files carry the one they were made from, and
scripts/setup.sh refuses a lock whose fingerprint differs. Standard library only."""

import hashlib
import json
import sys
import tomllib
from pathlib import Path

root = Path(__file__).resolve().parent.parent
with open(root / "pyproject.toml", "rb") as fh:
    pp = tomllib.load(fh)
chiesto = {
    "requires-python": pp["project"].get("requires-python"),
    "dependencies": sorted(pp["project"].get("dependencies", [])),
    "optional-dependencies": {k: sorted(v) for k, v in sorted(pp["project"].get("optional-dependencies", {}).items())},
    "build-system": sorted(pp.get("build-system", {}).get("requires", [])),
}
if sys.argv[1:] == ["--build"]:  # the build requirements, one a line: pinned in the locks too
    print("\n".join(chiesto["build-system"]))
else:
    print(hashlib.sha256(json.dumps(chiesto, sort_keys=True).encode()).hexdigest())
