"""Benchmark of the site build: synthetic sites of N records against a bare Material site.

    python scripts/bench_sito.py [N ...]        (default: 1000 2000 5000)

For each N: a copy of the project with N synthetic records (atlante.sintetici.genera), built by
`mkdocs build` with ATLANTE_SINTETICI=1 (synthetic records are published in this build only), and
a bare Material site with N plain Markdown pages (out of the nav too, like our record pages).
Prints build times, their ratio, total site size and the largest record page.
Targets: ratio <= 1.5, time(5000)/time(1000) <= 5.5, no record page over 60 KB.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from atlante.progetto import Progetto  # noqa: E402
from atlante.sintetici import genera  # noqa: E402

BARE_YML = """site_name: Bare
site_url: https://example.org/
theme:
  name: material
  language: it
  font: false
plugins:
  - search:
      lang: it
not_in_nav: |
  /p/*.md
"""


def _mkdocs(cwd: Path, env: dict) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(cwd / "site")], cwd=cwd,
                   env=env, check=True)
    return time.perf_counter() - t0


def _size(d: Path) -> int:
    return sum(p.stat().st_size for p in d.rglob("*") if p.is_file())


def atlante(tmp: Path, n: int) -> tuple[float, int, int]:
    dest = tmp / f"atlante-{n}"
    shutil.copytree(ROOT / "data", dest / "data")
    for name in ("content", "hooks", "site_overrides"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    genera(Progetto(dest), n)
    env = dict(os.environ, ATLANTE_SINTETICI="1", NO_MKDOCS_2_WARNING="1",
               PYTHONPATH=str(ROOT / "scripts") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    t = _mkdocs(dest, env)
    pages = list((dest / "site" / "enti").glob("*/*/index.html"))
    return t, _size(dest / "site"), max(p.stat().st_size for p in pages)


def bare(tmp: Path, n: int) -> float:
    dest = tmp / f"bare-{n}"
    (dest / "docs" / "p").mkdir(parents=True)
    (dest / "mkdocs.yml").write_text(BARE_YML, encoding="utf-8")
    (dest / "docs" / "index.md").write_text("# Bare\n", encoding="utf-8")
    for i in range(n):
        (dest / "docs" / "p" / f"p{i:05d}.md").write_text(
            f"# Pagina {i}\n\nUna pagina semplice numero {i}, con un paragrafo di testo.\n\n"
            "## Dove\n\nVia Roma 1, Crema.\n", encoding="utf-8")
    return _mkdocs(dest, dict(os.environ, NO_MKDOCS_2_WARNING="1"))


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [1000, 2000, 5000]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-sito-") as d:
        tmp = Path(d)
        for n in sizes:
            t_a, tot, big = atlante(tmp, n)
            t_b = bare(tmp, n)
            rows.append((n, t_a, t_b, t_a / t_b, tot, big))
            print(f"{n:>6} schede: atlante {t_a:6.1f} s, Material semplice {t_b:6.1f} s, "
                  f"rapporto {t_a / t_b:4.2f}, sito {tot / 1e6:6.1f} MB, scheda più grande {big / 1024:5.1f} KB",
                  flush=True)
    print("\n| schede | atlante (s) | Material semplice (s) | rapporto | sito (MB) | scheda più grande (KB) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n, t_a, t_b, r, tot, big in rows:
        print(f"| {n} | {t_a:.1f} | {t_b:.1f} | {r:.2f} | {tot / 1e6:.1f} | {big / 1024:.1f} |")
    if len(rows) > 1:
        print(f"\ntempo({rows[-1][0]}) / tempo({rows[0][0]}) = {rows[-1][1] / rows[0][1]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
