"""Test helpers shared by the test modules: the project's root and a throw-away copy of it."""

from __future__ import annotations

import shutil
from pathlib import Path

from atlante.lettura.progetto import TIPI

ROOT = Path(__file__).resolve().parent.parent


def copy_project(dest: Path, with_records: bool = True) -> Path:
    """Reference data, config and (optionally) the shipped records, in dest."""
    shutil.copytree(ROOT / "data", dest / "data")
    if not with_records:
        for t in TIPI.values():
            for f in (dest / "data" / "enti" / t.cartella).glob("*"):
                f.unlink()
    for name in ("mkdocs.yml",):
        shutil.copy(ROOT / name, dest / name)
    for d in ("content", "hooks", "site_overrides"):
        if (ROOT / d).exists():
            shutil.copytree(ROOT / d, dest / d)
    if not with_records:  # verbali and news are shipped content too: an empty project has none
        for d in ("verbali", "news"):
            shutil.rmtree(dest / "content" / d, ignore_errors=True)
    return dest


def frammenti_pagefind(site: Path) -> dict[str, dict]:
    """What Pagefind indexed, page by page (URL -> fragment: content, filters, meta), read from the
    built bundle (each fragment is gzip, a 12-byte signature, then JSON)."""
    import gzip
    import json

    out = {}
    for f in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(f.read_bytes())
        frammento = json.loads(data[data.index(b"{") :])
        out[frammento["url"]] = frammento
    return out
