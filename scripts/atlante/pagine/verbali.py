"""Pages of the verbali: the archive (by year and by organo), one page per organo, and each
verbale's page with its metadata laid out for people, replacing the source page of the same path.

Record values reach HTML only through a Jinja2 environment with autoescape on; Markdown links
(checked by MkDocs in strict mode) carry text escaped by `md_testo`.
"""
from __future__ import annotations

import json
import posixpath
import re
from collections import defaultdict

from jinja2 import Environment

from atlante.lettura.frontmatter import data_italiana, del_giorno
from atlante.modello.sito import Contesto, Pagina
from atlante.pagine.riservati import cifra, impostazioni, testo_riservato
from atlante.lettura.verbali import CARTELLA, Verbale, carica_verbali

_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
_ENV.filters["data_it"] = data_italiana
_ENV.filters["del_giorno"] = del_giorno

_META = _ENV.from_string("""\
<div class="atlante-verbale">
<dl class="atlante-verbale__meta">
  <dt>Organo</dt><dd><a href="{{ organo_href }}">{{ organo_nome }}</a></dd>
  <dt>Data</dt><dd><time datetime="{{ v.data.isoformat() }}">{{ v.data|data_it }}</time></dd>
{% if v.ora_inizio %}
  <dt>Orario</dt><dd>dalle {{ v.ora_inizio }}{% if v.ora_fine %} alle {{ v.ora_fine }}{% endif %}</dd>
{% endif %}
  <dt>Seduta</dt><dd>n. {{ m.seduta }}</dd>
  <dt>Modalità</dt><dd>{{ modalita }}{% if m.luogo %}, {{ m.luogo }}{% endif %}</dd>
{% if m.convocazione %}
  <dt>Convocazione</dt><dd>prot. {{ m.convocazione.protocollo }} {{ conv_data|del_giorno }}{% if m.convocazione.firmatario %}, a firma di {{ m.convocazione.firmatario }}{% endif %}</dd>
{% endif %}
  <dt>Pubblicazione</dt><dd>{{ visibilita }}</dd>
</dl>
{% for titolo, persone in gruppi if persone %}
<h2>{{ titolo }}</h2>
<ul class="atlante-verbale__persone">
{% for p in persone %}
  <li>{{ p.nome }}{% if p.ruolo %}: {{ p.ruolo }}{% endif %}{% if p.note %} ({{ p.note }}){% endif %}</li>
{% endfor %}
</ul>
{% endfor %}
<h2>Ordine del giorno</h2>
<ol class="atlante-verbale__odg">
{% for p in odg %}
  <li><span class="atlante-verbale__oggetto">{{ p.oggetto }}</span>
{% if p.esito %}<br>Esito: {{ p.esito }}{% endif %}
{% for x in ([p.votazione] if p.votazione else []) + (p.votazioni or []) %}
<br>Votazione{% if x.oggetto %} ({{ x.oggetto }}){% endif %}: {{ x.favorevoli or 0 }} favorevoli, {{ x.contrari or 0 }} contrari, {{ x.astenuti or 0 }} astenuti{% if x.votanti is not none %} su {{ x.votanti }} votanti{% endif %}
{% endfor %}
  </li>
{% endfor %}
</ol>
{% if allegati %}
<h2>Allegati</h2>
<ul>
{% for a in allegati %}
  <li><a href="{{ a.href }}">{{ a.titolo or a.file }}</a></li>
{% endfor %}
</ul>
{% endif %}
{% if m.fonte %}<p class="atlante-verbale__fonte">Fonte: {{ m.fonte }}</p>{% endif %}
</div>
""")

_RISERVATO = _ENV.from_string("""\
<div class="atlante-riservato">
<h2>Testo riservato</h2>
<p>Il testo di questo verbale è riservato ai componenti dell'organo. {{ accesso }}</p>
{% if busta %}
<form class="atlante-riservato__form" data-busta="{{ busta }}">
  <label for="pw-{{ id }}">Password dei verbali riservati</label>
  <input id="pw-{{ id }}" name="password" type="password" autocomplete="current-password" required>
  <button type="submit" class="md-button md-button--primary">Leggi il testo</button>
  <p class="atlante-riservato__esito" role="status" aria-live="polite"></p>
</form>
<div class="atlante-riservato__testo" hidden></div>
<noscript><p>Per leggere il testo serve JavaScript: la decifratura avviene solo nel tuo browser.</p></noscript>
{% else %}
<p><strong>Il testo non è pubblicato su questo sito.</strong></p>
{% endif %}
</div>
""")

ACCESSO_PREDEFINITO = ("I componenti che non hanno la password possono chiederla all'Ufficio di Piano: "
                       "la password viene comunicata solo ai componenti, mai per posta pubblica.")
MODALITA_IT = {"presenza": "in presenza", "telematica": "in via telematica", "mista": "mista (presenza e collegamento)"}
VISIBILITA_IT = {"pubblico": "testo integrale pubblico", "estratto": "estratto pubblico del verbale",
                 "riservato": "riservato: pubblici solo i dati della seduta"}


def md_testo(s: str) -> str:
    """Plain text safe inside Markdown link text or list items (no HTML, no Markdown syntax)."""
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]#|!])", r"\\\1", s)


def rel(da: str, a: str) -> str:
    """Relative link between two docs-dir paths, as MkDocs resolves it."""
    return posixpath.relpath(a, posixpath.dirname(da) or ".")


def url_rel(da_md: str, a_url: str) -> str:
    """Relative URL from a page (its .md path) to a site URL, with directory URLs."""
    da_url = da_md[:-3] + "/" if not da_md.endswith("index.md") else da_md[: -len("index.md")]
    out = posixpath.relpath(a_url or ".", da_url or ".")
    return out + ("/" if a_url.endswith("/") and not out.endswith("/") else "")


def organo_path(oid: str) -> str:
    return f"{CARTELLA}/organi/{oid}.md"


def pagina_verbale(ctx: Contesto, v: Verbale) -> Pagina:
    organi = ctx.progetto.organi
    m = v.meta
    org = organi.get(v.organo, {})
    conv = m.get("convocazione") or None
    odg = [p if isinstance(p, dict) else {"oggetto": p} for p in m.get("ordine_del_giorno") or []]
    cartella_url = posixpath.dirname(v.path)
    allegati = [dict(a, href=url_rel(v.path, posixpath.join(cartella_url, a["file"])))
                for a in m.get("allegati") or []]
    import datetime as dt

    meta_html = _META.render(
        v=v, m=m, organo_nome=org.get("nome", v.organo),
        organo_href=url_rel(v.path, organo_path(v.organo)[:-3] + "/"),
        modalita=MODALITA_IT.get(m.get("modalita"), m.get("modalita")),
        conv_data=dt.date.fromisoformat(conv["data"]) if conv and conv.get("data") else None,
        visibilita=VISIBILITA_IT[v.visibilita],
        gruppi=[("Presenti", m.get("presenti") or []), ("Assenti", m.get("assenti") or []),
                ("Partecipano inoltre", m.get("partecipanti") or [])],
        odg=odg, allegati=allegati)
    titolo = v.titolo(organi)
    fm = {"title": titolo, "description": f"Verbale: {titolo}"}
    parti = [f"# {md_testo(titolo)}\n", meta_html]
    if v.riservato:
        fm["search"] = {"exclude": True}  # belt and braces: only metadata is here anyway
        fm["atlante_riservato"] = True
        testo = testo_riservato(impostazioni(ctx.opzioni), v.id)
        busta = None
        if testo is not None:
            from markdown_it import MarkdownIt

            html = MarkdownIt("commonmark", {"html": False}).enable("table").render(testo)
            busta = json.dumps(cifra(html, impostazioni(ctx.opzioni).password, v.id), separators=(",", ":"))
        parti.append(_RISERVATO.render(id=v.id, busta=busta, accesso=m.get("accesso") or ACCESSO_PREDEFINITO))
    else:
        intestazione = "Estratto del verbale" if v.visibilita == "estratto" else "Testo del verbale"
        parti.append(f"## {intestazione}\n")
        if v.visibilita == "estratto" and m.get("nota_estratto"):
            parti.append(f'!!! note "Estratto"\n    {md_testo(m["nota_estratto"])}\n')
        parti.append(v.pagina.corpo.strip() + "\n")
    front = json.dumps(fm, ensure_ascii=False)  # JSON is valid YAML and needs no escaping rules
    return Pagina(v.path, f"---\n{front}\n---\n\n" + "\n".join(parti), sorgente=v.path)


def voce(da: str, v: Verbale, organi: dict, con_organo=True) -> str:
    extra = " (riservato)" if v.riservato else " (estratto)" if v.visibilita == "estratto" else ""
    testo = v.titolo(organi) if con_organo else f"Seduta {v.meta.get('seduta')} {del_giorno(v.data)}"
    return f"- [{md_testo(testo)}]({rel(da, v.path)}){extra}"


def pagine_verbali(ctx: Contesto):
    organi = ctx.progetto.organi
    verbali = carica_verbali(ctx.progetto)
    for v in verbali:
        yield pagina_verbale(ctx, v)
    per_organo = defaultdict(list)
    for v in verbali:
        per_organo[v.organo].append(v)
    idx = f"{CARTELLA}/index.md"
    righe = ["# Verbali degli organi di governo\n",
             "L'archivio dei verbali degli organi del Piano di Zona, dal più recente. I verbali "
             "*riservati* mostrano solo i dati della seduta; i componenti leggono il testo con la password "
             "ricevuta dall'Ufficio di Piano. Aggiornamenti: [feed dei verbali](../feed.md).\n",
             "## Per organo\n"]
    for oid, o in organi.items():
        n = len(per_organo.get(oid, []))
        righe.append(f"- [{md_testo(o['nome'])}]({rel(idx, organo_path(oid))}): "
                     f"{n} {'verbale' if n == 1 else 'verbali'}")
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
    for oid, o in organi.items():
        path = organo_path(oid)
        fm = {"title": o["nome"], "atlante_feed": [
            {"titolo": f"Verbali: {o['nome']} (RSS)", "href": f"feed/verbali-{oid}.rss.xml",
             "tipo": "application/rss+xml"},
            {"titolo": f"Verbali: {o['nome']} (Atom)", "href": f"feed/verbali-{oid}.atom.xml",
             "tipo": "application/atom+xml"}]}
        righe = [f"# {md_testo(o['nome'])}\n", md_testo(" ".join(o.get("descrizione", "").split())) + "\n",
                 f"**Composizione.** {md_testo(o.get('composizione', ''))}\n"]
        if o.get("frequenza"):
            righe.append(f"**Si riunisce:** {md_testo(o['frequenza'])}.\n")
        if o.get("fonte"):
            righe.append(f"*Fonte: {md_testo(o['fonte'])}.*\n")
        righe.append("## Verbali\n")
        vs = per_organo.get(oid, [])
        righe += [voce(path, v, organi, con_organo=False) for v in vs] or ["Nessun verbale pubblicato."]
        righe.append(f"\n[Tutti i verbali]({rel(path, idx)}) · feed di questo organo: "
                     f"[RSS](../../feed/verbali-{oid}.rss.xml), [Atom](../../feed/verbali-{oid}.atom.xml)")
        yield Pagina(path, f"---\n{json.dumps(fm, ensure_ascii=False)}\n---\n\n" + "\n".join(righe) + "\n")
