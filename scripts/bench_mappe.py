"""Benchmark of the maps on synthetic records: generation time and bytes per point.

    python scripts/bench_mappe.py [N ...]      (default: 1000 10000)

For each N: writes N synthetic records (atlante.sintetici.genera) into a temporary copy of the
project, loads them (time shown apart: YAML parsing is not map work), then times the map
generation (dati/enti.geojson, mappa/punti.json, dati/confini.geojson and the page mappa.md, as
the build makes them) and prints the bytes the map page loads: its Markdown page (the rendered
HTML adds a constant theme frame, independent of N) + punti.json + confini.geojson, raw and
gzipped; the open-data enti.geojson (not loaded by the map) is shown apart.
Targets (issue 4): generation < 1 s for 10,000 points; growth <= 200 bytes per point.
"""

from __future__ import annotations

import gzip
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from atlante.lettura.progetto import Progetto  # noqa: E402
from atlante.mappe.geodati import OPZIONE_SINTETICI, file_geografici  # noqa: E402
from atlante.mappe.pagina import mappa  # noqa: E402
from atlante.motore import genera as gen  # noqa: E402
from atlante.strumenti.sintetici import genera as genera_sintetici  # noqa: E402


def misura(n: int) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"bench-mappe-{n}-") as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "data", root / "data")
        shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
        for f in (root / "data" / "enti").glob("*/*.yml"):
            f.unlink()  # only synthetic records: sizes are exact
        progetto = Progetto(root)
        genera_sintetici(progetto, n)
        t0 = time.perf_counter()
        ctx = gen.contesto(progetto, config={"atlante": {}}, includi_sintetici=True, opzioni={OPZIONE_SINTETICI: True})
        t_load = time.perf_counter() - t0
        t0 = time.perf_counter()
        pagine = [*file_geografici(ctx), *mappa(ctx)]
        t_map = time.perf_counter() - t0
        byts = {p.path: len(p.contenuto.encode("utf-8")) for p in pagine}
        gz = {p.path: len(gzip.compress(p.contenuto.encode("utf-8"), 6)) for p in pagine}
        punti = len(ctx.__dict__["_enti_geojson"]["features"])
        mappa_carica = [k for k in byts if k != "dati/enti.geojson"]
        return {
            "n": n,
            "punti": punti,
            "caricamento_s": t_load,
            "generazione_s": t_map,
            "byte": sum(byts[k] for k in mappa_carica),
            "byte_gzip": sum(gz[k] for k in mappa_carica),
            "geojson_byte": byts["dati/enti.geojson"],
            "dettaglio": byts,
        }


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [1000, 10000]
    rows = []
    print(
        "| schede | punti | lettura YAML (s) | generazione mappa (s) | byte pagina+dati | byte/punto | gzip byte/punto "
        "| enti.geojson byte/punto |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for n in sizes:
        r = misura(n)
        rows.append(r)
        print(
            f"| {r['n']} | {r['punti']} | {r['caricamento_s']:.2f} | {r['generazione_s']:.3f} | {r['byte']} | "
            f"{r['byte'] / r['punti']:.0f} | {r['byte_gzip'] / r['punti']:.0f} | "
            f"{r['geojson_byte'] / r['punti']:.0f} |",
            flush=True,
        )
    for r in rows:
        print(f"  {r['n']}: " + ", ".join(f"{k} {v} B" for k, v in sorted(r["dettaglio"].items())))
    if len(rows) > 1:
        a, b = rows[0], rows[-1]
        crescita = (b["byte"] - a["byte"]) / (b["punti"] - a["punti"])
        crescita_gz = (b["byte_gzip"] - a["byte_gzip"]) / (b["punti"] - a["punti"])
        esito_byte = "OK" if crescita <= 200 else "OLTRE L'OBIETTIVO"
        print(
            f"crescita della pagina mappa per punto da {a['punti']} a {b['punti']} punti: {crescita:.0f} byte "
            f"({crescita_gz:.0f} byte compressi gzip); obiettivo <= 200: {esito_byte}"
        )
    ultimo = rows[-1]
    esito = "OK" if ultimo["generazione_s"] < 1 else "OLTRE L'OBIETTIVO"
    print(f"generazione per {ultimo['punti']} punti: {ultimo['generazione_s']:.3f} s (obiettivo < 1 s): {esito}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
