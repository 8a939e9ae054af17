"""The JSON Schemas of the records, the one source of their fields: helpers to read them."""

from __future__ import annotations


def inline_refs(schema, schemas: dict, base: str | None = None):
    """The schema with every $ref replaced by its target (siblings such as title win).

    Validating an inlined schema is about twice as fast: no reference resolution per value.
    """
    if isinstance(schema, list):
        return [inline_refs(x, schemas, base) for x in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        ref = schema["$ref"]
        doc_name, _, pointer = ref.partition("#")
        doc_name = doc_name or base
        target = schemas[doc_name]
        for part in [p for p in pointer.split("/") if p]:
            target = target[part]
        merged = {
            **inline_refs(target, schemas, doc_name),
            **{k: inline_refs(v, schemas, base) for k, v in schema.items() if k != "$ref"},
        }
        return merged
    return {
        k: (v if k == "enum" else inline_refs(v, schemas, base)) for k, v in schema.items() if k not in ("$defs", "$id")
    }


def etichette(schemas: dict, schema: str, campo: str) -> dict[str, str]:
    """The Italian label of each allowed value of a top-level field (its enum and `x-etichette`)."""
    s = schemas[schema]["properties"][campo]
    return {v: s.get("x-etichette", {}).get(v, str(v).replace("_", " ")) for v in s["enum"]}
