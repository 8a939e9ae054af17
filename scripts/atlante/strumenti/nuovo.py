"""`atlante new <tipo>`: a new record file with every field of the schema, explained.

Required fields are written uncommented, with the value given (option or terminal prompt)
or left empty so that `atlante validate` points at them until they are filled; optional
fields are commented out with a valid example, ready to be uncommented. Never overwrites.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import textwrap
from pathlib import Path

import yaml

from atlante.base.formato import slug
from atlante.lettura.progetto import TIPI, TIPO_PER_CARTELLA, Progetto, Tipo
from atlante.lettura.records import ID_RE, SCHEMA_LINE
from atlante.modello.campi import Campo, campi


class NuovaSchedaErrore(Exception):
    """A clear Italian message for the person at the terminal; exit code alongside."""

    def __init__(self, messaggio: str, codice: int = 1):
        super().__init__(messaggio)
        self.codice = codice


def trova_tipo(nome: str) -> Tipo:
    """A kind from its id or folder name (ets, biblioteca/biblioteche, udo, patto/patti)."""
    tipo = TIPI.get(nome) or TIPO_PER_CARTELLA.get(nome)
    if tipo is None:
        raise NuovaSchedaErrore(f"tipo di scheda sconosciuto '{nome}': scegli tra {', '.join(TIPI)}", 2)
    return tipo


def nome_file(nome: str) -> str:
    """The record id from an entity's name (the same rule as the import's)."""
    return slug(nome)


def _commento(testo: str, rientro: str = "") -> list[str]:
    return textwrap.wrap(
        testo, 98, initial_indent="# " + rientro, subsequent_indent="# " + rientro + ("  " if rientro else "")
    )


def _yaml(chiave: str, valore) -> list[str]:
    if isinstance(valore, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", valore):
        return [f"{chiave}: {valore}"]  # a date, written like the other records
    testo = yaml.safe_dump({chiave: valore}, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)
    return testo.rstrip("\n").split("\n")


def _spiegazione(c: Campo, titolo: bool = True) -> str:
    testo = f"{c.titolo}: {c.descrizione}" if titolo else c.descrizione
    if c.obbligatorio and not c.condizione:
        testo += " OBBLIGATORIO."
    elif c.condizione:
        testo += f" ({c.condizione})"
    if c.valori:
        testo += " Valori ammessi: " + ", ".join(v for v, _ in c.valori) + "."
    return testo


def _esempio_gruppo(c: Campo):
    if c.esempio is not None:
        return c.esempio
    return {f.nome: f.esempio for f in c.figli if f.esempio is not None}


def modello(progetto: Progetto, tipo: Tipo, valori: dict) -> str:
    """The text of the new file; valori holds the required fields already known."""
    righe = [
        SCHEMA_LINE.format(schema=tipo.schema),
        f"# Nuova scheda: {tipo.etichetta}. Le righe che iniziano con # sono commenti: per usare",
        "# un campo togli il # (e lo spazio) davanti, poi sostituisci l'esempio con il dato vero.",
        f"# Guida ai campi: {_url_guida(progetto, tipo)}",
        "# Controllo: atlante validate (oppure il controllo automatico della pull request).",
        "",
    ]
    for c in campi(progetto, tipo):
        if c.nome == "sintetico":
            continue  # only for generated test data
        righe += _commento(_spiegazione(c))
        for f in c.figli:
            righe += _commento(f"{f.nome}: {_spiegazione(f, titolo=False)}", "  ")
        if c.obbligatorio:
            valore = valori.get(c.nome)
            if valore is None:
                righe.append(f"{c.nome}:  # DA COMPILARE (es. {_in_riga(c.esempio)})")
            else:
                righe += _yaml(c.nome, valore)
        else:
            righe += ["# " + r for r in _yaml(c.nome, _esempio_gruppo(c))]
        righe.append("")
    return "\n".join(righe).rstrip("\n") + "\n"


def _url_guida(progetto: Progetto, tipo: Tipo) -> str:
    """The field guide on the published site, or its path in the docs when site_url is unknown."""
    from atlante.modello.percorsi import pagina_guida

    pagina = pagina_guida(tipo).removesuffix(".md") + "/"
    try:
        config = yaml.safe_load((progetto.root / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):  # e.g. !!python tags: not worth failing over a comment
        config = {}
    base = config.get("site_url") if isinstance(config, dict) else None
    return (base.rstrip("/") + "/" + pagina) if isinstance(base, str) and base else pagina


def _in_riga(valore) -> str:
    if isinstance(valore, list):
        return "[" + ", ".join(_in_riga(v) for v in valore) + "]"
    return str(valore)


# -- collecting the essentials -------------------------------------------------


def essenziali(progetto: Progetto, tipo: Tipo) -> list[Campo]:
    """The required top-level fields that a person must give (verificato_il defaults to today)."""
    return [c for c in campi(progetto, tipo) if c.obbligatorio and c.nome != "verificato_il"]


def controlla(progetto: Progetto, c: Campo, valore):
    """The normalised value, or NuovaSchedaErrore with the reason in Italian."""
    t = progetto.territorio
    if c.nome in ("comune", "comuni"):
        elenco = valore if isinstance(valore, list) else [valore]
        ufficiali = []
        for nome in elenco:
            comune = t.trova(nome)
            if comune is None:
                near = t.suggerisci(nome)
                hint = f" (forse intendevi '{near}'?)" if near else ""
                raise NuovaSchedaErrore(f"comune sconosciuto '{nome}': non è tra i comuni dell'Ambito{hint}")
            ufficiali.append(comune.nome)
        return ufficiali if c.nome == "comuni" else ufficiali[0]
    if c.valori:
        ammessi = [v for v, _ in c.valori]
        if valore not in ammessi:
            raise NuovaSchedaErrore(
                f"valore non ammesso per {c.nome}: '{valore}' (valori possibili: {', '.join(ammessi)})"
            )
    if c.nome == "nome" and len(valore.strip()) < 3:
        raise NuovaSchedaErrore("il nome deve avere almeno 3 caratteri")
    return valore.strip() if isinstance(valore, str) else valore


def scegli(c: Campo, leggi, scrivi) -> str:
    """A field with allowed values: a numbered menu; the answer is a number or the value itself."""
    scrivi(f"{c.titolo}: {c.descrizione}")
    for i, (v, n) in enumerate(c.valori, 1):
        scrivi(f"  {i}. {n} ({v})")
    risposta = leggi(f"{c.titolo} (numero o valore, invio per lasciarlo vuoto): ").strip()
    if risposta.isdigit() and 1 <= int(risposta) <= len(c.valori):
        risposta = c.valori[int(risposta) - 1][0]
    return risposta


def chiedi(progetto: Progetto, c: Campo, leggi=input, scrivi=print):
    """Ask on the terminal until the value is acceptable; empty answer = leave it to fill later."""
    while True:
        if c.valori:
            risposta = scegli(c, leggi, scrivi)
        else:
            extra = " (separa più comuni con la virgola)" if c.nome == "comuni" else ""
            risposta = leggi(f"{c.titolo}{extra}: ").strip()
            if c.nome == "comuni" and risposta:
                risposta = [x.strip() for x in risposta.split(",") if x.strip()]
        if not risposta:
            if c.nome == "nome":
                scrivi("Il nome serve per scegliere il nome del file: scrivilo, per favore.")
                continue
            return None
        try:
            return controlla(progetto, c, risposta)
        except NuovaSchedaErrore as e:
            scrivi(f"  {e}. Riprova.")


def crea(
    progetto: Progetto,
    tipo: Tipo,
    dati: dict,
    interattivo: bool = False,
    id_file: str | None = None,
    leggi=input,
    scrivi=print,
) -> Path:
    """Write the new record and return its path; NuovaSchedaErrore on any refusal."""
    valori = {}
    for c in essenziali(progetto, tipo):
        valore = dati.get(c.nome)
        if valore is not None:
            valori[c.nome] = controlla(progetto, c, valore)
        elif interattivo:
            valori[c.nome] = chiedi(progetto, c, leggi, scrivi)
    if not valori.get("nome") and not id_file:
        raise NuovaSchedaErrore(
            "serve il nome dell'ente per scegliere il nome del file: "
            'usa --nome "Nome dell\'ente" (oppure --file nome-del-file)',
            2,
        )
    verificato = dati.get("verificato_il") or dt.date.today().isoformat()
    try:
        dt.date.fromisoformat(verificato)
    except ValueError:
        raise NuovaSchedaErrore(f"data non valida '{verificato}': usa il formato AAAA-MM-GG", 2) from None
    valori["verificato_il"] = verificato
    ident = id_file.removesuffix(".yml") if id_file else nome_file(valori["nome"])
    if not ID_RE.match(ident):
        raise NuovaSchedaErrore(f"nome del file non valido '{ident}': solo lettere minuscole, cifre e trattini", 2)
    path = progetto.enti_dir / tipo.cartella / f"{ident}.yml"
    if path.exists():
        raise NuovaSchedaErrore(
            f"il file {progetto.rel(path)} esiste già: non lo sovrascrivo. Se è lo stesso ente, modifica "
            "quello; se è un altro, scegli un nome di file diverso con --file nome-del-file"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as fh:  # "x": fails rather than overwrite, even in a race
        fh.write(modello(progetto, tipo, valori))
    return path


def interattivo() -> bool:
    return sys.stdin.isatty()
