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


def test_every_enum_value_has_an_italian_label(progetto_vuoto):
    from atlante.validazione.controlli import check_reference_data

    assert check_reference_data(progetto_vuoto) == []
    path = progetto_vuoto.schemas_dir / "tassonomie.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    del schema["$defs"]["temi"]["x-etichette"]["sport"]
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    path = progetto_vuoto.schemas_dir / "udo.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["stato"]["enum"].append("chiusa")
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    messaggi = [f"{p.path}: {p.messaggio}" for p in check_reference_data(Progetto(progetto_vuoto.root))]
    assert "data/schemas/udo.schema.json: stato: manca il nome in x-etichette per chiusa" in messaggi
    assert "data/schemas/tassonomie.schema.json: temi: manca il nome in x-etichette per sport" in messaggi


def test_taxonomies_are_read_from_the_schema():
    """One source: the taxonomy ids are the schema's enum, their names its x-etichette."""
    progetto = Progetto(ROOT)
    schema = progetto.schemas["tassonomie.schema.json"]["$defs"]
    assert not (ROOT / "data" / "tassonomie.yml").exists()
    for nome, voci in progetto.tassonomie.items():
        assert [v["id"] for v in voci] == schema[nome]["enum"]
        assert all(v["nome"] == schema[nome]["x-etichette"][v["id"]] for v in voci)
    tip = progetto.tassonomia("udo_tipologie")
    # the six areas of the rete sociale in the Piano di Zona 2025-2027
    assert {v["area"] for v in tip.values() if v["rete"] == "sociale"} - {"diurni anziani"} == {
        "prima infanzia",
        "servizi educativi per minori",
        "residenziali minori",
        "diurni disabilità",
        "residenziali disabili",
        "residenziali anziani",
    }


def test_labels_come_from_the_schema_not_from_code():
    from atlante.modello.campi import etichetta, etichette

    progetto = Progetto(ROOT)
    assert etichetta(progetto, TIPI["udo"], "stato", "cessata") == "Cessata"
    assert etichetta(progetto, TIPI["biblioteca"], "tipo", "punto_prestito") == "Punto prestito"
    assert etichetta(progetto, TIPI["patto"], "stato", "in_corso") == "In corso"
    assert etichetta(progetto, TIPI["ets"], "runts.sezione", "odv") == "Organizzazioni di volontariato"
    assert etichette(progetto, TIPI["servizio"])["tipologia"]["punto_unico_accesso"] == "Punto Unico di Accesso (PUA)"


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
