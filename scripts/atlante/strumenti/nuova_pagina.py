"""`atlante new verbale` and `atlante new notizia`: a new page under content/ whose front matter has
every field of the schema (data/schemas/verbale.schema.json, notizia.schema.json), explained in
Italian comments, like `atlante new` does for records.

Required fields are written uncommented, with the value given (option or terminal prompt) or left
empty so that `atlante validate` points at them; optional ones are commented out with a valid
example. The file name comes from date and organo (verbale) or date and title (notizia). Never
overwrites: the file is opened with "x".
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from atlante.base.formato import slug
from atlante.lettura.progetto import TIPI_PAGINE, Progetto, Tipo
from atlante.modello.campi import Campo, campi
from atlante.strumenti.nuovo import NuovaSchedaErrore, _commento, _esempio_gruppo, _in_riga, _spiegazione, _yaml, scegli

PAGINE = TIPI_PAGINE
_ORA_RE = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
_TESTO = {
    "verbale": "Il testo del verbale (Markdown) va sotto la riga '---' che chiude l'intestazione; "
    "un verbale riservato non ha testo qui.",
    "notizia": "Il testo della notizia (Markdown) va sotto la riga '---' che chiude l'intestazione.",
}


def persona(testo: str) -> dict:
    """'Nome Cognome, ruolo' -> {nome, ruolo}."""
    nome, _, ruolo = testo.partition(",")
    if not nome.strip():
        raise NuovaSchedaErrore(f"persona senza nome: '{testo}' (scrivi \"Nome Cognome, ruolo\")", 2)
    return {"nome": nome.strip(), **({"ruolo": ruolo.strip()} if ruolo.strip() else {})}


def controlla(progetto: Progetto, c: Campo, valore):
    """The value normalised, or NuovaSchedaErrore with the reason in Italian."""
    if isinstance(valore, str):
        valore = valore.strip()
    if c.valori and valore not in [v for v, _ in c.valori]:
        raise NuovaSchedaErrore(
            f"valore non ammesso per {c.nome}: '{valore}' (valori possibili: {', '.join(v for v, _ in c.valori)})"
        )
    if c.tipo.startswith("data"):
        try:
            dt.date.fromisoformat(valore)
        except (TypeError, ValueError):
            raise NuovaSchedaErrore(f"data non valida per {c.nome}: '{valore}' (usa il formato AAAA-MM-GG)") from None
    if c.nome.startswith("ora_"):
        m = _ORA_RE.match(str(valore))
        if not m:
            raise NuovaSchedaErrore(f"ora non valida per {c.nome}: '{valore}' (scrivi HH:MM, es. 14:00)")
        valore = f"{int(m[1]):02d}:{m[2]}"
    return valore


def _chiedi(progetto: Progetto, c: Campo, leggi, scrivi):
    while True:
        if c.valori:
            risposta = scegli(c, leggi, scrivi)
        else:
            risposta = leggi(f"{c.titolo} (invio per lasciarlo vuoto): ").strip()
        if not risposta:
            return None
        try:
            return controlla(progetto, c, risposta)
        except NuovaSchedaErrore as e:
            scrivi(f"  {e}. Riprova.")


def modello(progetto: Progetto, tipo: Tipo, valori: dict, testo: str = "") -> str:
    """The text of the new page: front matter with every field explained, then the body."""
    righe = [
        "---",
        f"# Nuova pagina: {tipo.etichetta}. Le righe che iniziano con # sono commenti: per usare un campo",
        "# togli il # (e lo spazio) davanti, poi sostituisci l'esempio con il dato vero.",
        f"# Guida ai campi: partecipa/campi-{tipo.id}/ sul sito; schema: data/schemas/{tipo.schema}",
        "# Controllo: atlante validate (oppure il controllo automatico della pull request).",
        "",
    ]
    for c in campi(progetto, tipo):
        righe += _commento(_spiegazione(c))
        for f in c.figli:
            righe += _commento(f"{f.nome}: {_spiegazione(f, titolo=False)}", "  ")
        if c.nome in valori:
            righe += _yaml(c.nome, valori[c.nome])
        elif c.obbligatorio:
            righe.append(f"{c.nome}:  # DA COMPILARE (es. {_in_riga(_esempio_gruppo(c))})")
        else:
            esempio = _esempio_gruppo(c)
            if c.tipo == "true oppure false":
                esempio = True
            elif esempio in (None, {}):
                esempio = ""
            elif c.tipo == "elenco di gruppi di campi" and isinstance(esempio, dict):
                esempio = [esempio]
            righe += ["# " + r for r in _yaml(c.nome, esempio)]
        righe.append("")
    righe += _commento(_TESTO[tipo.id]) + ["---", ""]
    if testo.strip():
        righe += [testo.strip(), ""]
    return "\n".join(righe)


def nome_file(tipo: Tipo, valori: dict) -> str:
    if tipo.id == "verbale":
        if not valori.get("data") or not valori.get("organo"):
            raise NuovaSchedaErrore("servono la data e l'organo per il nome del file: usa --data e --organo", 2)
        return f"{valori['data']}-{valori['organo']}"
    if not valori.get("titolo"):
        raise NuovaSchedaErrore('serve il titolo per il nome del file: usa --titolo "Titolo della notizia"', 2)
    return f"{valori['data']}-{slug(valori['titolo'])}"


def crea(
    progetto: Progetto,
    quale: str,
    dati: dict,
    testo: str = "",
    interattivo: bool = False,
    id_file: str | None = None,
    leggi=input,
    scrivi=print,
) -> Path:
    """Write the new page and return its path; NuovaSchedaErrore on any refusal, nothing written."""
    tipo = PAGINE[quale]
    valori: dict = {}
    elenco = campi(progetto, tipo)
    if quale == "notizia" and not dati.get("data"):
        dati = {**dati, "data": dt.date.today().isoformat()}
    for c in elenco:
        valore = dati.get(c.nome)
        if valore not in (None, [], ""):
            valori[c.nome] = valore if isinstance(valore, list) else controlla(progetto, c, valore)
        elif interattivo and c.obbligatorio and not c.figli:
            risposta = _chiedi(progetto, c, leggi, scrivi)
            if risposta is not None:
                valori[c.nome] = risposta
    ident = id_file.removesuffix(".md") if id_file else nome_file(tipo, valori)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", ident):
        raise NuovaSchedaErrore(f"nome del file non valido '{ident}': solo lettere minuscole, cifre e trattini", 2)
    path = progetto.content_dir / tipo.cartella / f"{ident}.md"
    if path.exists():
        raise NuovaSchedaErrore(
            f"il file {progetto.rel(path)} esiste già: non lo sovrascrivo. Modifica quello, oppure scegli "
            "un altro nome di file con --file nome-del-file"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as fh:  # "x": fails rather than overwrite, even in a race
        fh.write(modello(progetto, tipo, valori, testo))
    return path
