"""Derive data/territorio/ from the province-wide geodata (one-off, re-runnable).

Usage: python scripts/prepara_territorio.py GEODATA_DIR AMBITO
e.g.   python scripts/prepara_territorio.py ../shared/geodata Cremasco

Writes comuni.csv, alias.csv and confini.geojson for the comuni whose `ambito`
column equals AMBITO. Sub-ambiti are edited by hand in data/territorio/ambito.yml.
"""

import csv
import json
import sys
from pathlib import Path

COLUMNS = [
    "istat",
    "nome",
    "codice_catastale",
    "cap",
    "residenti",
    "lat",
    "lon",
    "bbox_min_lon",
    "bbox_min_lat",
    "bbox_max_lon",
    "bbox_max_lat",
    "sito_web",
]


def main(geodata: Path, ambito: str, out: Path) -> None:
    rows = [r for r in csv.DictReader(open(geodata / "comuni_cremona.csv", encoding="utf-8")) if r["ambito"] == ambito]
    codes = {r["istat"] for r in rows}
    with open(out / "comuni.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for r in sorted(rows, key=lambda r: r["istat"]):
            w.writerow(
                [
                    r["istat"],
                    r["nome"],
                    r["codice_catastale"],
                    r["cap"],
                    r["residenti_anpr_2026_01"],
                    r["lat"],
                    r["lon"],
                    r["bbox_min_lon"],
                    r["bbox_min_lat"],
                    r["bbox_max_lon"],
                    r["bbox_max_lat"],
                    r["sito_web_ipa"],
                ]
            )
    aliases = [
        r for r in csv.DictReader(open(geodata / "comuni_cremona_alias.csv", encoding="utf-8")) if r["istat"] in codes
    ]
    with open(out / "alias.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["alias", "istat", "nota"])
        for r in aliases:
            w.writerow([r["alias"], r["istat"], r["nota"]])
    gj = json.load(open(geodata / "cremona_comuni.geojson", encoding="utf-8"))
    feats = [
        {
            "type": "Feature",
            "properties": {"istat": f["properties"]["com_istat_code"], "nome": f["properties"]["name"]},
            "geometry": f["geometry"],
        }
        for f in gj["features"]
        if f["properties"]["com_istat_code"] in codes
    ]
    feats.sort(key=lambda f: f["properties"]["istat"])
    with open(out / "confini.geojson", "w", encoding="utf-8") as fh:
        json.dump(
            {
                "type": "FeatureCollection",
                "attribution": "Confini comunali: ISTAT, elaborazione Openpolis "
                "(github.com/openpolis/geojson-italy), CC BY 4.0",
                "features": feats,
            },
            fh,
            ensure_ascii=False,
            separators=(",", ":"),
        )
    print(f"{len(rows)} comuni, {len(aliases)} alias, {len(feats)} confini -> {out}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), sys.argv[2], Path(__file__).resolve().parent.parent / "data" / "territorio")
