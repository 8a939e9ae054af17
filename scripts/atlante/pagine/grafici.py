"""Static SVG charts made at build time: horizontal bars and a choropleth of the comuni.

No JavaScript and no third-party library: the SVG is in the page, readable by screen readers
through <title>/<desc> (role="img", aria-labelledby) and always followed by a table with the
same numbers. Colours meet WCAG 2.1 AA on the white chart background: text at least 4.5:1,
bars and boundaries at least 3:1 (checked by the tests with the WCAG formula).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from atlante.base.segnali import importa_intero
from atlante.pagine.modelli import numero, rendi

SFONDO = "#ffffff"
TESTO = "#1a1a1a"
BARRA = "#1f5a96"  # 7.0:1 on white
CONFINE = "#404040"  # 10:1 on white: every comune is outlined whatever its fill
# Sequential blues (ColorBrewer "Blues", 5 classes); class 0 (no soggetti) is white.
CLASSI = ["#ffffff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]


def luminanza(hex_colore: str) -> float:
    r, g, b = (int(hex_colore[i : i + 2], 16) / 255 for i in (1, 3, 5))
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrasto(a: str, b: str) -> float:
    la, lb = sorted((luminanza(a), luminanza(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@dataclass
class Voce:
    etichetta: str
    valore: float
    testo: str  # the value as printed next to the bar


def barre(id: str, titolo: str, descrizione: str, voci: list[Voce]) -> Markup:
    """Horizontal bar chart; the label column is sized to the longest label."""
    alto, passo, etich_w, barre_w = 26, 30, min(300, 12 + 7 * max((len(v.etichetta) for v in voci), default=4)), 340
    massimo = max((v.valore for v in voci), default=0) or 1
    righe = [
        {"y": 40 + i * passo, "lunghezza": round(barre_w * v.valore / massimo, 1), "voce": v}
        for i, v in enumerate(voci)
    ]
    return Markup(
        rendi(
            "barre.svg.j2",
            id=id,
            titolo=titolo,
            descrizione=descrizione,
            righe=righe,
            alto=alto,
            x0=etich_w,
            larghezza=etich_w + barre_w + 130,
            altezza=40 + len(voci) * passo + 10,
            colori={"sfondo": SFONDO, "testo": TESTO, "barra": BARRA},
        )
    )


def _soglie(valori: list[float]) -> list[float]:
    """Upper bounds of the 4 non-zero classes: equal steps from 0 to the maximum."""
    massimo = max(valori, default=0)
    return [massimo * k / 4 for k in (1, 2, 3, 4)] if massimo > 0 else []


def classe(v: float | None, soglie: list[float]) -> int:
    if not v:
        return 0
    return next((i + 1 for i, s in enumerate(soglie) if v <= s + 1e-9), len(soglie))


def _percorso(geom, proietta) -> str:
    polys = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
    parti = []
    for p in polys:
        for anello in [p.exterior, *p.interiors]:
            pts = [proietta(x, y) for x, y in anello.coords]
            parti.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
    return "".join(parti)


def coropleta(
    id: str, titolo: str, descrizione: str, confini: dict, valori: dict[str, float | None], etichette: dict[str, str]
) -> Markup:
    """Comuni coloured by value (e.g. soggetti per 1,000 residents), outlined in dark grey."""
    import math

    shape = importa_intero("shapely.geometry").shape

    geoms = {f["properties"]["istat"]: shape(f["geometry"]) for f in confini.get("features", [])}
    if not geoms:
        return Markup("")
    minx = min(g.bounds[0] for g in geoms.values())
    miny = min(g.bounds[1] for g in geoms.values())
    maxx = max(g.bounds[2] for g in geoms.values())
    maxy = max(g.bounds[3] for g in geoms.values())
    k = math.cos(math.radians((miny + maxy) / 2))  # equirectangular: good enough for one province
    larghezza = 560
    scala = larghezza / ((maxx - minx) * k)
    altezza = round((maxy - miny) * scala) + 10

    def proietta(x, y):
        return 5 + (x - minx) * k * scala, 5 + (maxy - y) * scala

    soglie = _soglie([v for v in valori.values() if v])
    tolleranza = 0.6 / scala  # drop detail under ~0.6 px
    comuni = [
        {
            "istat": code,
            "nome": etichette.get(code, code),
            "valore": valori.get(code),
            "d": _percorso(g.simplify(tolleranza, preserve_topology=True), proietta),
            "colore": CLASSI[classe(valori.get(code), soglie)],
        }
        for code, g in sorted(geoms.items())
    ]
    legenda = [{"colore": CLASSI[0], "testo": "nessun soggetto"}]
    prec = 0.0
    for i, s in enumerate(soglie):
        testo = f"fino a {numero(s, 2)}" if i == 0 else f"oltre {numero(prec, 2)} fino a {numero(s, 2)}"
        legenda.append({"colore": CLASSI[i + 1], "testo": testo})
        prec = s
    return Markup(
        rendi(
            "coropleta.svg.j2",
            id=id,
            titolo=titolo,
            descrizione=descrizione,
            comuni=comuni,
            larghezza=larghezza + 10 + 210,
            altezza=max(altezza, 40 + 24 * len(legenda)),
            x_legenda=larghezza + 20,
            legenda=legenda,
            colori={"sfondo": SFONDO, "testo": TESTO, "confine": CONFINE},
        )
    )
