"""Geographic data of the records: dati/enti.geojson (every point, an open-data export),
mappa/punti.json (the same points, compact, for the maps) and dati/confini.geojson (the Ambito's
comuni, coloured by sub-ambito).

enti.geojson is also an open-data export, so it is plain GeoJSON (RFC 7946) that QGIS or
geojson.io open as they are. One feature per published record with a place:
- ETS, biblioteche, UdO: a Point, the record's `posizione` or, when it is missing, the comune's
  interior point with `approssimata: true`;
- patti: a MultiPoint, one interior point per comune of the pact, with `comuni` (ISTAT codes).
  The maps draw the pact's area from those comuni's boundaries in confini.geojson: copying the
  boundaries into every pact would cost kilobytes per record (99 KB for the 48 comuni).
Coordinates are rounded to 5 decimals (about 1 m), enough for a street address.

Why the maps read mappa/punti.json and not enti.geojson: a self-describing GeoJSON feature costs
about 370 bytes (keys, tema slugs, labels, URLs repeated per point); the map page must grow by at
most 200 bytes per point (issue 4). punti.json is made from the very features of enti.geojson
(punti_mappa), one row per point with the repeated values replaced by indexes into small tables:
about 75 bytes per point. The open-data file keeps its readable properties.
"""

from __future__ import annotations

import gc
import json

from atlante.lettura.progetto import TIPI
from atlante.lettura.records import Record
from atlante.modello.percorsi import cartella_tipo
from atlante.modello.schede import pubblicata
from atlante.modello.sito import Contesto, Pagina

DECIMALI = 5
# Benchmarks only: put synthetic records on the map (they are never in a published build).
OPZIONE_SINTETICI = "sintetici_in_mappa"
# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
COLORI_SUB_AMBITI = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"]


def _xy(lon: float, lat: float) -> list[float]:
    return [round(float(lon), DECIMALI), round(float(lat), DECIMALI)]


def _posizione(rec: Record) -> tuple[float, float] | None:
    pos = rec.get("posizione")
    if isinstance(pos, dict):
        lat, lon = pos.get("lat"), pos.get("lon")
        if isinstance(lat, (int, float)) and isinstance(lon, (int, float)) and not isinstance(lat, bool):
            return float(lat), float(lon)
    return None


def _temi(rec: Record) -> list[str]:
    temi = rec.get("temi")
    return [t for t in temi if isinstance(t, str)] if isinstance(temi, list) else []


def feature(ctx: Contesto, rec: Record) -> dict | None:
    """The GeoJSON feature of one record, or None when it has no place on the map."""
    s = ctx.scheda(rec)
    props = {"id": rec.id, "nome": rec.nome, "tipo": rec.tipo.id, "tipo_etichetta": rec.tipo.etichetta}
    if rec.tipo.id == "patto":
        comuni = s.comuni
        if not comuni:
            return None
        geometry = {"type": "MultiPoint", "coordinates": [_xy(c.lon, c.lat) for c in comuni]}
        subs = sorted({c.sub_ambito for c in comuni if c.sub_ambito})
        props.update(
            comune=", ".join(c.nome for c in comuni),
            istat=comuni[0].istat,
            sub_ambito=subs[0] if len(subs) == 1 else None,
            comuni=[c.istat for c in comuni],
            approssimata=False,
        )
    else:
        comune = s.comune
        pos = _posizione(rec)
        if comune is None and pos is None:
            return None
        approx = pos is None
        lat, lon = (comune.lat, comune.lon) if approx else pos
        geometry = {"type": "Point", "coordinates": _xy(lon, lat)}
        props.update(
            comune=comune.nome if comune else None,
            istat=comune.istat if comune else None,
            sub_ambito=comune.sub_ambito if comune else None,
            approssimata=approx,
        )
    props.update(temi=_temi(rec), url=s.url)
    return {"type": "Feature", "geometry": geometry, "properties": props}


def enti_geojson(ctx: Contesto) -> dict:
    """Every published record with a place, in a stable order (kind, then id).

    Computed once per build context: the file producer and the map page both read it."""
    return ctx.memo("enti_geojson", lambda: _senza_gc(_enti_geojson, ctx))


def _senza_gc(calcola, *args):
    # Building 10,000 small dicts triggers full garbage collections that walk every YAML
    # node tree of the build (seconds on a busy machine); nothing here makes cycles.
    attivo = gc.isenabled()
    gc.disable()
    try:
        return calcola(*args)
    finally:
        if attivo:
            gc.enable()


def _enti_geojson(ctx: Contesto) -> dict:
    records = ctx.records
    if not ctx.opzioni.get(OPZIONE_SINTETICI):  # an export: synthetic records never, as in dati_aperti
        records = [r for r in records if pubblicata(r)]
    ordinate = sorted(records, key=lambda r: (r.tipo.id, r.id))
    feats = [f for r in ordinate if (f := ctx.della_scheda("feature", r, lambda: feature(ctx, r)))]  # noqa: B023 - called at once
    return {
        "type": "FeatureCollection",
        "name": "enti",
        "attribution": "Atlante di Comunità, dati CC BY 4.0",
        "features": feats,
    }


CAMPI_PUNTI = ["id", "nome", "tipo", "comuni", "lon", "lat", "approssimata", "temi"]


def comuni_della_feature(p: dict) -> list[str]:
    """ISTAT codes of a feature's comuni (from its properties): a pact's `comuni`, else `istat`."""
    return p.get("comuni") or ([p["istat"]] if p.get("istat") else [])


def punti_mappa(ctx: Contesto, feats: list[dict] | None = None) -> dict:
    """Features of enti.geojson (all, or those given) as compact rows for the maps, decoded by
    atlante-mappe.js.

    Row: [id, nome, tipo index, [comune indexes], lon, lat, 1 if approximate else 0, [tema indexes]];
    a pact's marker is its first comune's point, its area is drawn from all its comuni."""
    feats = enti_geojson(ctx)["features"] if feats is None else feats
    tipi = [t for t in TIPI.values() if any(f["properties"]["tipo"] == t.id for f in feats)]
    indice_tipo = {t.id: i for i, t in enumerate(tipi)}
    comuni: dict[str, int] = {}
    nomi_comuni = {c.istat: c.nome for c in ctx.territorio.comuni.values()}
    temi: dict[str, int] = {}
    righe = []
    for f in feats:
        p = f["properties"]
        istat = comuni_della_feature(p)
        geom = f["geometry"]
        lon, lat = geom["coordinates"] if geom["type"] == "Point" else geom["coordinates"][0]
        righe.append(
            [
                p["id"],
                p["nome"],
                indice_tipo[p["tipo"]],
                [comuni.setdefault(c, len(comuni)) for c in istat],
                lon,
                lat,
                1 if p["approssimata"] else 0,
                [temi.setdefault(t, len(temi)) for t in p["temi"]],
            ]
        )
    return {
        "campi": CAMPI_PUNTI,
        "tipi": [{"id": t.id, "etichetta": t.etichetta, "url": cartella_tipo(t)} for t in tipi],
        "comuni": [{"istat": c, "nome": nomi_comuni.get(c, c)} for c in comuni],
        "temi": list(temi),
        "punti": righe,
    }


def confini_geojson(ctx: Contesto) -> dict:
    """The comuni of the Ambito with name, slug, sub-ambito and its colour (for the legend)."""
    terr = ctx.territorio
    colori = {
        s.id: COLORI_SUB_AMBITI[i % len(COLORI_SUB_AMBITI)]
        for i, s in enumerate(sorted(terr.sub_ambiti.values(), key=lambda s: s.numero))
    }
    src = terr.confini_geojson
    feats = []
    for f in src["features"]:
        c = terr.comuni.get(f["properties"]["istat"])
        if c is None:
            continue
        sub = terr.sub_ambiti.get(c.sub_ambito) if c.sub_ambito else None
        feats.append(
            {
                "type": "Feature",
                "geometry": _arrotonda(f["geometry"]),
                "properties": {
                    "istat": c.istat,
                    "nome": c.nome,
                    "slug": c.slug,
                    "sub_ambito": c.sub_ambito,
                    "sub_ambito_nome": sub.nome if sub else None,
                    "colore": colori.get(c.sub_ambito, "#999999"),
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "name": "confini",
        "attribution": src.get("attribution", ""),
        "features": feats,
    }


def _arrotonda(geom: dict) -> dict:
    def r(c):
        return [round(c[0], DECIMALI), round(c[1], DECIMALI)] if isinstance(c[0], (int, float)) else [r(x) for x in c]

    return {"type": geom["type"], "coordinates": r(geom["coordinates"])}


def compatto(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def file_geografici(ctx: Contesto, solo_comuni: set[str] | None = None):
    """The map and open-data files. solo_comuni (the preview, after saving records): only the files
    records change, with the points files of those comuni alone."""
    yield Pagina("dati/enti.geojson", compatto(enti_geojson(ctx)))
    if solo_comuni is None:
        yield Pagina("dati/confini.geojson", compatto(confini_geojson(ctx)))
    yield Pagina("mappa/punti.json", compatto(punti_mappa(ctx)))
    # A comune page's map loads only its comune's points (a pact is in each of its comuni).
    # Every comune of the Ambito has its file, empty or not: the page never meets a missing one.
    per_comune: dict[str, list[dict]] = {c.istat: [] for c in ctx.territorio.comuni.values() if c.sub_ambito}
    for f in enti_geojson(ctx)["features"]:
        for istat in comuni_della_feature(f["properties"]):
            per_comune.setdefault(istat, []).append(f)
    for istat, feats in sorted(per_comune.items()):
        if solo_comuni is None or istat in solo_comuni:
            yield Pagina(f"mappa/comuni/{istat}.json", compatto(punti_mappa(ctx, feats)))
