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
        "nome comune",
        "comune nome",
        "denominazione comune",
        "descrizione comune",
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
    "comune_istat": [
        "codice istat comune",
        "codice comune istat",
        "codice comune",
        "codice istat",
        "cod istat",
        "istat",
        "istat comune",
        "cod comune",
        "pro com",
        "pro com t",
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
        ],
        "posti_accreditati": [
            "posti accreditati",
            "posti letto accreditati",
            "posti letto totali accreditati",
            "n posti accreditati",
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


# Fields that are not record fields: keys the importer uses, then drops.
VIRTUALI = {"comune_istat": "codice ISTAT del comune: la chiave più sicura del comune"}

# Words a header may add after the field's name: "Denominazione struttura", "Comune ente".
_SUFFISSI = ("struttura", "strutture", "ente", "enti", "organizzazione", "associazione", "sede", "servizio", "unita")


def intestazioni_note(tipo: str, campi: set[str] | None = None) -> dict[str, str]:
    """Header key -> field key path, for one kind (the kind's own entries win); with `campi`,
    only headers of fields the kind's schema has."""
    out: dict[str, str] = {}
    table = dict(_COMUNI)
    if tipo == "patto":
        table.pop("comune")  # a patto spans several comuni: its "Comune" column fills `comuni`
        table.pop("comune_istat")
    for fld, names in [*_PER_TIPO.get(tipo, {}).items(), *table.items()]:
        if campi is not None and fld not in campi and fld not in VIRTUALI:
            continue
        for n in names:
            out.setdefault(chiave(n), fld)
    return out


def campo_per(k: str, note: dict[str, str]) -> str | None:
    """The field of a header key: as known, or once its suffix ("... struttura") is taken off."""
    if k in note:
        return note[k]
    for suf in _SUFFISSI:
        if k.endswith(suf) and k[: -len(suf)] in note:
            return note[k[: -len(suf)]]
    return None


@dataclass
class Fonte:
    """Where a file comes from: written into each record's `fonte`; its date is `verificato_il`."""

    dataset: str
    editore: str = ""
    data: object = None  # datetime.date
    licenza: str = ""
    url: str = ""
    nota: str = ""

    def testo(self) -> str:
        parti = [self.dataset]
        if self.editore:
            parti.append(self.editore)
        if self.data:
            parti.append(f"dati al {self.data.strftime('%d/%m/%Y')}" + (f" ({self.nota})" if self.nota else ""))
        if self.licenza:
            parti.append(f"licenza {self.licenza}")
        if self.url:
            parti.append(self.url)
        return ", ".join(parti)


@dataclass
class Mappatura:
    """A mapping file: `colonne: {intestazione: campo}`, `ignora: [...]`, `valori: {campo: valore}`
    (defaults, over the kind's own), `filtri: {intestazione: valore}`, `fonte: {...}`, `tipo`."""

    colonne: dict[str, str] = field(default_factory=dict)  # header key -> field
    ignora: set[str] = field(default_factory=set)
    valori: dict[str, object] = field(default_factory=dict)
    filtri: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (header as written, key, values)
    fonte: Fonte | None = None
    tipo: str | None = None


class MappaturaNonValida(Exception):
    pass


_CHIAVI = {"tipo", "colonne", "ignora", "valori", "filtri", "fonte", "note"}
_CHIAVI_FONTE = {"dataset", "editore", "data", "licenza", "url", "nota"}


def filtro(testo_filtro: str) -> tuple[str, str, list[str]]:
    """'colonna=valore' (or 'colonna=v1,v2') as given on the command line."""
    col, sep, val = testo_filtro.partition("=")
    if not sep or not chiave(col):
        raise MappaturaNonValida(f"filtro '{testo_filtro}': scrivi COLONNA=VALORE, es. ets_e_onlus=X")
    return col.strip(), chiave(col), [v.strip() for v in val.split(",")]


def leggi_fonte(data, dove: str) -> Fonte:
    import datetime as dt

    if not isinstance(data, dict) or not data.get("dataset") or set(data) - _CHIAVI_FONTE:
        raise MappaturaNonValida(
            f"{dove}: 'fonte' vuole 'dataset' e facoltativamente {', '.join(sorted(_CHIAVI_FONTE - {'dataset'}))}"
        )
    quando = data.get("data")
    if quando is not None and not isinstance(quando, dt.date):
        try:
            quando = dt.date.fromisoformat(str(quando))
        except ValueError:
            raise MappaturaNonValida(f"{dove}: fonte.data '{quando}' non è una data AAAA-MM-GG") from None
    return Fonte(
        **{k: str(v).strip() for k, v in data.items() if k not in ("data",) and v is not None},
        data=quando,
    )


def leggi_mappatura(path: Path, campi_ammessi: set[str] | None = None) -> Mappatura:
    from atlante.lettura.yamlfile import read_yaml

    try:
        doc = read_yaml(path, str(path))
    except OSError as e:
        raise MappaturaNonValida(f"{path}: file di mappatura non leggibile ({e.__class__.__name__})") from e
    if doc.problems:
        raise MappaturaNonValida("\n".join(p.text() for p in doc.problems))
    data = doc.data or {}
    if not isinstance(data, dict) or set(data) - _CHIAVI:
        raise MappaturaNonValida(f"{path}: la mappatura ammette solo le chiavi {', '.join(sorted(_CHIAVI))}")
    m = Mappatura(tipo=data.get("tipo"))
    if data.get("fonte") is not None:
        m.fonte = leggi_fonte(data["fonte"], str(path))
    if campi_ammessi is None:
        return m  # only the kind and the source
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
    filtri = data.get("filtri") or {}
    if not isinstance(filtri, dict):
        raise MappaturaNonValida(f"{path}: 'filtri' vuole {{colonna: valore}} oppure {{colonna: [valori]}}")
    for col, val in filtri.items():
        vals = val if isinstance(val, list) else [val]
        m.filtri.append((str(col), chiave(col), [str(v).strip() for v in vals]))
    return m


@dataclass
class Colonne:
    usate: list[tuple[int, str, str]]  # (column index, header, field)
    ignorate: list[str]


def risolvi(intestazioni: list[str], tipo: str, mappatura: Mappatura | None, campi: set[str] | None = None) -> Colonne:
    """Assign each header a field: mapping file first, then the usual names. The first column
    for a field wins, except telephone-like ones, which all feed the list of numbers."""
    note = intestazioni_note(tipo, campi)
    usate, ignorate, presi = [], [], set()
    for i, h in enumerate(intestazioni):
        k = chiave(h)
        if not k:
            continue
        if mappatura and k in mappatura.ignora:
            ignorate.append(h)
            continue
        fld = (mappatura.colonne.get(k) if mappatura else None) or campo_per(k, note)
        multi = fld in ("contatti.telefono",)
        if fld and (multi or fld not in presi):
            usate.append((i, h, fld))
            presi.add(fld)
        else:
            ignorate.append(h)
    return Colonne(usate, ignorate)


def conta_note(tipo: str, mappatura: Mappatura | None, campi: set[str] | None = None):
    """The header finder: how many cells of a row are headers we know."""
    note = intestazioni_note(tipo, campi)
    extra = set(mappatura.colonne) if mappatura else set()

    def riconosci(cells) -> int:
        return sum(1 for c in cells if isinstance(c, str) and (chiave(c) in extra or campo_per(chiave(c), note)))

    return riconosci
