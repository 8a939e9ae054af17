"""The JSON Schemas: valid draft 2020-12, Italian title and description on every field."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from aiuti import ROOT
from atlante.lettura.progetto import TIPI, Progetto
from atlante.modello.schemi import inline_refs

SCHEMAS = sorted((ROOT / "data" / "schemas").glob("*.schema.json"))


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.name for p in SCHEMAS])
def test_schema_is_valid_2020_12(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def _fields(schema, prefix=""):
    for name, sub in (schema.get("properties") or {}).items():
        yield prefix + name, sub
        yield from _fields(sub, prefix + name + ".")
        if isinstance(sub.get("items"), dict):
            yield from _fields(sub["items"], prefix + name + "[].")


@pytest.mark.parametrize("tipo", sorted(TIPI))
def test_every_field_has_italian_title_and_description(tipo):
    progetto = Progetto(ROOT)
    schema = inline_refs(progetto.schemas[TIPI[tipo].schema], progetto.schemas, TIPI[tipo].schema)
    fields = dict(_fields(schema))
    assert {"nome", "verificato_il", "contatti.email", "posizione.lat"} <= set(fields)
    missing = [f for f, s in fields.items() if not s.get("title") or not s.get("description")]
    assert missing == []


def test_schema_enums_follow_taxonomies(progetto_vuoto):
    from atlante.validazione.controlli import check_reference_data

    assert check_reference_data(progetto_vuoto) == []
    tax = progetto_vuoto.data_dir / "tassonomie.yml"
    tax.write_text(tax.read_text(encoding="utf-8").replace("id: sport,", "id: sport-e-tempo-libero,"), encoding="utf-8")
    progetto = Progetto(progetto_vuoto.root)
    assert any("temi" in p.messaggio for p in check_reference_data(progetto))


@pytest.mark.parametrize("nome", ["verbale.schema.json", "notizia.schema.json"])
def test_page_schemas_have_italian_title_and_description_everywhere(nome):
    progetto = Progetto(ROOT)
    schema = inline_refs(progetto.schemas[nome], progetto.schemas, nome)
    fields = dict(_fields(schema))
    assert {"data", "bozza"} <= set(fields)
    missing = [f for f, s in fields.items() if not s.get("title") or not s.get("description")]
    assert missing == []
    # every allowed value of an enum has its Italian label in the schema (templates never hard-code them)
    for f, s in fields.items():
        if "enum" in s:
            assert set(s.get("x-etichette", {})) == set(s["enum"]), f
