"""The fields of a kind of record, read from its JSON Schema, with an example for each.

One walk of the schema feeds both the field guide on the site (guida_campi.py) and the
template that `atlante new` writes (nuovo.py): neither can drift from the validator.
Examples are valid values (a test validates a record made of all of them); the ones that
depend on the territory (comune, CAP, position) come from data/, never from code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from atlante.lettura.progetto import Progetto, Tipo
from atlante.modello.schemi import inline_refs

_ES_RE = re.compile(r"\bes\.\s*'([^']+)'")

# Examples for fields whose description does not carry one ("es. '...'").
_ESEMPI = {
    "nome": "Associazione Esempio",
    "descrizione": "Che cosa fa l'associazione, per chi e come contattarla.",
    "accessibilita": "Ingresso senza gradini, bagno accessibile.",
    "contatti.telefono": "0373 123456",
    "contatti.email": "info@associazione-esempio.it",
    "contatti.pec": "associazione-esempio@pec.it",
    "contatti.sito_web": "https://www.associazione-esempio.it",
    "contatti.social": ["https://www.facebook.com/associazione.esempio"],
    "codice_fiscale": "91000000199",
    "isil": "IT-CR0001",
    "rete": "Rete Bibliotecaria Bresciana e Cremonese",
    "runts.numero_repertorio": "12345",
    "attivita": ["doposcuola per ragazzi", "trasporto di persone anziane"],
    "destinatari": ["famiglie", "persone anziane"],
    "posti": 20,
    "posti_accreditati": 18,
    "posti_a_contratto": 15,
    "prestazioni": ["informazione e orientamento", "prima valutazione del bisogno"],
    "ente_gestore": "Cooperativa Sociale Esempio",
    "capofila": "Comune di Esempio",
    "aderenti": ["Associazione Esempio", "Parrocchia di San Giovanni"],
    "obiettivi": ["ridurre l'isolamento delle persone anziane"],
    "finanziamento.importo": 15000,
    "finanziamento.fonte": "Bando Fondazione Comunitaria",
    "documenti": [{"titolo": "Testo del patto", "url": "https://www.comune.esempio.it/patto.pdf"}],
    "documenti.titolo": "Testo del patto",
    "documenti.url": "https://www.comune.esempio.it/patto.pdf",
    "periodo.inizio": "2025-01-01",
    "periodo.fine": "2027-12-31",
    "accreditata": True,
    "a_contratto": False,
    "runts.iscritto": True,
}

_NOMI_ESEMPIO = {
    "ets": "Associazione Esempio",
    "biblioteca": "Biblioteca comunale Esempio",
    "udo": "Centro diurno Esempio",
    "patto": "Patto di Comunità Esempio",
    "servizio": "Sportello Esempio",
}


@dataclass
class Campo:
    chiave: str  # dotted path, e.g. "contatti.email"; list items share their list's path
    titolo: str
    descrizione: str
    tipo: str  # in Italian, for people
    obbligatorio: bool
    condizione: str | None  # when required only inside a group or under a condition
    valori: list[tuple[str, str]]  # allowed (id, Italian name)
    esempio: object
    figli: list[Campo] = field(default_factory=list)

    @property
    def nome(self) -> str:
        return self.chiave.rsplit(".", 1)[-1]


def schema_tipo(progetto: Progetto, tipo: Tipo) -> dict:
    return inline_refs(progetto.schemas[tipo.schema], progetto.schemas, tipo.schema)


def _tipo_it(s: dict) -> str:
    if "enum" in s:
        return "uno dei valori ammessi"
    if "anyOf" in s:
        return " oppure ".join(_tipo_it(x) for x in s["anyOf"])
    t = s.get("type")
    if isinstance(t, list):
        return " oppure ".join(_tipo_it({**s, "type": x}) for x in t)
    if t == "string":
        return "data (AAAA-MM-GG)" if s.get("format") == "date" else "testo"
    if t == "array":
        items = s.get("items") or {}
        if "enum" in items:
            return "elenco di valori ammessi"
        if items.get("type") == "object":
            return "elenco di gruppi di campi"
        return "elenco di testi"
    return {
        "integer": "numero intero",
        "number": "numero",
        "boolean": "true oppure false",
        "object": "gruppo di campi",
    }.get(t, "testo")


def _nomi_valori(s: dict) -> list[tuple[str, str]]:
    """The allowed values of a field with their Italian names, from the schema's x-etichette."""
    spec = s if "enum" in s else (s.get("items") or {})
    nomi = spec.get("x-etichette") or {}
    return [(str(v), nomi.get(v, str(v))) for v in spec.get("enum", [])]


@lru_cache(maxsize=32)
def etichette(progetto: Progetto, tipo: Tipo) -> dict[str, dict[str, str]]:
    """{field path: {value: Italian name}} for every enum field of a kind, e.g.
    etichette(p, udo)["stato"]["cessata"] == "Cessata": pages and exports never hard-code them."""
    out: dict[str, dict[str, str]] = {}

    def visita(cs: list[Campo]):
        for c in cs:
            if c.valori:
                out[c.chiave] = dict(c.valori)
            visita(c.figli)

    visita(campi(progetto, tipo))
    return out


@lru_cache(maxsize=32)
def titoli(progetto: Progetto, tipo: Tipo) -> dict[str, str]:
    """{top-level field: its Italian title} from the kind's schema."""
    return {c.chiave: c.titolo for c in campi(progetto, tipo)}


def etichetta(progetto: Progetto, tipo: Tipo, chiave: str, valore) -> str:
    """The Italian name of one value (the value itself when the schema gives none)."""
    if valore is None:
        return ""
    return (
        etichette(progetto, tipo).get(chiave, {}).get(valore, str(valore)) if isinstance(valore, str) else str(valore)
    )


def comune_esempio(progetto: Progetto):
    """The most populated comune of the Ambito: a recognisable example for any territory."""
    t = progetto.territorio
    nell_ambito = [c for c in t.comuni.values() if c.sub_ambito] or list(t.comuni.values())
    return max(nell_ambito, key=lambda c: (c.residenti, c.nome))


def _esempio(progetto: Progetto, chiave: str, s: dict):
    c = comune_esempio(progetto)
    if chiave == "comune":
        return c.nome
    if chiave == "comuni":
        return [c.nome]
    if chiave == "cap" and c.cap:
        return c.cap[0]
    if chiave == "posizione":
        return {"lat": round(c.lat, 5), "lon": round(c.lon, 5)}
    if chiave in ("posizione.lat", "posizione.lon"):
        return round(c.lat if chiave.endswith("lat") else c.lon, 5)
    if chiave in _ESEMPI:
        return _ESEMPI[chiave]
    m = _ES_RE.search(s.get("description", ""))
    if m:
        return m.group(1)
    if "enum" in s:
        return s["enum"][0]
    if s.get("x-valori-da") == "organi" and progetto.organi:
        return next(iter(progetto.organi))
    items = s.get("items") or {}
    if s.get("type") == "array" and "enum" in items:
        return items["enum"][:2]
    if s.get("format") == "date":
        return dt.date.today().isoformat()
    return None


def campi(progetto: Progetto, tipo: Tipo) -> list[Campo]:
    """Every property of the kind's schema, in schema order, with its sub-fields."""
    out = _walk(progetto, schema_tipo(progetto, tipo), "")
    for c in out:
        if c.chiave == "nome":
            c.esempio = _NOMI_ESEMPIO.get(tipo.id, c.esempio)
    return out


def _walk(progetto: Progetto, s: dict, prefisso: str, gruppo: str | None = None) -> list[Campo]:
    required = set(s.get("required", []))
    cond = _condizionali(s)
    out = []
    for nome, sub in (s.get("properties") or {}).items():
        chiave = prefisso + nome
        valori = _nomi_valori(sub)
        if sub.get("x-valori-da") == "organi":  # e.g. a verbale's organo: the ids of data/organi.yml
            valori = [(oid, o.get("nome", oid)) for oid, o in progetto.organi.items()]
        condizione = None
        if gruppo and nome in required:
            condizione = f"obbligatorio se compili '{gruppo}'"
        elif nome in cond:
            condizione = cond[nome]
        campo = Campo(
            chiave=chiave,
            titolo=sub.get("title", nome),
            descrizione=sub.get("description", ""),
            tipo=_tipo_it(sub),
            obbligatorio=nome in required,
            condizione=condizione,
            valori=valori,
            esempio=_esempio(progetto, chiave, sub),
        )
        figlio = sub if sub.get("type") == "object" else (sub.get("items") or {})
        oggetti = [x for x in figlio.get("anyOf", []) if x.get("type") == "object"]
        figlio = oggetti[0] if oggetti else figlio  # e.g. an agenda item: a text or a group of fields
        if figlio.get("type") == "object" and figlio.get("properties"):
            campo.figli = _walk(progetto, figlio, chiave + ".", chiave)
        out.append(campo)
    return out


def _condizionali(s: dict) -> dict[str, str]:
    """Fields made required by an if/then (e.g. runts.sezione when iscritto is true)."""
    cond_if, then = s.get("if") or {}, s.get("then") or {}
    out = {}
    for k, v in (cond_if.get("properties") or {}).items():
        if "const" in v:
            val = v["const"]
            val = "true" if val is True else "false" if val is False else val
            for r in then.get("required", []):
                out[r] = f"obbligatorio se {k} è {val}"
    return out


def esempio_scheda(progetto: Progetto, tipo: Tipo) -> dict:
    """A record holding an example for every field (without 'sintetico')."""
    out = {}
    for c in campi(progetto, tipo):
        if c.nome == "sintetico":
            continue
        if c.figli and not isinstance(c.esempio, (dict, list)):
            out[c.nome] = {f.nome: f.esempio for f in c.figli if f.esempio is not None}
        elif c.esempio is not None:
            out[c.nome] = c.esempio
    return out
