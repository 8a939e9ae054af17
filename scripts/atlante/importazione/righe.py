"""One spreadsheet row -> the data of one record, in the field order of the kind's schema."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from atlante.base.formato import numero_telefono
from atlante.importazione import nomi as N
from atlante.importazione import pulizia as P
from atlante.importazione.colonne import Colonne, Mappatura
from atlante.lettura.progetto import Progetto, Tipo
from atlante.modello.campi import schema_tipo
from atlante.validazione.controlli import _EMAIL_RE, check_orari, check_url

# Field order inside the nested mappings, as the shipped records write them.
_ORDINE_INTERNO = {
    "contatti": ["telefono", "email", "pec", "sito_web", "social"],
    "runts": ["iscritto", "sezione", "numero_repertorio"],
    "posizione": ["lat", "lon"],
    "periodo": ["inizio", "fine"],
    "finanziamento": ["importo", "fonte"],
}
# Cleaners of particular string values (the schema says "string"; these know how people write them).
_PULITORI = {
    "contatti.email": P.email,
    "contatti.pec": P.email,
    "codice_fiscale": P.codice_fiscale,
    "isil": P.isil,
    "runts.numero_repertorio": P.testo,
}
# Optional values that, when wrong, are left out of the record and listed "da verificare".
OPZIONALI = ("cap", "posizione", "contatti", "orari")


def schema_campi(schema: dict, prefisso: str = "") -> dict[str, dict]:
    """Dotted field path -> its (inlined) schema: the leaves an import can fill."""
    out: dict[str, dict] = {}
    for k, sub in (schema.get("properties") or {}).items():
        key = f"{prefisso}{k}"
        if sub.get("type") == "object" and "properties" in sub:
            out.update(schema_campi(sub, key + "."))
        elif not (sub.get("type") == "array" and (sub.get("items") or {}).get("type") == "object"):
            out[key] = sub  # a list of objects (documenti) has no spreadsheet form
    return out


def tipo_valore(s: dict) -> str:
    """What the schema says a value is: data, intero, numero, booleano, scelta, scelte, elenco,
    telefoni (text or list of texts), url, cap (a pattern of 5 digits) or testo."""
    t = s.get("type")
    if "enum" in s:
        return "scelta"
    if "anyOf" in s and {x.get("type") for x in s["anyOf"]} == {"string", "array"}:
        return "testi"
    if t == "array":
        return "scelte" if "enum" in (s.get("items") or {}) else "elenco"
    if t == "integer":
        return "intero"
    if t == "number":
        return "numero"
    if t == "boolean":
        return "booleano"
    if s.get("format") == "date":
        return "data"
    if s.get("pattern", "").startswith("^https?:"):
        return "url"
    if s.get("pattern") == "^[0-9]{5}$":
        return "cap"
    return "testo"


# Values each kind gets when the source says nothing (a library registry has no "tipo" column);
# a mapping file's `valori` overrides them, a column overrides both.
PREDEFINITI: dict[str, dict[str, object]] = {"biblioteca": {"tipo": "biblioteca"}}


@dataclass
class Riga:
    """One source row as record data, with what the import must say about it."""

    dati: dict
    errori: list[str]  # "campo: motivo": the row is refused
    dalla_riga: set[str]  # fields the source states (not defaults)
    note: list[str] = field(default_factory=list)  # "campo: ...": left out or changed, for a person to check
    dedotti: list[str] = field(default_factory=list)  # "campo: ...": inferred or rewritten, reported
    nome_troncato: bool = False  # never written over an existing record's name


_IN_CODA = ("temi", "accessibilita", "verificato_il", "fonte", "sintetico")


def ordine_campi(proprieta: list[str]) -> list[str]:
    """Field order of a written record, as the shipped records have it: what and where first,
    then the kind's own fields, then themes, accessibility, and the provenance at the end."""
    return [k for k in proprieta if k not in _IN_CODA] + [k for k in _IN_CODA if k in proprieta]


class Convertitore:
    def __init__(
        self,
        progetto: Progetto,
        tipo: Tipo,
        colonne: Colonne,
        mappatura: Mappatura | None,
        fonte: str,
        oggi: dt.date,
    ):
        self.terr = progetto.territorio
        self.tipo = tipo
        self.colonne = colonne
        self.mappatura = mappatura
        self.fonte = fonte
        self.oggi = oggi
        self.tax = P.Tassonomie(progetto)
        self.ordine = ordine_campi(list(progetto.schemas[tipo.schema].get("properties", {})))
        self.campi = schema_campi(schema_tipo(progetto, tipo))
        self.predefiniti = {k: v for k, v in PREDEFINITI.get(tipo.id, {}).items() if k in self.campi}

    def converti(self, valori: list) -> Riga:
        dati: dict = {}
        r = Riga(dati, [], set())
        for fld, val in self.predefiniti.items():
            if not (self.mappatura and fld in self.mappatura.valori):
                self._metti(dati, fld, val)
        coppie = [(fld, val) for fld, val in (self.mappatura.valori.items() if self.mappatura else [])]
        coppie += [(fld, valori[i]) for i, _h, fld in self.colonne.usate]
        istat = None
        for fld, raw in coppie:
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue  # an empty cell never erases what a record already says
            if fld == "comune_istat":
                istat = P.testo(raw)
                continue
            try:
                if fld in ("contatti.email", "contatti.pec"):
                    raw = self._email_ricomposta(fld, raw, r)
                    if raw is None:
                        continue
                self._metti(dati, fld, raw)
            except P.ValoreNonValido as e:
                if fld.split(".")[0] in OPZIONALI:
                    r.note.append(f"{fld}: {e}: lasciato fuori (nella fonte: '{P.testo(raw)}')")
                else:
                    r.errori.append(f"{fld}: {e}")
                continue
            r.dalla_riga.add(fld)
        self._telefoni(dati, r)
        if istat is not None:
            self._comune_da_istat(istat, coppie, r)
        self._nome(r)
        dati.setdefault("verificato_il", self.oggi)
        dati.setdefault("fonte", self.fonte)
        r.dati = self._ordina(dati)
        return r

    def _comune_da_istat(self, istat: str, coppie: list, r: Riga) -> None:
        """The ISTAT code is the strongest key of the comune; a name that disagrees is reported."""
        code = istat.zfill(6) if istat.isdigit() else istat
        c = self.terr.comuni.get(code)
        if c is None:
            r.errori.append(f"comune_istat: codice ISTAT '{istat}' fuori dall'Ambito")
            return
        scritto = next((P.testo(v) for f, v in coppie if f == "comune" and v not in (None, "")), None)
        r.errori = [e for e in r.errori if not e.startswith("comune:")]
        if scritto is not None and self.terr.trova(scritto) != c:
            r.note.append(
                f"comune: il nome '{scritto}' non corrisponde al codice ISTAT {code} ({c.nome}): usato il codice"
            )
        r.dati["comune"] = c.nome
        r.dalla_riga.add("comune")

    def _email_ricomposta(self, fld: str, raw, r: Riga):
        """An address a PDF extraction broke across lines and spaces: joined again when that is
        unambiguous (no break next to a hyphen, one '@', a valid address results)."""
        s = str(raw).replace("\u00a0", " ").strip()
        if not re.search(r"\s", s):
            return raw
        if re.search(r"[;,]", s) or len(re.findall(r"\S+@\S+", s)) > 1:
            return raw  # a list of addresses: the cleaner keeps the first, as before
        unita = re.sub(r"\s+", "", s)
        # a hyphen at a break may be the PDF's own hyphenation: which one is meant cannot be known
        if s.count("@") == 1 and not re.search(r"-\s|\s-", s) and _EMAIL_RE.match(unita):
            r.dedotti.append(f"{fld}: ricomposto '{unita}' dal testo spezzato '{P.testo(s)}'")
            return unita
        r.note.append(f"{fld}: indirizzo spezzato in modo ambiguo, lasciato fuori (nella fonte: '{P.testo(s)}')")
        return None

    def _telefoni(self, dati: dict, r: Riga) -> None:
        tel = dati.get("contatti", {}).get("telefono")
        if not isinstance(tel, list):
            return
        tel = list(dict.fromkeys(tel))  # the same number in "Telefono" and "Cellulare"
        buoni = [t for t in tel if numero_telefono(t) is not None]
        for t in tel:
            if t not in buoni:
                r.note.append(f"contatti.telefono: numero non valido lasciato fuori (nella fonte: '{t}')")
        if buoni:
            dati["contatti"]["telefono"] = buoni[0] if len(buoni) == 1 else buoni
        else:
            del dati["contatti"]["telefono"]
            if not dati["contatti"]:
                del dati["contatti"]

    def _nome(self, r: Riga) -> None:
        nome = r.dati.get("nome")
        if not isinstance(nome, str) or not nome:
            return
        if N.troncato(nome):
            r.note.append(f"nome: forse troncato dalla fonte, lasciato com'è ('{nome}')")
            r.nome_troncato = True
        if N.in_maiuscolo(nome):
            r.dati["nome"] = N.titolo_italiano(nome)
            r.dedotti.append(f"nome: riscritto dal maiuscolo '{nome}'")
        indirizzo = r.dati.get("indirizzo")
        if isinstance(indirizzo, str) and N.in_maiuscolo(indirizzo):
            r.dati["indirizzo"] = N.titolo_italiano(indirizzo)
            r.dedotti.append(f"indirizzo: riscritto dal maiuscolo '{indirizzo}'")
        if self.tipo.id == "ets" and "forma_giuridica" in self.campi and "forma_giuridica" not in r.dati:
            forma = N.forma_dal_nome(nome)
            if forma and forma in self.campi["forma_giuridica"].get("enum", []):
                r.dati["forma_giuridica"] = forma  # for a new record; an existing one is not changed by a guess
                r.dedotti.append(f"forma_giuridica: '{forma}' dedotta dal nome")

    def _metti(self, dati: dict, fld: str, raw) -> None:
        if "." in fld:
            parent, leaf = fld.split(".", 1)
            if fld == "runts.sezione":
                sez = self.tax.sezione_runts(raw)
                dati.setdefault("runts", {})["iscritto"] = sez is not None
                if sez:
                    dati["runts"]["sezione"] = sez
                return
            dati.setdefault(parent, {})
            if fld == "contatti.telefono":
                dati[parent].setdefault("telefono", []).extend(P.telefoni(raw))
                return
            dati[parent][leaf] = self._valore(fld, raw)
            if fld == "runts.numero_repertorio":
                dati["runts"].setdefault("iscritto", True)
            return
        dati[fld] = self._valore(fld, raw)

    def _valore(self, fld: str, raw):
        if fld == "comune":
            return self._comune(raw)
        if fld == "comuni":
            return list(dict.fromkeys(self._comune(c) for c in P.elenco(raw)))
        if fld in _PULITORI:
            v = _PULITORI[fld](raw)
            if fld in ("contatti.email", "contatti.pec") and not _EMAIL_RE.match(v):
                raise P.ValoreNonValido(f"indirizzo email non valido '{v}'")
            return v
        s = self.campi.get(fld, {})
        tipo = tipo_valore(s)
        if tipo == "scelta":
            return self.tax.scelta(s["enum"], raw, (s.get("title") or fld).lower())
        if tipo == "scelte":
            enum, cosa = s["items"]["enum"], (s["items"].get("title") or fld).lower()
            return list(dict.fromkeys(self.tax.scelta(enum, x, cosa) for x in P.elenco(raw)))
        if tipo == "data":
            return dt.date.fromisoformat(P.data(raw))
        if tipo == "url":
            v = P.sito_web(raw)
            motivo = check_url(v)
            if motivo:
                raise P.ValoreNonValido(f"{motivo}: '{v}'")
            return v
        if fld == "orari":
            v = P.testo(raw)
            motivo = check_orari(v)
            if motivo:
                raise P.ValoreNonValido(f"{motivo}: '{v}'")
            return v
        return {
            "elenco": P.elenco,
            "intero": P.intero,
            "numero": P.decimale,
            "booleano": P.booleano,
            "url": P.sito_web,
            "cap": P.cap,
        }.get(tipo, P.testo)(raw)

    def _comune(self, raw) -> str:
        nome = P.testo(raw)
        c = self.terr.trova(nome)
        if c is None:
            near = self.terr.suggerisci(nome)
            hint = f"forse intendevi '{near}'?" if near else "scrivi il nome ufficiale del comune"
            raise P.ValoreNonValido(f"comune sconosciuto '{nome}': non è tra i comuni dell'Ambito ({hint})")
        return c.nome

    def _ordina(self, dati: dict) -> dict:
        pos = {k: i for i, k in enumerate(self.ordine)}
        out = {k: dati[k] for k in sorted(dati, key=lambda k: pos.get(k, len(pos)))}
        for k, order in _ORDINE_INTERNO.items():
            if isinstance(out.get(k), dict):
                sub = out[k]
                out[k] = {kk: sub[kk] for kk in sorted(sub, key=lambda x: order.index(x) if x in order else 99)}
        return out
