"""Pages of the verbali: the archive (by year and by organo), one page per organo, and each
verbale's page with its metadata laid out for people, replacing the source page of the same path.

Record values reach HTML only through a Jinja2 environment with autoescape on; Markdown links
(checked by MkDocs in strict mode) carry text escaped by `md_testo`.
"""

from __future__ import annotations

import json
import posixpath
from collections import defaultdict

from atlante.base.formato import come_data, data_italiana, del_giorno, dimensione
from atlante.lettura.verbali import CARTELLA, SCHEMA, Verbale, carica_verbali
from atlante.modello.organi import composizioni, sedute_per_organo
from atlante.modello.percorsi import link, link_md, pagina_organo
from atlante.modello.schemi import etichette
from atlante.modello.sito import Contesto, Pagina
from atlante.pagine.impaginazione import pagina_md
from atlante.pagine.modelli import blocco_markdown, markdown_sicuro, md_testo, rendi
from atlante.pagine.riservati import cifra, impostazioni, testo_riservato

ACCESSO_PREDEFINITO = (
    "I componenti che non hanno la password possono chiederla all'Ufficio di Piano: "
    "la password viene comunicata solo ai componenti, mai per posta pubblica."
)
TIPI_FILE = {".pdf": "PDF", ".odt": "documento ODT", ".docx": "documento Word", ".xlsx": "foglio Excel"}


def allegati_pubblicati(ctx: Contesto, v: Verbale) -> list[dict]:
    """Each allegato with its link, size and type; a reserved verbale's by title only, no file."""
    out = []
    for a in v.meta.get("allegati") or []:
        if v.riservato:
            out.append({"titolo": a["titolo"], "riservato": True})
            continue
        f = ctx.progetto.content_dir / posixpath.dirname(v.path) / a["file"]
        suffisso = posixpath.splitext(a["file"])[1].lower()
        out.append(
            {
                "titolo": a["titolo"],
                "href": link(v.path, posixpath.join(posixpath.dirname(v.path), a["file"])),
                "tipo": TIPI_FILE.get(suffisso, suffisso.lstrip(".").upper() or "file"),
                "dimensione": dimensione(f.stat().st_size) if f.is_file() else None,
            }
        )
    return out


def pagina_verbale(ctx: Contesto, v: Verbale) -> Pagina:
    organi = ctx.progetto.organi
    m = v.meta
    org = organi.get(v.organo, {})
    conv = m.get("convocazione") or None
    odg = [p if isinstance(p, dict) else {"oggetto": p} for p in m.get("ordine_del_giorno") or []]
    allegati = allegati_pubblicati(ctx, v)
    import datetime as dt

    meta_html = rendi(
        "verbale.html",
        v=v,
        m=m,
        organo_nome=org.get("nome", v.organo),
        organo_href=link(v.path, pagina_organo(v.organo)),
        modalita=etichette(ctx.progetto.schemas, SCHEMA, "modalita").get(m.get("modalita"), m.get("modalita")),
        conv_data=dt.date.fromisoformat(conv["data"]) if conv and conv.get("data") else None,
        visibilita=etichette(ctx.progetto.schemas, SCHEMA, "visibilita")[v.visibilita],
        gruppi=[
            ("Presenti", m.get("presenti") or []),
            ("Assenti", m.get("assenti") or []),
            ("Partecipano inoltre", m.get("partecipanti") or []),
        ],
        odg=odg,
        allegati=allegati,
    )
    titolo = v.titolo(organi)
    fm = {"title": titolo, "description": f"Verbale: {titolo}"}
    parti = [f"# {md_testo(titolo)}\n", meta_html]
    if v.riservato:
        fm["search"] = {"exclude": True}  # belt and braces: only metadata is here anyway
        fm["atlante_riservato"] = True
        testo = testo_riservato(impostazioni(ctx.opzioni), v.id)
        busta = None
        if testo is not None:
            html = str(markdown_sicuro(testo, tabelle=True))
            busta = json.dumps(cifra(html, impostazioni(ctx.opzioni).password, v.id), separators=(",", ":"))
        parti.append(
            rendi("verbale-riservato.html", id=v.id, busta=busta, accesso=m.get("accesso") or ACCESSO_PREDEFINITO)
        )
    else:
        intestazione = "Estratto del verbale" if v.visibilita == "estratto" else "Testo del verbale"
        parti.append(f"## {intestazione}\n")
        if v.visibilita == "estratto" and m.get("nota_estratto"):
            parti.append(f'!!! note "Estratto"\n    {md_testo(m["nota_estratto"])}\n')
        parti.append(blocco_markdown(v.pagina.corpo, v.path))
    altri = {k: x for k, x in fm.items() if k not in ("title", "description")}
    return Pagina(v.path, pagina_md(fm["title"], "\n".join(parti), fm["description"], altri=altri), sorgente=v.path)


def voce(da: str, v: Verbale, organi: dict, con_organo=True) -> str:
    extra = " (riservato)" if v.riservato else " (estratto)" if v.visibilita == "estratto" else ""
    testo = v.titolo(organi) if con_organo else f"Seduta {v.meta.get('seduta')} {del_giorno(v.data)}"
    return f"- [{md_testo(testo)}]({link_md(da, v.path)}){extra}"


def pagine_verbali(ctx: Contesto):
    organi = ctx.progetto.organi
    verbali = carica_verbali(ctx.progetto)
    for v in verbali:
        yield pagina_verbale(ctx, v)
    per_organo = defaultdict(list)
    for v in verbali:
        per_organo[v.organo].append(v)
    idx = f"{CARTELLA}/index.md"
    righe = [
        "# Verbali degli organi di governo\n",
        "L'archivio dei verbali degli organi del Piano di Zona, dal più recente. I verbali "
        "*riservati* mostrano solo i dati della seduta; i componenti leggono il testo con la password "
        "ricevuta dall'Ufficio di Piano. Aggiornamenti: [feed dei verbali](../feed.md).\n",
        "## Per organo\n",
    ]
    for oid, o in organi.items():
        n = len(per_organo.get(oid, []))
        righe.append(
            f"- [{md_testo(o['nome'])}]({link_md(idx, pagina_organo(oid))}): {n} {'verbale' if n == 1 else 'verbali'}"
        )
    righe.append("\n## Per anno\n")
    if not verbali:
        righe.append("Nessun verbale pubblicato.")
    anno = None
    for v in verbali:
        if v.data.year != anno:
            anno = v.data.year
            righe.append(f"\n### {anno}\n")
        righe.append(voce(idx, v, organi))
    yield Pagina(idx, "\n".join(righe) + "\n")
    sedute = sedute_per_organo(organi, verbali)
    for oid, o in organi.items():
        yield pagina_organo_md(oid, o, sedute.get(oid, []), idx)


def pagina_organo_md(oid: str, o: dict, sedute: list, idx: str) -> Pagina:
    """An organo's page: what it does, its composition now and before, its sedute by year."""
    path = pagina_organo(oid)
    fm = {
        "atlante_feed": [
            {
                "titolo": f"Verbali: {o['nome']} (RSS)",
                "href": f"feed/verbali-{oid}.rss.xml",
                "tipo": "application/rss+xml",
            },
            {
                "titolo": f"Verbali: {o['nome']} (Atom)",
                "href": f"feed/verbali-{oid}.atom.xml",
                "tipo": "application/atom+xml",
            },
        ],
    }
    righe = [f"# {md_testo(o['nome'])}\n", md_testo(" ".join(o.get("descrizione", "").split())) + "\n"]
    attuale, storia = composizioni(o)
    if attuale:
        righe.append(f"**Composizione.** {md_testo(' '.join(attuale['composizione'].split()))}\n")
    else:
        righe.append("**Composizione.** Le fonti pubblicate non ne indicano la composizione attuale.\n")
    if o.get("frequenza"):
        righe.append(f"**Si riunisce:** {md_testo(o['frequenza'])}.\n")
    if o.get("fonte"):
        righe.append(f"*Fonte: {md_testo(o['fonte'])}.*\n")
    if storia:
        righe.append("## Composizioni precedenti\n")
        for c in storia:
            periodo = md_testo(c.get("periodo") or "")
            date = ""
            if c.get("dal") and c.get("al"):
                date = f" (dal {data_italiana(come_data(c['dal']))} al {data_italiana(come_data(c['al']))})"
            righe.append(f"- **{periodo}**{date}: {md_testo(' '.join(str(c.get('composizione', '')).split()))}")
            if c.get("fonte"):
                righe[-1] += f" *Fonte: {md_testo(c['fonte'])}.*"
        righe.append("")
    righe.append("## Sedute e verbali\n")
    pubblicati = sum(1 for x in sedute if x.verbale)
    if not sedute:
        righe.append("Nessuna seduta registrata e nessun verbale pubblicato.")
    else:
        righe.append(
            f"Sedute registrate: {len(sedute)}; verbali pubblicati sul sito: {pubblicati}."
            + ("" if pubblicati else " Nessun verbale di questo organo è ancora pubblicato.")
            + "\n"
        )
    anno = None
    for x in sedute:
        if x.data.year != anno:
            anno = x.data.year
            righe.append(f"\n### {anno}\n")
        if x.verbale is not None:
            righe.append(voce(path, x.verbale, {}, con_organo=False))
        else:
            testo = f"- Seduta {del_giorno(x.data)}"
            if x.oggetto:
                testo += f": {md_testo(x.oggetto)}"
            testo += " — verbale non pubblicato"
            if x.fonte:
                testo += f" (fonte: {md_testo(x.fonte)})"
            righe.append(testo)
    righe.append(
        f"\n[Tutti i verbali]({link_md(path, idx)}) · feed di questo organo: "
        f"[RSS](../../feed/verbali-{oid}.rss.xml), [Atom](../../feed/verbali-{oid}.atom.xml)"
    )
    return Pagina(path, pagina_md(o["nome"], "\n".join(righe), altri=fm))
