"""`atlante bench`: every benchmark of the project in one run, on synthetic data of growing size.

For each size N: validation time, full build time, the build time of a bare Material site with
N plain pages and the ratio between the two, map payload per point, search index bytes per
record, Pagefind's indexing time and the bytes a first and a second finder query download in
Chromium (bench_ricerca), largest page. Prints a table and writes JSON. A command, never a test: timings depend
on the machine, the ratios are what to watch (linear growth keeps them flat).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from atlante.lettura.progetto import Progetto
from atlante.motore.preparazione import ENV_SINTETICI
from atlante.strumenti.bench_pagine import BUDGET_OLTRE_IL_TEMA_KB, byte_schede
from atlante.strumenti.bench_ricerca import byte_query, tempo_indicizzazione
from atlante.strumenti.sintetici import genera


def _copy_project(src: Path, dest: Path) -> Path:
    for name in ("data", "content", "hooks", "site_overrides"):
        if (src / name).exists():
            shutil.copytree(src / name, dest / name)
    shutil.copy(src / "mkdocs.yml", dest / "mkdocs.yml")
    for f in (dest / "data" / "enti").glob("*/*.yml"):
        f.unlink()  # only synthetic records: sizes are exact
    return dest


def _mkdocs_build(config: Path, site: Path, env: dict) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one `mkdocs build` in a child process.

    CPU time (user + sys of the build and its children) is printed beside wall time: on a machine
    shared with other work it moves much less than wall time."""
    cpu0 = _cpu_figli()
    start = time.perf_counter()
    res = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
        capture_output=True,
        text=True,
        env=env,
    )
    elapsed = time.perf_counter() - start
    if res.returncode != 0:
        raise RuntimeError(f"build fallita ({config}):\n{res.stdout[-3000:]}{res.stderr[-3000:]}")
    return elapsed, _cpu_figli() - cpu0


def _cpu_figli() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _bare_material(dest: Path, n: int) -> Path:
    """A plain Material site with n small pages (none in the nav), as the yardstick."""
    docs = dest / "docs"
    (docs / "p").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    for i in range(n):
        (docs / "p" / f"pagina-{i:05d}.md").write_text(
            f"# Pagina {i}\n\nTesto di prova numero {i}, con un paragrafo breve.\n", encoding="utf-8"
        )
    cfg = dest / "mkdocs.yml"
    cfg.write_text(
        "site_name: Bare\ntheme:\n  name: material\n  language: it\n  font: false\n"
        "nav:\n  - index.md\nnot_in_nav: |\n  /p/\nplugins:\n  - search:\n      lang: it\n",
        encoding="utf-8",
    )
    return cfg


def _bytes(path: Path) -> int:
    return path.stat().st_size if path.is_file() else 0


def misura(root: Path, n: int, env: dict) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"atlante-bench-{n}-") as tmp:
        tmp = Path(tmp)
        proj = _copy_project(root, tmp / "progetto")
        progetto = Progetto(proj)
        genera(progetto, n)
        from atlante.validazione.controlli import validate

        start = time.perf_counter()
        problems = validate(Progetto(proj))
        t_val = time.perf_counter() - start
        if any(p.is_error for p in problems):
            raise RuntimeError("dati sintetici non validi: " + problems[0].text())
        site = tmp / "site"
        t_build, cpu_build = _mkdocs_build(proj / "mkdocs.yml", site, {**env, ENV_SINTETICI: "1"})
        bare_cfg = _bare_material(tmp / "bare", n)
        t_bare, cpu_bare = _mkdocs_build(bare_cfg, tmp / "bare-site", env)
        pages = list(site.rglob("*.html"))
        largest = max(pages, key=_bytes)
        record_pages = [
            p
            for p in pages
            if "/enti/" in p.as_posix()
            and p.parent.name != "enti"
            and p.parent.parent.name in ("ets", "biblioteche", "udo", "patti")
        ]
        geo = site / "dati" / "enti.geojson"
        n_points = len(json.loads(geo.read_text(encoding="utf-8"))["features"]) if geo.is_file() else 0
        # what the map page loads: its HTML, the compact points and the boundaries
        map_bytes = sum(_bytes(site / f) for f in ("mappa/index.html", "mappa/punti.json", "dati/confini.geojson"))
        t_indice = tempo_indicizzazione(site)
        scheda = max(record_pages, key=_bytes).parent.relative_to(site).as_posix() + "/"
        peso = byte_schede(site, [scheda])[scheda]
        ricerca = byte_query(site)
        return {
            "schede": n,
            "validazione_s": round(t_val, 2),
            "build_s": round(t_build, 2),
            "material_nudo_s": round(t_bare, 2),
            "rapporto_build": round(t_build / t_bare, 2),
            "rapporto_cpu": round(cpu_build / cpu_bare, 2),
            "sito_mb": round(sum(_bytes(p) for p in site.rglob("*") if p.is_file()) / 1e6, 1),
            "pagina_piu_grande": f"{largest.relative_to(site).as_posix()} ({_bytes(largest) // 1024} KB)",
            "scheda_piu_grande_kb": max((_bytes(p) for p in record_pages), default=0) // 1024,
            "mappa_byte_per_punto": round(map_bytes / n_points) if n_points else None,
            "indice_ricerca_byte_per_scheda": round(sum(_bytes(p) for p in (site / "pagefind").rglob("*")) / n),
            "indicizzazione_s": round(t_indice, 2),
            "ricerca_byte": ricerca,
            "scheda_trasferita": {"scheda": scheda, **peso},
        }


def esegui(root: Path, sizes: list[int], out_json: Path | None, colonne: list[str] | None = None) -> list[dict]:
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parent.parent), os.environ.get("PYTHONPATH", "")]),
    }
    rows = []
    for n in sizes:
        print(f"» {n} schede sintetiche...", file=sys.stderr, flush=True)
        rows.append(misura(root, n, env))
        _print_row(rows[-1], header=len(rows) == 1, colonne=colonne or _COLS)
    worst = max(r["rapporto_build"] for r in rows)
    print(
        f"rapporto con Material nudo (tempo reale): al massimo {worst:.2f}; obiettivo <= 1,5: "
        + ("OK" if worst <= 1.5 else "OLTRE L'OBIETTIVO")
    )
    big = max(r["scheda_piu_grande_kb"] for r in rows)
    print(f"scheda più grande: {big} KB; obiettivo <= 60 KB: " + ("OK" if big <= 60 else "OLTRE L'OBIETTIVO"))
    print(
        "indicizzazione Pagefind: "
        + "; ".join(f"{r['schede']:,} schede {r['indicizzazione_s']:.2f} s".replace(",", ".") for r in rows)
    )
    for r in rows:
        b = r["ricerca_byte"]
        if "motivo" in b:
            print(f"byte scaricati dalla ricerca ({r['schede']} schede): non misurati, {b['motivo']}")
            continue
        print(
            f"byte scaricati dal cercatore ({r['schede']} schede, Chromium): prima di scrivere "
            f"{b['prima_di_cercare_kb']} KB; prima query con filtro {b['prima_query_kb']} KB "
            f"(gzip {b['prima_query_gzip_kb']} KB; obiettivo <= 400 KB); seconda query "
            f"{b['seconda_query_kb']} KB (gzip {b['seconda_query_gzip_kb']} KB; obiettivo <= 100 KB)"
        )
    for r in rows:
        p = r["scheda_trasferita"]
        if "motivo" in p:
            print(f"byte scaricati da una scheda ({r['schede']} schede): non misurati, {p['motivo']}")
            continue
        print(
            f"byte scaricati dalla scheda più grande ({r['schede']} schede, Chromium, {p['scheda']}): "
            f"HTML {p['html_kb']} KB; tema e risorse di ogni pagina {p['comuni_a_ogni_pagina_kb']} KB; "
            f"oltre il tema {p['oltre_il_tema_kb']} KB (obiettivo <= {BUDGET_OLTRE_IL_TEMA_KB} KB)"
            + (f": {', '.join(p['oltre_il_tema'])}" if p["oltre_il_tema"] else "")
        )
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        crescita = last["build_s"] / first["build_s"]
        lineare = last["schede"] / first["schede"]
        print(
            f"crescita del tempo di build {last['schede']}/{first['schede']} schede: {crescita:.2f} "
            f"(lineare = {lineare:.1f}; obiettivo 5.000/1.000 <= 5,5)"
        )
    result = {
        "macchina": f"{platform.machine()}, {os.cpu_count()} core, Python {platform.python_version()}",
        "data": time.strftime("%Y-%m-%d"),
        "misure": rows,
    }
    if out_json:
        out_json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return rows


_COLS = [
    "schede",
    "validazione_s",
    "build_s",
    "material_nudo_s",
    "rapporto_build",
    "rapporto_cpu",
    "sito_mb",
    "scheda_piu_grande_kb",
    "mappa_byte_per_punto",
    "indice_ricerca_byte_per_scheda",
    "pagina_piu_grande",
]


def _print_row(row: dict, header: bool, colonne: list[str]) -> None:
    if header:
        print("| " + " | ".join(colonne) + " |")
        print("|" + "---|" * len(colonne))
    print("| " + " | ".join(str(row.get(c, "")) for c in colonne) + " |", flush=True)
