"""The field guide: one page per kind (partecipa/campi-<tipo>.md), generated from the schemas.

The page is made from the same schema the validator applies, so what the guide says is
required is exactly what the check asks for. Pure Python, no MkDocs import.
"""

from __future__ import annotations

import html

import yaml

from atlante.lettura.progetto import TIPI, TIPI_PAGINE, Tipo
from atlante.lettura.records import SCHEMA_LINE
from atlante.modello.campi import Campo, campi, esempio_scheda
from atlante.modello.percorsi import pagina_guida
from atlante.modello.sito import Contesto, Pagina
from atlante.pagine.impaginazione import pagina_md


def _cella(testo: str) -> str:
    # Schema text is ours, but a table cell must not break on '|' nor carry raw HTML.
    return html.escape(" ".join(str(testo).split()), quote=False).replace("|", "\\|")


def _codice(valore) -> str:
    if (
        valore is None
        or isinstance(valore, (dict,))
        or (isinstance(valore, list) and valore and isinstance(valore[0], dict))
    ):
        return ""
    if isinstance(valore, list):
        return ", ".join(_codice(v) for v in valore)
    if isinstance(valore, bool):
        valore = "true" if valore else "false"
    # A code span escapes HTML by itself: only the backtick and the table's '|' need care.
    testo = " ".join(str(valore).split()).replace("`", "'").replace("|", "\\|")
    return "`" + testo + "`"


def _obbligatorio(c: Campo) -> str:
    if c.condizione and c.condizione.startswith("obbligatorio"):
        return _cella(c.condizione.replace("obbligatorio ", "sì, "))
    return "**sì**" if c.obbligatorio else "no"


def _riga(c: Campo) -> str:
    spiegazione = f"**{_cella(c.titolo)}.** {_cella(c.descrizione)}"
    if c.nome == "sintetico":
        spiegazione += " Non usarlo nelle schede vere."
    if c.valori:
        spiegazione += " Valori ammessi: " + ", ".join(f"`{_cella(v)}` ({_cella(n)})" for v, n in c.valori) + "."
    return f"| `{c.chiave}` | {spiegazione} | {_cella(c.tipo)} | {_obbligatorio(c)} | {_codice(c.esempio)} |"


def _tutti(elenco: list[Campo]):
    for c in elenco:
        yield c
        yield from _tutti(c.figli)


def guida(ctx: Contesto, tipo: Tipo) -> Pagina:
    progetto = ctx.progetto
    schema = progetto.schemas[tipo.schema]
    elenco = campi(progetto, tipo)
    esempio = yaml.safe_dump(esempio_scheda(progetto, tipo), allow_unicode=True, sort_keys=False, width=100)
    altri = [t for t in TIPI.values() if t is not tipo]
    righe = [
        f"# Guida ai campi: {tipo.etichetta}",
        "",
        f"{_cella(schema.get('description', ''))} Ogni scheda è un file di testo nella cartella "
        f"`data/enti/{tipo.cartella}/`; il nome del file (minuscole e trattini, es. "
        f"`associazione-esempio.yml`) diventa l'indirizzo della pagina.",
        "",
        f"Questa pagina è generata dallo schema `data/schemas/{tipo.schema}`, lo stesso che usa il "
        "controllo automatico: i campi obbligatori qui sono quelli che il controllo chiede. "
        "Come modificare una scheda: [Aggiorna la tua scheda](aggiorna-la-tua-scheda.md).",
        "",
        "I campi con il punto (es. `contatti.email`) vanno scritti rientrati sotto il loro gruppo, "
        "come nell'esempio in fondo alla pagina.",
        "",
        "| Campo | Che cosa indicare | Tipo | Obbligatorio | Esempio |",
        "|---|---|---|---|---|",
        *(_riga(c) for c in _tutti(elenco)),
        "",
        "## Una scheda completa di esempio",
        "",
        "Copiala, togli i campi che non ti servono e sostituisci i valori con i tuoi.",
        "",
        "```yaml",
        SCHEMA_LINE.format(schema=tipo.schema),
        esempio.rstrip(),
        "```",
        "",
        "Guide degli altri tipi di scheda: "
        + ", ".join(f"[{t.etichetta_plurale}](campi-{t.id}.md)" for t in altri)
        + ".",
        "",
    ]
    testo = pagina_md(f"Guida ai campi: {tipo.etichetta}", "\n".join(righe))
    return Pagina(pagina_guida(tipo), testo, sorgente=f"data/schemas/{tipo.schema}")


def guida_pagina(ctx: Contesto, tipo: Tipo) -> Pagina:
    """The field guide of a page kind with a front matter (verbale, notizia), from its schema."""
    progetto = ctx.progetto
    schema = progetto.schemas[tipo.schema]
    comando = f"atlante new {tipo.id}"
    righe = [
        f"# Guida ai campi: {tipo.etichetta}",
        "",
        f"{_cella(schema.get('description', ''))}",
        "",
        f"Questa pagina è generata dallo schema `data/schemas/{tipo.schema}`, lo stesso che usa il "
        f"controllo automatico. Il modo più semplice per cominciare è il comando `{comando}`, che crea "
        "il file con tutti i campi spiegati e il nome giusto"
        + (
            " (data e organo); dal PDF di un verbale, `atlante importa-verbale FILE.pdf` prepara una bozza."
            if tipo.id == "verbale"
            else " (data e titolo)."
        ),
        "",
        "I campi con il punto (es. `presenti.nome`) vanno scritti rientrati sotto il loro gruppo.",
        "",
        "| Campo | Che cosa indicare | Tipo | Obbligatorio | Esempio |",
        "|---|---|---|---|---|",
        *(_riga(c) for c in _tutti(campi(progetto, tipo))),
        "",
    ]
    testo = pagina_md(f"Guida ai campi: {tipo.etichetta}", "\n".join(righe))
    return Pagina(pagina_guida(tipo), testo, sorgente=f"data/schemas/{tipo.schema}")


def guide_campi(ctx: Contesto):
    for tipo in TIPI.values():
        yield guida(ctx, tipo)
    for tipo in TIPI_PAGINE.values():
        yield guida_pagina(ctx, tipo)
