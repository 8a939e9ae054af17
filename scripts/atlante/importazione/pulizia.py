"""Cleaning spreadsheet cells into record values: phones, emails, URLs, codes, dates, taxonomy ids.

Each cleaner returns the cleaned value, or raises `ValoreNonValido` with an Italian reason
when the cell cannot be understood. Cells that merely look odd are passed on as written:
the validator then says precisely what is wrong, with the source row.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from functools import lru_cache

from atlante.base import formato
from atlante.importazione.colonne import chiave


class ValoreNonValido(ValueError):
    pass


def testo(v) -> str:
    """A cell as one line of text: Excel floats like 12.0 lose the .0; spaces collapsed."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()[:10]
    return re.sub(r"\s+", " ", str(v).replace("\u00a0", " ")).strip()


def slug(nome: str) -> str:
    return formato.slug(nome) or "ente"


def elenco(v) -> list[str]:
    """A list cell: items split on ';', '|' or new lines; on commas only when none of those is used."""
    raw = "" if v is None else str(v)
    parts = re.split(r"[;|\n]", raw) if re.search(r"[;|\n]", raw) else raw.split(",")
    return [p for p in (testo(x).strip(" -•") for x in parts) if p]


def telefoni(v) -> list[str]:
    """One or more Italian numbers in a cell, each as people write it (e.g. '0373 218820')."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        # Excel drops a landline's leading 0 from numeric cells: 373218820 is 0373 218820.
        # Mobile numbers have 10 digits starting with 3; anything else lost its 0.
        digits = str(int(v))
        v = digits if len(digits) == 10 and digits.startswith("3") else "0" + digits
    v = re.sub(r"-\s*\n\s*", "-", str(v))  # a number broken after its hyphen by a PDF extraction
    # "0374/85117-85327": two numbers sharing their prefix, as directories write them
    m = re.fullmatch(r"\s*(0\d{1,3})\s*[/ ]\s*(\d{4,8})\s*-\s*(\d{4,8})\s*", v)
    if m and len(m[2]) == len(m[3]):
        v = f"{m[1]} {m[2]}; {m[1]} {m[3]}"
    out = []
    for part in re.split(r"\s*(?:[;,|\n]|\s-\s|\so\s|\soppure\s)\s*", str(v)):
        part = re.sub(r"^(tel|cell|telefono|cellulare)\.?:?\s*", "", part.strip(), flags=re.I)
        if not part:
            continue
        # "0373/123456" is one number with its prefix; "0373 123456 / 333 1234567" are two
        pieces = (
            [part]
            if "/" not in part
            else [part.replace("/", " ")]
            if _formatta(part.replace("/", " "))
            else [x.strip() for x in part.split("/") if x.strip()]
        )
        # an invalid number is kept as written: the validator explains what is wrong with it
        out.extend(_formatta(x) or x for x in pieces)
    return out


@lru_cache(maxsize=1 << 16)
def _formatta(part: str) -> str | None:
    """The number as people write it (e.g. '0373 218820'), or None when it is not a valid number."""
    import phonenumbers

    from atlante.base.formato import numero_telefono

    num = numero_telefono(part)
    if num is None:
        return None
    fmt = phonenumbers.PhoneNumberFormat
    return phonenumbers.format_number(num, fmt.NATIONAL if num.country_code == 39 else fmt.INTERNATIONAL)


@lru_cache(maxsize=1 << 16)
def chiave_telefono(v: str) -> str:
    """Comparison form: the same number written two ways is the same number."""
    import phonenumbers

    try:
        return phonenumbers.format_number(phonenumbers.parse(v, "IT"), phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        return re.sub(r"\D", "", v)


def email(v) -> str:
    s = testo(v)
    s = re.sub(r"^mailto:", "", s, flags=re.I)
    s = re.split(r"[;,\s]+", s)[0] if s else s  # a second address has no field: the report says so
    return s.strip("<>.").lower()


def sito_web(v) -> str:
    s = testo(v).strip()
    if s and not re.match(r"^[a-z][a-z0-9+.-]*:", s, re.I):
        s = "https://" + s.lstrip("/")  # "www.example.org" as typed in spreadsheets
    return s


def codice_fiscale(v) -> str:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(int(v)).zfill(11)  # numeric cell: leading zeros of a partita IVA were dropped
    s = re.sub(r"[\s.\-]", "", testo(v)).upper()
    return s[2:] if re.fullmatch(r"IT[0-9]{11}", s) else s


def isil(v) -> str:
    return re.sub(r"\s", "", testo(v)).upper()


def cap(v) -> str:
    s = re.sub(r"\s", "", testo(v))
    return s.zfill(5) if re.fullmatch(r"[0-9]{4}", s) else s


def intero(v):
    if isinstance(v, bool):
        raise ValoreNonValido(f"'{v}' non è un numero")
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    m = re.fullmatch(r"\s*(\d+)(?:[.,]0+)?\s*(posti|p\.?)?\s*", str(v), re.I)
    if not m:
        raise ValoreNonValido(f"'{testo(v)}' non è un numero intero")
    return int(m[1])


def decimale(v) -> float:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    s = testo(v).replace("€", "").replace(" ", "")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", s):  # 12.500,00 as Italians write it
        s = s.replace(".", "")
    try:
        return float(s.replace(",", "."))
    except ValueError:
        raise ValoreNonValido(f"'{testo(v)}' non è un numero") from None


_SI = {"si", "s", "x", "true", "vero", "1", "yes", "y", "accreditata", "accreditato"}
_NO = {"no", "n", "false", "falso", "0", "non accreditata", "non accreditato"}


def booleano(v) -> bool:
    if isinstance(v, bool):
        return v
    k = normalizza_parole(testo(v))
    if k in _SI:
        return True
    if k in _NO:
        return False
    raise ValoreNonValido(f"'{testo(v)}' non è né sì né no")


def data(v) -> str:
    """ISO date from an ISO string, a dd/mm/yyyy string or an Excel date cell."""
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    s = testo(v)
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", s)
    try:
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        return dt.date.fromisoformat(s).isoformat()
    except ValueError:
        raise ValoreNonValido(f"'{s}' non è una data (scrivi GG/MM/AAAA o AAAA-MM-GG)") from None


def normalizza_parole(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9]+", " ", s)).strip()


def _indice_tassonomia(voci: list[dict], extra: dict[str, str] | None = None) -> dict[str, str]:
    """Words -> id: the id itself, the name, the name without its '(ABBR)', the abbreviation."""
    out: dict[str, str] = {}
    for v in voci:
        out[chiave(v["id"])] = v["id"]
        nome = v.get("nome", "")
        out[chiave(nome)] = v["id"]
        m = re.match(r"^(.*?)\s*\(([^)]+)\)\s*$", nome)
        if m:
            out[chiave(m[1])] = v["id"]
            out[chiave(m[2])] = v["id"]
    for k, v in (extra or {}).items():
        out[chiave(k)] = v
    return out


def da_tassonomia(valore, indice: dict[str, str], cosa: str) -> str:
    k = chiave(valore)
    if k in indice:
        return indice[k]
    near = difflib.get_close_matches(k, list(indice), n=1, cutoff=0.75)
    ids = sorted(set(indice.values()))
    hint = f"forse intendevi '{indice[near[0]]}'?" if near else "valori ammessi: " + ", ".join(ids)
    raise ValoreNonValido(f"{cosa} sconosciuta '{testo(valore)}' ({hint})")


# Words that say "not registered" in the RUNTS column.
_NON_ISCRITTO = {
    "",
    "no",
    "non iscritto",
    "non iscritta",
    "nessuna",
    "in attesa",
    "in corso di iscrizione",
    "non iscritto al runts",
    "n",
    "non presente",
}
_RUNTS_EXTRA = {
    "organizzazione di volontariato": "odv",
    "volontariato": "odv",
    "a": "odv",
    "sezione a": "odv",
    "associazione di promozione sociale": "aps",
    "promozione sociale": "aps",
    "b": "aps",
    "sezione b": "aps",
    "ente filantropico": "enti_filantropici",
    "c": "enti_filantropici",
    "sezione c": "enti_filantropici",
    "impresa sociale": "imprese_sociali",
    "imprese sociali": "imprese_sociali",
    "cooperativa sociale": "imprese_sociali",
    "cooperative sociali": "imprese_sociali",
    "d": "imprese_sociali",
    "sezione d": "imprese_sociali",
    "rete associativa": "reti_associative",
    "e": "reti_associative",
    "sezione e": "reti_associative",
    "societa di mutuo soccorso": "societa_mutuo_soccorso",
    "sms": "societa_mutuo_soccorso",
    "f": "societa_mutuo_soccorso",
    "sezione f": "societa_mutuo_soccorso",
    "altro ente del terzo settore": "altri_ets",
    "altri enti": "altri_ets",
    "g": "altri_ets",
    "sezione g": "altri_ets",
}


class Tassonomie:
    """Word-to-id indexes built once per import from the taxonomies of the schemas
    (data/schemas/tassonomie.schema.json, read through progetto.tassonomie): their only source."""

    def __init__(self, progetto):
        tax = progetto.tassonomie
        self.runts = _indice_tassonomia(tax.get("runts_sezioni", []), _RUNTS_EXTRA)
        self.udo = _indice_tassonomia(
            tax.get("udo_tipologie", []),
            {
                "nido": "asilo_nido",
                "asilo nido comunale": "asilo_nido",
                "centro diurno integrato": "cdi",
                "residenza sanitaria assistenziale": "rsa",
                "casa di riposo": "rsa",
            },
        )
        self.servizi = _indice_tassonomia(
            tax.get("servizi_biblioteca", []), {"wi fi": "wifi", "internet": "postazioni_internet"}
        )
        self.temi = _indice_tassonomia(tax.get("temi", []))
        self.forme = _indice_tassonomia(
            tax.get("forme_giuridiche", []),
            {
                "odv": "associazione",
                "aps": "associazione",
                "associazione di volontariato": "associazione",
                "associazione di promozione sociale": "associazione",
                "coop sociale": "cooperativa_sociale",
                "cooperativa sociale onlus": "cooperativa_sociale",
                "fondazione onlus": "fondazione",
            },
        )
        self.tipo_biblioteca = {
            chiave(k): v
            for k, v in {
                "biblioteca": "biblioteca",
                "biblioteca comunale": "biblioteca",
                "punto prestito": "punto_prestito",
                "punto di prestito": "punto_prestito",
                "punto_prestito": "punto_prestito",
            }.items()
        }

        self._per_tassonomia = {
            "runts_sezioni": self.runts,
            "udo_tipologie": self.udo,
            "servizi_biblioteca": self.servizi,
            "temi": self.temi,
            "forme_giuridiche": self.forme,
        }
        self._ids = {nome: {v["id"] for v in tax.get(nome, [])} for nome in self._per_tassonomia}
        self._indici: dict[tuple, dict[str, str]] = {}

    def scelta(self, ammessi: list, v, cosa: str) -> str:
        """One of the values a schema enum allows: through the taxonomy that holds them (its
        names and abbreviations), else through the ids themselves."""
        key = tuple(ammessi)
        if key not in self._indici:
            indice = next(
                (self._per_tassonomia[n] for n, ids in self._ids.items() if ids and set(ammessi) <= ids), None
            )
            if indice is None:
                indice = {chiave(x): x for x in ammessi}
                indice.update({k: x for k, x in self.tipo_biblioteca.items() if x in ammessi})
            self._indici[key] = {k: x for k, x in indice.items() if x in ammessi}
        return da_tassonomia(v, self._indici[key], cosa)

    def sezione_runts(self, v) -> str | None:
        """None when the cell says 'not registered', else the section id."""
        s = testo(v)
        s = re.sub(r"^\s*(sez(ione)?\.?\s*)?([a-g])\s*[).:-]\s+(?=\w{3})", "", s, flags=re.I)  # "a) Organizzazioni..."
        if normalizza_parole(s) in _NON_ISCRITTO:
            return None
        return da_tassonomia(s, self.runts, "sezione RUNTS")
