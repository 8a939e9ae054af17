"""What the site's search (Pagefind, atlante.motore.ricerca) reads on each generated page.

Citizen pages are indexed from their content area (site_overrides/main.html wraps it in
`data-pagefind-body`); pages whose front matter says `search: {exclude: true}` (the kind tables,
which repeat every record; the finder; reserved minutes) and editor pages (partecipa/) are not.
A record page also carries, without visible text (pagine/modelli/scheda.html):
- the citizens' words for what it is (data/sinonimi.yml) and the common names of its kind and
  tipologia, as an indexed attribute, so that "casa di riposo Soncino" finds Soncino's RSA;
- filters (kind, comune, sub-ambito, tema, destinatari, tipologia, "con orari") for the finder;
- metadata for the finder's cards (kind, comune, address, phone, position, weekly hours).
"""

from __future__ import annotations

from atlante.base.formato import tel_href
from atlante.base.orari import settimana_compatta
from atlante.mappe.geodati import feature
from atlante.modello.schede import lista
from atlante.modello.sito import Contesto, Pagina, Parti
from atlante.pagine.impaginazione import testata, testo_pagina

# Filter keys as the finder shows them (site_overrides/assets/javascripts/atlante-ricerca.js).
FILTRI = ("tipo", "comune", "sub-ambito", "tema", "destinatari", "tipologia", "orari")


def pagina_cercabile(
    da: str,
    titolo: str,
    corpo: str,
    descrizione: str | None = None,
    sorgente: str | None = None,
    indicizzata: bool = True,
) -> Pagina:
    """A generated page; indicizzata=False keeps it out of the search index. Its parts (front
    matter and body) go with it: the build may stamp it from its family's shell."""
    meta = testata(titolo, descrizione, fuori_ricerca=not indicizzata)
    return Pagina(da, testo_pagina(meta, corpo), sorgente=sorgente, parti=Parti(meta, corpo.strip()))


def termini_scheda(ctx: Contesto, rec) -> list[str]:
    """The atlas's terms a record has, as sinonimi.yml names them (tipo:udo, tipologia:rsa...)."""
    d = rec.data
    out = [f"tipo:{rec.tipo.id}"]
    if isinstance(d.get("tipologia"), str):
        out.append(f"tipologia:{d['tipologia']}")
    if isinstance(d.get("forma_giuridica"), str):
        out.append(f"forma:{d['forma_giuridica']}")
    out += [f"tema:{t}" for t in lista(d.get("temi")) if isinstance(t, str)]
    out += [f"servizio:{s}" for s in lista(d.get("servizi")) if isinstance(s, str)]
    return out


def _parole_per_termine(ctx: Contesto) -> dict[str, list[str]]:
    return ctx.memo("sinonimi", ctx.progetto.lessico.parole_per_termine)


def filtri_scheda(ctx: Contesto, rec) -> list[tuple[str, str]]:
    """The finder's filters of a record (key, value), from its resolved data: the record page
    carries them for Pagefind and the finder page counts them (one rule for both)."""
    d = rec.data
    s = ctx.scheda(rec)
    t = ctx.territorio
    out: list[tuple[str, str]] = [("tipo", rec.tipo.etichetta)]
    out += [("comune", c.nome) for c in s.comuni]
    subs = dict.fromkeys(c.sub_ambito for c in s.comuni if c.sub_ambito in t.sub_ambiti)
    out += [("sub-ambito", t.sub_ambiti[x].nome) for x in subs]
    temi = ctx.progetto.tassonomia("temi")
    out += [("tema", temi[x]["nome"]) for x in lista(d.get("temi")) if x in temi]
    out += [("destinatari", x.strip()) for x in lista(d.get("destinatari")) if isinstance(x, str) and x.strip()]
    tip = ctx.progetto.tassonomia("udo_tipologie").get(d.get("tipologia")) if rec.tipo.id == "udo" else None
    if tip:
        out.append(("tipologia", tip["nome"]))
    return out


def dati_ricerca(ctx: Contesto, rec, v: dict) -> dict:
    """Indexed words, filters and card metadata of a record page (v: schede.vista)."""
    d = rec.data
    sinonimi = _parole_per_termine(ctx)
    parole: list[str] = [rec.tipo.etichetta, rec.tipo.etichetta_plurale]
    tip = v.get("tipologia") or {}
    if tip.get("nome"):
        parole += [tip["nome"], tip.get("area") or ""]
    for t in termini_scheda(ctx, rec):
        parole += sinonimi.get(t, [])
    # elisions split as the index splits them (atlante.motore.ricerca): "gioco d'azzardo" -> "azzardo"
    parole = list(dict.fromkeys(p.replace("'", " ").replace("’", " ") for p in parole if p))

    filtri = filtri_scheda(ctx, rec)
    orari = settimana_compatta(d.get("orari"), ctx.oggi)
    if orari is not None:
        filtri.append(("orari", "con orari"))

    meta: list[tuple[str, str]] = [("id", rec.id), ("tipo", rec.tipo.etichetta)]
    if v.get("comune"):
        meta.append(("comune", v["comune"]["nome"]))
    elif v.get("comuni"):
        meta.append(("comune", ", ".join(c["nome"] for c in v["comuni"])))
    if isinstance(d.get("indirizzo"), str):
        meta.append(("indirizzo", d["indirizzo"]))
    tel = (v.get("telefoni") or [None])[0]
    if tel:
        meta += [("telefono", tel["testo"]), ("tel", tel["href"] or tel_href(tel["testo"]))]
    punto = feature(ctx, rec) if rec.tipo.id != "patto" else None
    if punto and punto.get("geometry", {}).get("type") == "Point":
        lon, lat = punto["geometry"]["coordinates"][:2]
        meta += [("lat", f"{lat:.5f}"), ("lon", f"{lon:.5f}")]
        if punto.get("properties", {}).get("approssimata"):
            meta.append(("approssimata", "1"))
    if orari is not None:
        meta.append(("orari", orari))
    return {"parole": " · ".join(parole), "filtri": filtri, "meta": meta}
