"""Formatting for people and for files, one rule each: Italian dates and numbers, sizes, slugs, phones."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

MESI = [
    "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
    "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
]  # fmt: skip
MAX_ID = 80  # longest record id (file name and URL segment), cut at a word boundary


def come_data(v) -> dt.date | None:
    """A date from a record value: the YAML loader may give a date or its ISO string."""
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v.strip())
        except ValueError:
            return None
    return None


def data_italiana(d: dt.date) -> str:
    """20 novembre 2026."""
    return f"{d.day} {MESI[d.month - 1]} {d.year}"


def del_giorno(d: dt.date) -> str:
    """'del 18 ottobre 2024', 'dell'8 ottobre 2024': the article elides before 8 and 11."""
    return ("dell'" if d.day in (8, 11) else "del ") + data_italiana(d)


def data_it(d) -> str:
    """data_italiana for any record value: a date, or the ISO string a YAML loader may leave."""
    if isinstance(d, str):
        try:
            d = dt.date.fromisoformat(d)
        except ValueError:
            return d
    if isinstance(d, dt.datetime):
        d = d.date()
    if not isinstance(d, dt.date):
        return "" if d is None else str(d)
    return data_italiana(d)


def numero(v, decimali: int = 0) -> str:
    """Italian number formatting: 1.234,5 (thousands with a dot, decimals with a comma); None is '–'."""
    if v is None:
        return "–"
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    s = f"{v:,.{decimali}f}"
    return s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def euro(v) -> str | None:
    """1.234,50 € (None when v is not a number)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return numero(v, 2) + " €"


def dimensione(n: int) -> str:
    """Byte size for people: 812 byte, 12,3 kB, 1,4 MB (decimal units, as file managers show)."""
    if n < 1000:
        return f"{n} byte"
    if n < 1_000_000:
        return f"{numero(n / 1000, 1)} kB"
    return f"{numero(n / 1_000_000, 1)} MB"


def slug(nome: str, max_len: int = MAX_ID) -> str:
    """An id from a name: accents transliterated, kebab-case ASCII, cut at a word boundary."""
    s = unicodedata.normalize("NFKD", nome.replace("’", "'"))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    if len(s) > max_len:
        s = s[:max_len].rsplit("-", 1)[0] if "-" in s[:max_len] else s[:max_len]
    return s


@lru_cache(maxsize=1 << 16)
def numero_telefono(value: str):
    """The parsed number when value is a valid phone number (Italian unless it says otherwise), else None.
    Cached (the object is shared: do not modify it): parsing is slow and the same number recurs
    (a switchboard, a comune's offices); the import's cleaning and the check of its output share it."""
    import phonenumbers

    try:
        num = phonenumbers.parse(value, "IT")
    except phonenumbers.NumberParseException:
        return None
    return num if phonenumbers.is_valid_number(num) else None


def telefono_valido(value: str) -> bool:
    """numero_telefono(value) is not None, faster for an Italian number as people write it: its
    digits are the national number, valid when they match Italy's general pattern and one of its
    number types, as phonenumbers decides from its own metadata (~10x faster than parsing; the
    other numbers and the rare Vatican ones go through phonenumbers; tests/test_formato.py compares)."""
    cifre = value.replace(" ", "")
    if _NAZIONALE_SEMPLICE.fullmatch(cifre):
        generale, tipi = _descrizioni_italiane()
        if _corrisponde(cifre, generale) and any(_corrisponde(cifre, t) for t in tipi):
            return True
    return numero_telefono(value) is not None


@lru_cache(maxsize=1)
def _descrizioni_italiane():
    """(lengths, pattern) of Italy's general description and of each number type, in phonenumbers'
    metadata (the same it reads in is_valid_number)."""
    from phonenumbers import PhoneMetadata

    m = PhoneMetadata.metadata_for_region("IT")

    def voce(d):
        return frozenset(d.possible_length or ()), re.compile(d.national_number_pattern)

    tipi = (
        m.premium_rate, m.toll_free, m.shared_cost, m.voip, m.personal_number,
        m.pager, m.uan, m.voicemail, m.fixed_line, m.mobile,
    )  # fmt: skip
    return voce(m.general_desc), [voce(d) for d in tipi if d is not None and d.national_number_pattern]


def _corrisponde(cifre: str, voce) -> bool:
    lunghezze, modello = voce
    return (not lunghezze or len(cifre) in lunghezze) and modello.fullmatch(cifre) is not None


# An Italian number as people write it (landline with its 0, or mobile), spaces aside: its E.164
# form is +39 and the digits, which phonenumbers takes ~0.1 ms per number to say. Not 39...:
# phonenumbers may read that as the country code (tests/test_formato.py compares the two).
_NAZIONALE_SEMPLICE = re.compile(r"(?:0[1-9]|3[0-8])[0-9]{4,9}")


def tel_href(testo: str) -> str:
    """tel:+39... in E.164 when the number parses, else the digits as written."""
    cifre = testo.replace(" ", "")
    if _NAZIONALE_SEMPLICE.fullmatch(cifre):
        return "tel:+39" + cifre
    import phonenumbers

    try:
        return "tel:" + phonenumbers.format_number(phonenumbers.parse(testo, "IT"), phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        return "tel:" + "".join(ch for ch in testo if ch.isdigit() or ch == "+")
