"""The built site as a whole: links and anchors resolve, builds are reproducible."""

from __future__ import annotations

import os
from pathlib import Path

from aiuti import copy_project
from atlante.lettura.progetto import Progetto
from atlante.motore.costruzione import build_site
from atlante.strumenti.verifica import verifica_link

SITE_URL = "https://atlante.example.org/"


def test_no_broken_internal_link_or_anchor(sito):
    esito = verifica_link(sito, SITE_URL)
    assert esito.pagine > 2
    assert [r.text() for r in esito.rotti] == []


def test_link_checker_finds_broken_links(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/#sezione">ok</a><a href="a/#manca">x</a>'
        '<a href="b/">x</a><a href="https://example.com/x">ext</a><a href="#top">x</a><p id="su"></p>'
        '<a href="https://atlante.example.org/a/">own</a>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "index.html").write_text('<h2 id="sezione">S</h2>', encoding="utf-8")
    esito = verifica_link(tmp_path, SITE_URL)
    assert sorted((r.link, r.motivo) for r in esito.rotti) == [
        ("#top", "l'ancora #top non esiste nella pagina di destinazione"),
        ("a/#manca", "l'ancora #manca non esiste nella pagina di destinazione"),
        ("b/", "la destinazione non esiste"),
    ]
    assert esito.esterni == {"https://example.com/x": {"index.html"}}


# Files that may differ between two builds of the same commit, and why.
NON_REPRODUCIBLE: dict[str, str] = {}


def _tree(site: Path) -> dict[str, bytes]:
    # Pagefind's bundle (pagefind/) is left out: its chunk names are hashes and the order of its
    # filter chunks varies between two runs (parallel indexing). What it indexes is tested on the
    # fragments (test_sito, test_ricerca*), which are the same in both builds.
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and p.relative_to(site).parts[0] != "pagefind"
    }


def test_build_is_reproducible(tmp_path, monkeypatch):
    """Two builds of the same sources, from different folders, give identical files."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # fixed build date (2026-01-01)
    a = _tree(build_site(Progetto(copy_project(tmp_path / "uno")), tmp_path / "sito-a"))
    b = _tree(build_site(Progetto(copy_project(tmp_path / "due")), tmp_path / "sito-b"))
    assert sorted(a) == sorted(b)
    different = sorted(k for k in a if a[k] != b[k] and k not in NON_REPRODUCIBLE)
    assert different == []


def _one_page_per_kind(site: Path) -> list[Path]:
    """The home plus the first page of every folder pattern (index pages and leaf pages apart)."""
    groups: dict[tuple, Path] = {}
    for p in sorted(site.rglob("*.html")):
        rel = p.relative_to(site).parts
        key = (rel[:-2] if len(rel) > 2 else rel[:-1], rel[-1] == "index.html" and len(rel) == 2)
        groups.setdefault(key, p)
    return sorted(set(groups.values()) | {site / "index.html"})


def test_html_is_valid(sito):
    """Nu Html Checker (npm vnu-jar, fetched by scripts/setup.sh test): zero errors on every page kind."""
    import json
    import shutil
    import subprocess

    import pytest

    from aiuti import ROOT

    jar = ROOT / ".cache" / "vnu" / "vnu.jar"
    if not jar.is_file() or not shutil.which("java"):
        if os.environ.get("ATLANTE_REQUIRE_BROWSER") == "1":
            pytest.fail("Nu Html Checker mancante: lancia `bash scripts/setup.sh test` (servono npm e Java)")
        pytest.skip("Nu Html Checker (vnu.jar) o Java mancanti")
    pages = _one_page_per_kind(sito)
    res = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(res.stderr or res.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == [], "\n".join(errors)
    assert len(pages) >= 3
