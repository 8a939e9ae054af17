"""JSON Schema validation of a record, with errors turned into Italian Problems.

The schemas in data/schemas/ are the single source of the fields: the validator, the
editor completion (yaml-language-server) and the contributor guide all read them.
"""

from __future__ import annotations

import difflib
from functools import lru_cache

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from atlante.base.problems import Problem
from atlante.lettura.progetto import Progetto, Tipo
from atlante.lettura.yamlfile import YamlDoc, campo
from atlante.modello.schemi import inline_refs

_TYPE_IT = {
    "string": "un testo",
    "integer": "un numero intero",
    "number": "un numero",
    "boolean": "true o false",
    "array": "un elenco (righe che iniziano con '-')",
    "object": "un gruppo di campi",
    "null": "vuoto",
}


def _found(value) -> str:
    if value is None:
        return "vuoto"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "un numero intero"
    if isinstance(value, float):
        return "un numero"
    if isinstance(value, str):
        return "un testo"
    if isinstance(value, list):
        return "un elenco"
    return "un gruppo di campi"


@lru_cache(maxsize=16)
def validator_for(progetto: Progetto, tipo: Tipo) -> Draft202012Validator:
    """One compiled validator per project and kind (Progetto hashes by identity)."""
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema)) for name, schema in progetto.schemas.items()
    )
    schema = inline_refs(progetto.schemas[tipo.schema], progetto.schemas, tipo.schema)
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


@lru_cache(maxsize=16)
def fast_validator_for(progetto: Progetto, tipo: Tipo):
    """A Rust validator for the common case (valid record); None when jsonschema-rs is missing."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - optional speed-up
        return None
    schema = inline_refs(progetto.schemas[tipo.schema], progetto.schemas, tipo.schema)
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=True)


def _schema_of(error) -> dict:
    return error.schema if isinstance(error.schema, dict) else {}


def check_schema(progetto: Progetto, tipo: Tipo, doc: YamlDoc, display: str) -> list[Problem]:
    fast = fast_validator_for(progetto, tipo)
    if fast is not None and fast.is_valid(doc.data):
        return []
    v = validator_for(progetto, tipo)
    # A value the YAML reader already flagged (e.g. an ambiguous 'yes') gets no second message.
    flagged = {p.campo for p in doc.problems}
    out: list[Problem] = []
    for e in sorted(v.iter_errors(doc.data), key=lambda e: [str(p) for p in e.absolute_path]):
        kp = tuple(e.absolute_path)
        if e.validator == "type" and campo(kp) in flagged:
            continue
        out.extend(_translate(e, kp, doc, display, v.schema))
    return out


def _translate(e, kp, doc: YamlDoc, display: str, root_schema: dict) -> list[Problem]:
    line, col = doc.where(kp)
    c = campo(kp)
    s = _schema_of(e)
    P = lambda msg, hint=None, at=None, fld=None: Problem(  # noqa: E731
        display, *(at or (line, col)), fld or c, msg, hint
    )
    v = e.validator
    if v == "required":
        missing = e.message.split("'")[1]
        return [
            P(
                f"campo obbligatorio mancante: '{missing}'",
                "aggiungilo: vedi CONTRIBUTING.md",
                at=doc.where_key(kp) if kp else (1, 1),
                fld=campo(kp + (missing,)),
            )
        ]
    if v == "additionalProperties":
        allowed = list((s.get("properties") or {}).keys())
        extras = [k for k in e.instance if k not in allowed]
        out = []
        for k in extras:
            near = difflib.get_close_matches(k, allowed, n=1, cutoff=0.6)
            hint = f"forse intendevi '{near[0]}'?" if near else "campi ammessi: " + ", ".join(allowed)
            out.append(P(f"campo sconosciuto '{k}'", hint, at=doc.where_key(kp + (k,)), fld=campo(kp + (k,))))
        return out
    if v == "type":
        want = s.get("type")
        wants = want if isinstance(want, list) else [want]
        return [
            P(
                f"tipo sbagliato: deve essere {' o '.join(_TYPE_IT.get(w, w) for w in wants)}, "
                f"invece è {_found(e.instance)}",
                _type_hint(wants, e.instance),
            )
        ]
    if v == "enum":
        opts = [str(o) for o in s.get("enum", [])]
        near = difflib.get_close_matches(str(e.instance), opts, n=1, cutoff=0.6)
        hint = f"forse intendevi '{near[0]}'?" if near else None
        shown = ", ".join(opts) if len(opts) <= 12 else ", ".join(opts[:12]) + ", ..."
        if e.instance is None:  # `campo:` left empty, e.g. a placeholder from `atlante new`
            return [P(f"valore mancante: valori possibili: {shown}", "scrivi uno dei valori dopo i due punti")]
        return [P(f"valore non ammesso '{e.instance}': valori possibili: {shown}", hint)]
    if v == "format" and s.get("format") == "date":
        return [P(f"data non valida '{e.instance}'", "usa il formato AAAA-MM-GG, es. 2025-03-31")]
    if v == "pattern":
        if "5}" in s.get("pattern", ""):
            return [
                P(f"CAP non valido '{e.instance}': deve avere 5 cifre", 'scrivilo tra virgolette, es. cap: "26013"')
            ]
        return [
            P(
                f"indirizzo web non valido '{e.instance}': deve iniziare con https:// o http://",
                "copia l'indirizzo dalla barra del browser",
            )
        ]
    if v == "minLength":
        return [P(f"troppo corto: almeno {s['minLength']} caratteri")]
    if v == "maxLength":
        return [P(f"troppo lungo: al massimo {s['maxLength']} caratteri (ora {len(e.instance)})")]
    if v in ("minimum", "maximum"):
        bound = s.get(v)
        return [
            P(
                f"valore fuori intervallo: {e.instance} "
                f"(deve essere {'almeno' if v == 'minimum' else 'al massimo'} {bound})"
            )
        ]
    if v == "minItems":
        return [P("l'elenco non può essere vuoto")]
    if v == "uniqueItems":
        return [P("l'elenco contiene voci ripetute", "togli i doppioni")]
    if v == "anyOf":
        return [P(f"tipo sbagliato: {s.get('description', 'valore non valido')}")]
    if v == "const":
        return [P(f"valore non ammesso: deve essere {s['const']!r}")]
    return [P(e.message)]


def _type_hint(wants, value) -> str | None:
    if "string" in wants and isinstance(value, (int, float)) and not isinstance(value, bool):
        return "metti il valore tra virgolette"
    if "boolean" in wants and isinstance(value, str):
        return "scrivi true oppure false, senza virgolette"
    if "array" in wants and isinstance(value, str):
        return "scrivi ogni voce su una riga che inizia con '- '"
    if "integer" in wants and isinstance(value, str):
        return "scrivi solo il numero, senza virgolette"
    return None
