"""Which spreadsheet column feeds which record field: the usual Italian headers, or a mapping file.

Headers are compared without case, accents, spaces and punctuation ("C.F." = "cf",
"E-mail" = "email"), so the many spellings of the same column need one entry each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from atlante.lettura.territorio import normalizza


def chiave(testo) -> str:
    """A header as compared: lower case ASCII letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", normalizza(str(testo or "")))


# Fields every kind shares; key path -> known headers.
_COMUNI: dict[str, list[str]] = {
    "nome": [
        "denominazione",
        "nome",
        "ragione sociale",
        "denominazione sociale",
        "nome ente",
        "denominazione ente",
        "ente",
        "nome associazione",
        "associazione",
        "organizzazione",
    ],
    "descrizione": ["descrizione", "presentazione", "chi siamo"],
    "comune": [
        "comune",
        "comune sede",
        "comune di sede",
        "sede comune",
        "comune sede legale",
        "comune sede operativa",
        "citta",
        "localita",
    ],
    "indirizzo": [
        "indirizzo",
        "via",
        "indirizzo sede",
        "sede",
        "sede legale",
        "sede operativa",
        "indirizzo sede legale",
        "indirizzo sede operativa",
        "via e numero civico",
    ],
    "cap": ["cap", "c a p", "codice postale"],
    "contatti.telefono": [
        "telefono",
        "tel",
        "telefono fisso",
        "recapito telefonico",
        "telefono 1",
        "telefono 2",
        "cellulare",
        "cell",
        "tel cell",
        "numero di telefono",
        "telefono sede",
    ],
    "contatti.email": ["email", "e mail", "mail", "posta elettronica", "indirizzo email", "indirizzo e mail"],
    "contatti.pec": ["pec", "email pec", "indirizzo pec", "posta elettronica certificata"],
    "contatti.sito_web": ["sito", "sito web", "sito internet", "web", "url", "website", "indirizzo web"],
    "orari": ["orari", "orario", "orari di apertura", "orario di apertura"],
    "temi": ["temi", "aree tematiche", "area tematica"],
    "accessibilita": ["accessibilita", "accessibilita disabili"],
    "verificato_il": ["verificato il", "data verifica", "data aggiornamento", "aggiornato al", "data ultima verifica"],
    "fonte": ["fonte"],
    "posizione.lat": ["lat", "latitudine"],
    "posizione.lon": ["lon", "lng", "long", "longitudine"],
}

_PER_TIPO: dict[str, dict[str, list[str]]] = {
    "ets": {
        "codice_fiscale": [
            "codice fiscale",
            "cf",
            "c f",
            "partita iva",
            "p iva",
            "piva",
            "codice fiscale p iva",
            "cf p iva",
            "codice fiscale partita iva",
        ],
        "forma_giuridica": ["forma giuridica", "natura giuridica"],
        "runts.sezione": [
            "sezione runts",
            "sezione",
            "runts",
            "sezione registro",
            "iscrizione runts",
            "sezione di iscrizione",
        ],
        "runts.numero_repertorio": [
            "n repertorio",
            "numero repertorio",
            "repertorio",
            "n repertorio runts",
            "numero di repertorio",
            "numero iscrizione",
            "n iscrizione",
        ],
        "attivita": [
            "attivita",
            "attivita svolte",
            "attivita principali",
            "settore di attivita",
            "ambito di attivita",
            "ambiti di intervento",
        ],
        "destinatari": ["destinatari", "beneficiari", "utenza", "target"],
    },
    "biblioteca": {
        "tipo": ["tipo", "tipologia", "tipo biblioteca"],
        "isil": ["isil", "codice isil"],
        "rete": ["rete", "rete bibliotecaria", "sistema bibliotecario"],
        "servizi": ["servizi", "servizi offerti"],
    },
    "udo": {
        "tipologia": [
            "tipologia",
            "tipologia udo",
            "tipo",
            "tipologia unita di offerta",
            "unita di offerta",
            "tipologia struttura",
        ],
        "posti": [
            "posti",
            "posti autorizzati",
            "n posti",
            "numero posti",
            "capacita",
            "posti letto",
            "capacita ricettiva",
            "posti accreditati",
        ],
        "ente_gestore": ["ente gestore", "gestore", "soggetto gestore"],
        "stato": ["stato"],
        "accreditata": ["accreditata", "accreditamento", "accreditato"],
        "a_contratto": ["a contratto", "contratto", "contrattualizzata", "contrattualizzato"],
    },
    "patto": {
        "comuni": ["comuni", "comuni coinvolti", "comune"],
        "capofila": ["capofila", "ente capofila"],
        "aderenti": ["aderenti", "partner", "enti aderenti"],
        "periodo.inizio": ["inizio", "data inizio", "dal"],
        "periodo.fine": ["fine", "data fine", "al", "scadenza"],
        "stato": ["stato"],
        "finanziamento.importo": ["importo", "finanziamento", "importo finanziamento"],
        "finanziamento.fonte": ["fonte finanziamento", "fonte del finanziamento"],
        "obiettivi": ["obiettivi", "obiettivo"],
    },
}


def intestazioni_note(tipo: str) -> dict[str, str]:
    """Header key -> field key path, for one kind (the kind's own entries win)."""
    out: dict[str, str] = {}
    table = dict(_COMUNI)
    if tipo == "patto":
        table.pop("comune")  # a patto spans several comuni: its "Comune" column fills `comuni`
    for fld, names in [*_PER_TIPO.get(tipo, {}).items(), *table.items()]:
        for n in names:
            out.setdefault(chiave(n), fld)
    return out


@dataclass
class Mappatura:
    """A mapping file: `colonne: {intestazione: campo}`, `ignora: [...]`, `valori: {campo: valore}`."""

    colonne: dict[str, str] = field(default_factory=dict)  # header key -> field
    ignora: set[str] = field(default_factory=set)
    valori: dict[str, object] = field(default_factory=dict)


class MappaturaNonValida(Exception):
    pass


def leggi_mappatura(path: Path, campi_ammessi: set[str]) -> Mappatura:
    """The mapping file, read by the records' YAML reader: positions in messages, and no anchors or
    aliases (nested aliases took 9 s and 736 MB at 8 levels with a plain YAML load)."""
    from atlante.lettura.yamlfile import read_yaml

    try:
        doc = read_yaml(path, str(path))
    except OSError as e:
        raise MappaturaNonValida(f"{path}: file di mappatura non leggibile ({e.__class__.__name__})") from e
    if doc.problems:
        raise MappaturaNonValida("\n".join(p.text() for p in doc.problems))
    data = doc.data or {}
    if not isinstance(data, dict) or set(data) - {"colonne", "ignora", "valori"}:
        raise MappaturaNonValida(f"{path}: la mappatura ammette solo le chiavi 'colonne', 'ignora' e 'valori'")
    m = Mappatura()
    for col, fld in (data.get("colonne") or {}).items():
        if fld not in campi_ammessi:
            raise MappaturaNonValida(
                f"{path}: colonna '{col}': campo sconosciuto '{fld}' "
                f"(campi possibili: {', '.join(sorted(campi_ammessi))})"
            )
        m.colonne[chiave(col)] = fld
    m.ignora = {chiave(c) for c in data.get("ignora") or []}
    for fld, val in (data.get("valori") or {}).items():
        if fld not in campi_ammessi:
            raise MappaturaNonValida(f"{path}: valori: campo sconosciuto '{fld}'")
        m.valori[fld] = val
    return m


def campi_ammessi(tipo: str) -> set[str]:
    return set(intestazioni_note(tipo).values())


@dataclass
class Colonne:
    usate: list[tuple[int, str, str]]  # (column index, header, field)
    ignorate: list[str]


def risolvi(intestazioni: list[str], tipo: str, mappatura: Mappatura | None) -> Colonne:
    """Assign each header a field: mapping file first, then the usual names. The first column
    for a field wins, except telephone-like ones, which all feed the list of numbers."""
    note = intestazioni_note(tipo)
    usate, ignorate, presi = [], [], set()
    for i, h in enumerate(intestazioni):
        k = chiave(h)
        if not k:
            continue
        if mappatura and k in mappatura.ignora:
            ignorate.append(h)
            continue
        fld = (mappatura.colonne.get(k) if mappatura else None) or note.get(k)
        multi = fld in ("contatti.telefono",)
        if fld and (multi or fld not in presi):
            usate.append((i, h, fld))
            presi.add(fld)
        else:
            ignorate.append(h)
    return Colonne(usate, ignorate)


def conta_note(tipo: str, mappatura: Mappatura | None):
    """The header finder: how many cells of a row are headers we know."""
    note = set(intestazioni_note(tipo)) | (set(mappatura.colonne) if mappatura else set())

    def riconosci(cells) -> int:
        return sum(1 for c in cells if isinstance(c, str) and chiave(c) in note)

    return riconosci
