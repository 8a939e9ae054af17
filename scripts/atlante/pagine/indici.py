"""Index pages: one per kind (sortable, filterable table), comuni, sub-ambiti and temi."""

from __future__ import annotations

from atlante.lettura.progetto import TIPI
from atlante.modello.campi import etichetta
from atlante.modello.percorsi import indice_tipo, link, pagina_comune, pagina_scheda, pagina_sub_ambito, pagina_tema
from atlante.modello.schede import lista
from atlante.modello.sito import Contesto, Pagina
from atlante.pagine.impaginazione import come_data, data_it, pagina_md, rendi
from atlante.pagine.ricerca import pagina_cercabile
from atlante.pagine.schede import indice


def dettaglio(ctx: Contesto, rec) -> str:
    """The short 'Tipo' column: the kind's classifying field (forma giuridica, tipologia, tipo di
    biblioteca o di patto), named as the schema names it."""
    return etichetta(ctx.progetto, rec.tipo, rec.tipo.campo_tipo, rec.get(rec.tipo.campo_tipo))


def riga(ctx: Contesto, da: str, rec) -> dict:
    temi = indice(ctx).temi
    comuni = ctx.scheda(rec).comuni
    v = come_data(rec.get("verificato_il"))
    return {
        "nome": rec.nome,
        "href": link(da, pagina_scheda(rec.tipo, rec.id)),
        "comuni": [{"nome": c.nome, "href": link(da, pagina_comune(c))} for c in comuni],
        "comuni_istat": " ".join(c.istat for c in comuni),
        "temi": [temi[t]["nome"] for t in lista(rec.get("temi")) if t in temi],
        "temi_id": " ".join(t for t in lista(rec.get("temi")) if isinstance(t, str)),
        "dettaglio": dettaglio(ctx, rec),
        "verificato": data_it(v),
        "verificato_iso": v.isoformat() if v else "",
    }


def _per_nome(recs):
    return sorted(recs, key=lambda r: (r.nome.casefold(), r.id))


def elenchi(ctx: Contesto, da: str) -> list[dict]:
    """The plain lists of the finder page (what it offers without JavaScript)."""
    temi = indice(ctx).temi
    voci = [
        {
            "nome": t.etichetta_plurale,
            "href": link(da, indice_tipo(t)),
            "altro": [sum(1 for r in ctx.records if r.tipo is t)],
        }
        for t in TIPI.values()
    ]
    voci += [
        {"nome": "Per comune", "href": link(da, "comuni/index.md"), "altro": [len(ctx.territorio.comuni)]},
        {"nome": "Per tema", "href": link(da, "temi/index.md"), "altro": [len(temi)]},
        {"nome": "Per sub-ambito", "href": link(da, "sub-ambiti/index.md"), "altro": [len(ctx.territorio.sub_ambiti)]},
    ]
    return voci


def indici_per_tipo(ctx: Contesto):
    for tipo in TIPI.values():
        yield indice_del_tipo(ctx, tipo)


def indice_del_tipo(ctx: Contesto, tipo) -> Pagina:
    """The table of one kind's records (enti/<cartella>/)."""
    temi = indice(ctx).temi
    da = indice_tipo(tipo)
    recs = _per_nome(r for r in ctx.records if r.tipo is tipo)
    righe = [ctx.della_scheda(da, r, lambda: riga(ctx, da, r)) for r in recs]  # noqa: B023 - called at once
    istat = {i for r in righe for i in r["comuni_istat"].split()}
    usati = {t for r in recs for t in lista(r.get("temi"))}
    corpo = rendi(
        "indice.html",
        titolo=tipo.etichetta_plurale,
        intro=None,
        righe=righe,
        didascalia=tipo.etichetta_plurale,
        id=f"tabella-{tipo.cartella}",
        comuni_filtro=sorted((c for c in ctx.territorio.comuni.values() if c.istat in istat), key=lambda c: c.nome),
        temi_filtro=[t for t in temi.values() if t["id"] in usati],
    )
    # the finder searches the records; this table repeats them all and stays out of the index
    return pagina_cercabile(da, tipo.etichetta_plurale, corpo, indicizzata=False)


def _gruppi(ctx: Contesto, da: str, recs) -> list[dict]:
    out = []
    for tipo in TIPI.values():
        voci = [
            {"nome": r.nome, "href": link(da, pagina_scheda(r.tipo, r.id)), "nota": dettaglio(ctx, r)}
            for r in _per_nome(r for r in recs if r.tipo is tipo)
        ]
        if voci:
            out.append({"id": tipo.cartella, "titolo": tipo.etichetta_plurale, "voci": voci})
    return out


def _sito(url: str) -> str:
    """IPA gives websites without a scheme (www.comune.x.cr.it): the link uses https."""
    return url if url.startswith(("http://", "https://")) else f"https://{url}"


def _contatti_comune(ctx: Contesto, c) -> dict | None:
    """The Comune's own contacts from IPA, as the comune page shows them (never an office the
    source does not name)."""
    r = ctx.territorio.contatti.get(c.istat)
    if not r:
        return None
    return {
        "ente": r["ente"],
        "indirizzo": r["indirizzo"],
        "cap": r["cap"],
        "pec": r["pec"],
        "email": r["email"],
        "sito": r["sito_web"],
        "sito_href": _sito(r["sito_web"]) if r["sito_web"] else None,
        "aggiornato_il": data_it(come_data(r["aggiornato_il"])),
        "fonte": next((f for f in ctx.progetto.fonti if f.get("id") == "ipa-2024"), None),
    }


def _servizi_ambito(ctx: Contesto, da: str) -> list[dict]:
    """Services any resident of the Ambito can use (servizi with bacino: ambito)."""
    return [
        {
            "nome": r.nome,
            "href": link(da, pagina_scheda(r.tipo, r.id)),
            "nota": dettaglio(ctx, r),
            "comune": ctx.scheda(r).comune,
        }
        # the same services on every comune page: filtered once per build, not once per comune
        for r in ctx.memo("servizi_ambito", lambda: _per_nome(r for r in ctx.records if _di_ambito(r)))
    ]


def _di_ambito(r) -> bool:
    return r.tipo.id == "servizio" and r.get("bacino") == "ambito"


def comuni(ctx: Contesto):
    t = ctx.territorio
    per_comune = indice(ctx).per_comune
    for c in t.comuni.values():
        if c.sub_ambito is None and c.istat not in per_comune:
            continue  # a comune of the province outside the Ambito
        yield pagina_del_comune(ctx, c)
    da = "comuni/index.md"
    voci = [
        {
            "nome": c.nome,
            "href": link(da, pagina_comune(c)),
            "altro": [
                t.sub_ambiti[c.sub_ambito].nome if c.sub_ambito else "",
                f"{c.residenti:,}".replace(",", "."),
                len(per_comune.get(c.istat, [])),
            ],
        }
        for c in sorted(t.comuni.values(), key=lambda c: c.nome)
        if c.sub_ambito or c.istat in per_comune
    ]
    yield Pagina(
        da,
        pagina_md(
            "Comuni",
            rendi(
                "elenco.html",
                titolo="Comuni",
                intro=None,
                didascalia="Comuni dell'Ambito",
                colonne=["Comune", "Sub-ambito", "Residenti", "Schede"],
                voci=voci,
            ),
        ),
    )


def pagina_del_comune(ctx: Contesto, c) -> Pagina:
    """A comune's page: its facts, its records by kind, whom to contact."""
    t = ctx.territorio
    per_comune = indice(ctx).per_comune
    da = pagina_comune(c)
    sub = t.sub_ambiti.get(c.sub_ambito) if c.sub_ambito else None
    fatti = [("Residenti", f"{c.residenti:,}".replace(",", "."))]
    if sub:
        fatti.append(("Sub-ambito", {"nome": sub.nome, "href": link(da, pagina_sub_ambito(sub.id))}))
    if c.cap:
        fatti.append(("CAP", ", ".join(c.cap)))
    corpo = rendi(
        "gruppi.html",
        titolo=c.nome,
        fatti=fatti,
        mappa_istat=c.istat,
        tabella_comuni=None,
        tipi=[],
        gruppi=_gruppi(ctx, da, per_comune.get(c.istat, [])),
        ente_comune=_contatti_comune(ctx, c),
        servizi_ambito=_servizi_ambito(ctx, da),
        ambito=ctx.territorio.ambito,
    )
    return pagina_cercabile(
        da,
        c.nome,
        corpo,
        f"Servizi, enti e patti di comunità a {c.nome}.",
    )


def sub_ambiti(ctx: Contesto):
    t = ctx.territorio
    per_comune = indice(ctx).per_comune
    tipi = list(TIPI.values())
    voci = []
    for s in sorted(t.sub_ambiti.values(), key=lambda s: s.numero):
        da = pagina_sub_ambito(s.id)
        righe = []
        for code in s.comuni:
            c = t.comuni[code]
            recs = per_comune.get(code, [])
            righe.append(
                {
                    "nome": c.nome,
                    "href": link(da, pagina_comune(c)),
                    "residenti": c.residenti,
                    "conteggi": [sum(1 for r in recs if r.tipo is tp) for tp in tipi],
                }
            )
        residenti = sum(r["residenti"] for r in righe)
        fatti = [
            ("Ente referente", s.ente_referente),
            ("Comuni", len(s.comuni)),
            ("Residenti", f"{residenti:,}".replace(",", ".")),
        ]
        titolo = f"Sub-ambito {s.numero} – {s.nome}"
        corpo = rendi(
            "gruppi.html", titolo=titolo, fatti=fatti, mappa_istat=None, tabella_comuni=righe, tipi=tipi, gruppi=[]
        )
        yield Pagina(da, pagina_md(titolo, corpo))
        voci.append(
            {
                "nome": titolo,
                "href": link("sub-ambiti/index.md", da),
                "altro": [len(s.comuni), f"{residenti:,}".replace(",", ".")],
            }
        )
    yield Pagina(
        "sub-ambiti/index.md",
        pagina_md(
            "Sub-ambiti",
            rendi(
                "elenco.html",
                titolo="Sub-ambiti",
                intro=None,
                didascalia="I sub-ambiti dell'Ambito",
                colonne=["Sub-ambito", "Comuni", "Residenti"],
                voci=voci,
            ),
        ),
    )


def temi(ctx: Contesto):
    per_tema = indice(ctx).per_tema
    voci = []
    for tema in indice(ctx).temi.values():
        recs = per_tema.get(tema["id"], [])
        if not recs:
            continue  # citizens see only themes with records: an empty theme page is a dead end
        yield pagina_del_tema(ctx, tema)
        da = pagina_tema(tema["id"])
        voci.append({"nome": tema["nome"], "href": link("temi/index.md", da), "altro": [len(recs)]})
    yield Pagina(
        "temi/index.md",
        pagina_md(
            "Temi",
            rendi(
                "elenco.html",
                titolo="Temi",
                intro=None,
                didascalia="Temi e numero di schede",
                colonne=["Tema", "Schede"],
                voci=voci,
            ),
        ),
    )


def pagina_del_tema(ctx: Contesto, tema: dict) -> Pagina:
    """A theme's page: its records by kind."""
    da = pagina_tema(tema["id"])
    recs = indice(ctx).per_tema.get(tema["id"], [])
    area = f"Area {tema['area_pdz']} del Piano di Zona 2025-2027" if tema.get("area_pdz") else None
    fatti = [("Nel Piano di Zona", area)] if area else []
    corpo = rendi(
        "gruppi.html",
        titolo=tema["nome"],
        fatti=fatti,
        mappa_istat=None,
        tabella_comuni=None,
        tipi=[],
        gruppi=_gruppi(ctx, da, recs),
    )
    return pagina_cercabile(
        da,
        tema["nome"],
        corpo,
        f"Enti e servizi del tema {tema['nome']}.",
    )
