"""Open data exports under dati/: one CSV per kind and enti.json, rebuilt at every build.

The columns come from the JSON Schemas (the one source of the fields), so a field added to a
schema reaches the exports and their guide on the "Dati aperti" page without touching code.
Only published records are exported: synthetic records never, and the `sintetico` flag itself
is not a column. dati/enti.geojson belongs to the maps module (geodati.py); the DCAT-AP_IT
catalogue and the page listing every file are in catalogo.py.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from atlante.base import foglio
from atlante.lettura.progetto import TIPI, Tipo
from atlante.modello.percorsi import url_assoluto
from atlante.modello.sito import Contesto, Pagina
from atlante.pagine.indicatori import come_data, pubblicati

SEPARATORE_LISTE = " | "
DELIMITATORE = foglio.SEPARATORE  # what Excel expects in an Italian locale; LibreOffice asks or detects it
ESCLUSI = {"sintetico"}  # never exported


@dataclass(frozen=True)
class Colonna:
    nome: str
    titolo: str
    descrizione: str
    derivata: bool = False  # computed by the Atlante, not written in the record


def _risolvi(ctx: Contesto, spec: dict) -> dict:
    """A property spec with its common.schema.json $ref merged in (local title/description win)."""
    ref = spec.get("$ref")
    if not ref:
        return spec
    file, _, frag = ref.partition("#")
    target = ctx.progetto.schemas.get(file, {})
    for part in [p for p in frag.split("/") if p]:
        target = target.get(part, {})
    return {**target, **{k: v for k, v in spec.items() if k != "$ref"}}


DERIVATE = {
    "comune": [
        Colonna("comune_istat", "Codice ISTAT del comune", "Codice ISTAT a 6 cifre del comune.", True),
        Colonna("sub_ambito", "Sub-ambito", "Id del sub-ambito a cui appartiene il comune.", True),
    ],
    "tipologia": [
        Colonna("rete", "Rete", "Rete dell'Unità di Offerta (sociale o sociosanitaria), dalla tipologia.", True),
        Colonna("area", "Area", "Area dell'Unità di Offerta, dalla tipologia.", True),
    ],
    "comuni": [Colonna("comuni_istat", "Codici ISTAT dei comuni", "Codici ISTAT dei comuni del patto.", True)],
}


def colonne(ctx: Contesto, tipo: Tipo) -> list[Colonna]:
    """The CSV columns of a kind, in schema order, nested objects flattened as `campo.sottocampo`."""
    schema = ctx.progetto.schemas.get(tipo.schema, {})
    out = [
        Colonna("id", "Id", "Identificativo permanente della scheda (nome del file).", True),
        Colonna("url", "Pagina", "Indirizzo della pagina della scheda sul sito.", True),
    ]
    for nome, spec in schema.get("properties", {}).items():
        if nome in ESCLUSI:
            continue
        spec = _risolvi(ctx, spec)
        sotto = spec.get("properties") if spec.get("type") == "object" else None
        if sotto:
            for s, sspec in sotto.items():
                sspec = _risolvi(ctx, sspec)
                out.append(
                    Colonna(
                        f"{nome}.{s}",
                        f"{spec.get('title', nome)}: {sspec.get('title', s)}",
                        sspec.get("description", ""),
                    )
                )
        else:
            out.append(Colonna(nome, spec.get("title", nome), spec.get("description", "")))
        out.extend(DERIVATE.get(nome, []))
    return out


def derivati(ctx: Contesto, r) -> dict:
    """Values the Atlante adds to a record: ISTAT codes, sub-ambito, UdO rete/area, page URL."""
    s = ctx.scheda(r)
    out = {"url": url_assoluto(ctx.config, s.pagina)}
    c = s.comune if r.tipo.id != "patto" else ctx.territorio.trova(r.get("comune"))
    if r.tipo.id != "patto" or r.get("comune") is not None:
        out["comune_istat"] = c.istat if c else None
        out["sub_ambito"] = c.sub_ambito if c else None
    if r.tipo.id == "udo":
        tip = ctx.progetto.tassonomia("udo_tipologie").get(r.get("tipologia"), {})
        out["rete"], out["area"] = tip.get("rete"), tip.get("area")
    if r.tipo.id == "patto":
        out["comuni_istat"] = s.istat
    return out


def _testo(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, dict):  # e.g. a documento {titolo, url}
        if "url" in v:
            return f"{v.get('titolo', '')} <{v['url']}>".strip()
        return ", ".join(f"{k}: {_testo(x)}" for k, x in v.items())
    if isinstance(v, list):
        return SEPARATORE_LISTE.join(_testo(x) for x in v)
    return str(v)


def cella(v) -> str:
    """A CSV cell: the value as text, neutralised by the one CSV writer (atlante.base.foglio)."""
    return foglio.cella(_testo(v))


def canonici(ctx: Contesto, r) -> dict:
    """The record's comune and comuni as the territory names them (not as the record spells them)."""
    out = {}
    c = ctx.territorio.trova(r.get("comune"))
    if c is not None:
        out["comune"] = c.nome
    if r.tipo.id == "patto" and r.get("comuni") is not None:
        out["comuni"] = [c.nome for c in ctx.scheda(r).comuni]
    return out


def _valore(r, extra: dict, col: Colonna):
    if col.nome == "id":
        return r.id
    if col.derivata or col.nome in ("comune", "comuni") and col.nome in extra:
        return extra.get(col.nome)
    campo, _, sotto = col.nome.partition(".")
    v = r.data.get(campo)
    if sotto:
        return v.get(sotto) if isinstance(v, dict) else None
    return v


def csv_tipo(ctx: Contesto, tipo: Tipo) -> bytes:
    cols = colonne(ctx, tipo)
    righe = []
    for r in sorted((r for r in pubblicati(ctx) if r.tipo.id == tipo.id), key=lambda r: r.id):
        extra = {**derivati(ctx, r), **canonici(ctx, r)}
        righe.append([_testo(_valore(r, extra, c)) for c in cols])
    return foglio.byte_csv([c.nome for c in cols], righe)


def _json(v):
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, dict):
        return {str(k): _json(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_json(x) for x in v]
    return v


def aggiornato_al(ctx: Contesto) -> dt.date:
    """The latest verificato_il among published records: the data's own modification date
    (not the build date, so that two builds of the same data give the same files)."""
    date = [d for r in pubblicati(ctx) if (d := come_data(r.get("verificato_il")))]
    return max(date) if date else ctx.oggi


def enti_json(ctx: Contesto) -> dict:
    enti = []
    for r in sorted(pubblicati(ctx), key=lambda r: (r.tipo.cartella, r.id)):
        dati = {k: _json(v) for k, v in r.data.items() if k not in ESCLUSI}
        enti.append({"id": r.id, "tipo": r.tipo.id, **dati, **canonici(ctx, r), **_json(derivati(ctx, r))})
    ambito = ctx.territorio.ambito
    return {
        "titolo": f"Atlante di Comunità – {ambito.get('nome_breve', ambito.get('nome', ''))}",
        "licenza": "CC BY 4.0",
        "licenza_url": "https://creativecommons.org/licenses/by/4.0/",
        "aggiornato_al": aggiornato_al(ctx).isoformat(),
        "numero_enti": len(enti),
        "enti": enti,
    }


def esportazioni(ctx: Contesto):
    for tipo in TIPI.values():
        yield Pagina(f"dati/{tipo.cartella}.csv", csv_tipo(ctx, tipo))
    testo = json.dumps(enti_json(ctx), ensure_ascii=False, indent=1, sort_keys=False)
    yield Pagina("dati/enti.json", (testo + "\n").encode("utf-8"))
