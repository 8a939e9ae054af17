"""JSON Schema validation of a page's front matter (verbali, notizie), in Italian.

The schemas in data/schemas/ (verbale.schema.json, notizia.schema.json) are the one source of
the fields: this validator, the field guide and `atlante new verbale|notizia` all read them.
A schema may carry its own wording: `x-messaggi` and `x-suggerimenti` map a JSON Schema
keyword (enum, pattern, required...) to the message and hint shown, with `{valore}`,
`{ammessi}` and `{lunghezza}` filled in; `x-se-manca` gives the hint for a missing field.
Messages point at the line of the .md file, as `path:line:col: campo: messaggio`.
"""

from __future__ import annotations

from functools import lru_cache

from jsonschema import Draft202012Validator, FormatChecker

from atlante.base.problems import Problem
from atlante.lettura.frontmatter import PaginaFM
from atlante.lettura.progetto import Progetto
from atlante.lettura.yamlfile import campo
from atlante.modello.schemi import inline_refs
from atlante.validazione.schema import _translate


@lru_cache(maxsize=8)
def _validatore(progetto: Progetto, nome: str) -> Draft202012Validator:
    schema = inline_refs(progetto.schemas[nome], progetto.schemas, nome)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def controlla_schema(progetto: Progetto, nome: str, pagina: PaginaFM) -> list[Problem]:
    """Every way the front matter departs from schema `nome`, each once, in Italian."""
    v = _validatore(progetto, nome)
    flagged = {p.campo for p in pagina.doc.problems}  # the YAML reader already spoke about these
    out: list[Problem] = []
    for e in sorted(v.iter_errors(pagina.data), key=lambda e: [str(p) for p in e.absolute_path]):
        for p in _traduci(e, pagina, v.schema):
            if p.campo not in flagged and p not in out:
                out.append(p)
    return out


def _traduci(e, pagina: PaginaFM, radice: dict) -> list[Problem]:
    doc = pagina.doc
    kp = tuple(e.absolute_path)
    s = e.schema if isinstance(e.schema, dict) else {}
    v = e.validator
    if v == "anyOf" and isinstance(e.instance, dict):
        # e.g. an agenda item written as a group: speak about the group's own fields
        rami = [i for i, b in enumerate(s.get("anyOf", [])) if b.get("type") == "object"]
        figli = [c for c in e.context if c.relative_schema_path and c.relative_schema_path[0] in rami]
        return [p for c in figli for p in _traduci(c, pagina, radice)]
    messaggi, suggerimenti = s.get("x-messaggi") or {}, s.get("x-suggerimenti") or {}

    def P(msg, hint=None, at=None, fld=None):
        line, col = at or doc.where(kp)
        return Problem(pagina.display, line, col, fld or campo(kp), msg, hint)

    if v == "required":
        manca = e.message.split("'")[1]
        msg = messaggi.get("required") or f"campo obbligatorio mancante: '{manca}'"
        hint = suggerimenti.get("required") or (radice.get("x-se-manca") or {}).get(manca)
        return [P(msg, hint)]
    if e.instance is None or e.instance == "":
        # `campo:` left empty (e.g. a placeholder from `atlante new`): it is missing, not mistyped
        chiave = kp[-1] if kp else ""
        genitore = kp[:-1]
        hint = (radice.get("x-se-manca") or {}).get(chiave) if not genitore else None
        if "enum" in s:
            hint = hint or "valori ammessi: " + ", ".join(map(str, s["enum"]))
        at = doc.where(genitore) if genitore else doc.where(())
        return [P(f"campo obbligatorio mancante: '{chiave}'", hint, at=at, fld=campo(genitore))]
    if v in messaggi:
        ammessi = ", ".join(map(str, s.get("enum", [])))
        valori = {"valore": e.instance, "ammessi": ammessi, "lunghezza": _lunghezza(e.instance)}
        hint = suggerimenti.get(v)
        if hint is None and v == "enum":
            hint = "valori ammessi: " + ammessi
        return [P(messaggi[v].format(**valori), hint.format(**valori) if hint else None)]
    return _translate(e, kp, doc, pagina.display, radice)


def _lunghezza(valore) -> int:
    return len(valore) if isinstance(valore, (str, list)) else 0
