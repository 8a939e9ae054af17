"""Benchmark: `atlante validate` time on N synthetic records (a command, not a test).

Usage: python scripts/bench_validate.py [N ...]   (default: 1000 5000 10000)
Prints one line per size and the ratio time/records relative to the smallest size:
a ratio near 1 means validation stays linear in the number of records.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from atlante.lettura.progetto import Progetto  # noqa: E402
from atlante.strumenti.sintetici import genera  # noqa: E402


def main(sizes: list[int]) -> None:
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            dest = Path(tmp)
            shutil.copytree(ROOT / "data", dest / "data")
            shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
            genera(Progetto(dest), n)
            start = time.perf_counter()
            res = subprocess.run(
                [sys.executable, "-m", "atlante", "--root", str(dest), "validate", "--format", "json"],
                capture_output=True,
                text=True,
                env={"PYTHONPATH": str(ROOT / "scripts"), "PATH": "/usr/bin:/bin"},
            )
            elapsed = time.perf_counter() - start
            if res.returncode != 0:
                sys.exit(f"validazione fallita su {n} schede:\n{res.stdout[-2000:]}{res.stderr[-2000:]}")
            rows.append((n, elapsed))
            print(f"{n:>7} schede: validate {elapsed:6.2f} s  ({elapsed / n * 1000:.3f} ms/scheda)", flush=True)
    n0, t0 = rows[0]
    for n, t in rows[1:]:
        print(f"rapporto tempo/scheda {n} vs {n0}: {(t / n) / (t0 / n0):.2f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 5000, 10000])
