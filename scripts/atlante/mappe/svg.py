"""The small map of a record page as inline SVG, made at build time.

A record page shows one place: its comune's outline with the point, or the whole comune shaded when
the position is approximate (no `posizione`: the point would only be the comune's centre), or the
area of a pact's comuni. No map library, no request: a few kilobytes of path data in the page.
Coordinates are projected with an equirectangular projection scaled by cos(latitude), fine for
an area a few tens of kilometres wide, and rounded to a tenth of the drawing's unit.
"""

from __future__ import annotations

import math

from atlante.modello.sito import Contesto

LARGHEZZA = 320  # drawing units (the SVG scales to its box)
MARGINE = 8


def _anelli(geom: dict) -> list[list[list[float]]]:
    if geom["type"] == "Polygon":
        return list(geom["coordinates"])
    if geom["type"] == "MultiPolygon":
        return [r for poly in geom["coordinates"] for r in poly]
    return []


def _geometrie(ctx: Contesto) -> dict[str, list]:
    chiave = "_svg_anelli"
    if chiave not in ctx.opzioni:
        ctx.opzioni[chiave] = {
            f["properties"]["istat"]: _anelli(f["geometry"]) for f in ctx.territorio.confini_geojson["features"]
        }
    return ctx.opzioni[chiave]


def mappa_svg(ctx: Contesto, istat: list[str], punto: tuple[float, float] | None) -> dict | None:
    """{viewbox, larghezza, altezza, percorso, punto: (x, y) | None} for the comuni `istat`
    (ISTAT codes) and the record's exact point (lon, lat), or None when no outline is known.
    The outline of a set of comuni is drawn once per build: many records share it."""
    sagoma = ctx.memo("svg:" + " ".join(istat), lambda: _sagoma(ctx, istat))
    if sagoma is None:
        return None
    xy, disegno = sagoma
    return {**disegno, "punto": xy(*punto) if punto else None}


def _sagoma(ctx: Contesto, istat: list[str]):
    """(projection of a point, the drawing of the outline) for the comuni `istat`, or None."""
    anelli = [r for i in istat for r in _geometrie(ctx).get(i, [])]
    if not anelli:
        return None
    lons = [c[0] for r in anelli for c in r]
    lats = [c[1] for r in anelli for c in r]
    lon0, lon1, lat0, lat1 = min(lons), max(lons), min(lats), max(lats)
    kx = math.cos(math.radians((lat0 + lat1) / 2))
    ampiezza = max((lon1 - lon0) * kx, 1e-9)
    scala = (LARGHEZZA - 2 * MARGINE) / ampiezza
    altezza = round((lat1 - lat0) * scala + 2 * MARGINE)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return round(MARGINE + (lon - lon0) * kx * scala, 1), round(MARGINE + (lat1 - lat) * scala, 1)

    parti = []
    for r in anelli:
        punti: list[tuple[float, float]] = []
        for lon, lat in (c[:2] for c in r):
            p = xy(lon, lat)
            if not punti or abs(p[0] - punti[-1][0]) + abs(p[1] - punti[-1][1]) >= 1:
                punti.append(p)  # drop vertices closer than one unit to the previous one
        if len(punti) >= 3:
            parti.append("M" + "L".join(f"{x:g} {y:g}" for x, y in punti) + "Z")
    return xy, {
        "viewbox": f"0 0 {LARGHEZZA} {altezza}",
        "larghezza": LARGHEZZA,
        "altezza": altezza,
        "percorso": "".join(parti),
    }
