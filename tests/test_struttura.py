"""The package's layout holds: dependencies point one way, validation loads no page code, every
third-party import is a declared dependency, and the code passes ruff."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions

from aiuti import ROOT

PACCHETTO = ROOT / "scripts" / "atlante"
USCITE = {"pagine", "mappe", "esportazioni"}  # the outputs may use one another
PERMESSI = {
    "base": {"base"},
    "lettura": {"base", "lettura"},
    "modello": {"base", "lettura", "modello"},
    "validazione": {"base", "lettura", "modello", "validazione"},
    **{u: {"base", "lettura", "modello"} | USCITE for u in USCITE},
    "importazione": {"base", "lettura", "modello", "validazione", "importazione"},
    "motore": {"base", "lettura", "modello", "validazione", "motore"} | USCITE,
    "cli": None,  # the command line and the tools may use every room
    "strumenti": None,
}


def _import_atlante(path) -> set[str]:
    albero = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for nodo in ast.walk(albero):
        if isinstance(nodo, ast.ImportFrom) and nodo.module and nodo.module.startswith("atlante."):
            out.add(nodo.module.split(".")[1])
        elif isinstance(nodo, ast.Import):
            out |= {a.name.split(".")[1] for a in nodo.names if a.name.startswith("atlante.")}
    return out


def test_every_module_lives_in_a_room():
    sciolti = [p.name for p in PACCHETTO.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    assert sciolti == []
    assert {p.name for p in PACCHETTO.iterdir() if p.is_dir() and p.name != "__pycache__"} == set(PERMESSI)


def test_dependencies_point_one_way():
    violazioni = []
    for stanza, permesse in PERMESSI.items():
        if permesse is None:
            continue
        for f in sorted((PACCHETTO / stanza).rglob("*.py")):
            for usata in _import_atlante(f) - permesse:
                violazioni.append(f"{f.relative_to(PACCHETTO)} importa atlante.{usata}")
    assert violazioni == []


def test_validate_loads_no_page_code(tmp_path):
    esito = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "atlante", "--root", str(ROOT), "validate"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert esito.returncode == 0, esito.stdout + esito.stderr
    moduli = {riga.rsplit("|", 1)[-1].strip() for riga in esito.stderr.splitlines() if riga.startswith("import time:")}
    assert "atlante.validazione.controlli" in moduli  # the measurement saw the validator
    vietati = re.compile(r"^(jinja2|folium|mkdocs|material|atlante\.(pagine|mappe|esportazioni|motore))(\.|$)")
    assert sorted(m for m in moduli if vietati.match(m)) == []


def test_every_third_party_import_is_a_declared_dependency():
    dichiarate = {
        re.split(r"[<>=\[ ;]", d, maxsplit=1)[0].lower().replace("_", "-")
        for d in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    }
    progetto = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    # the tools room (atlante bench) may also use the declared test extras (Playwright for Chromium)
    extra = {
        re.split(r"[<>=\[ ;]", d, maxsplit=1)[0].lower().replace("_", "-")
        for d in progetto.get("optional-dependencies", {}).get("test", [])
    }
    distribuzioni = packages_distributions()
    mancanti = set()
    for f in PACCHETTO.rglob("*.py"):
        for nodo in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            nomi = [a.name for a in nodo.names] if isinstance(nodo, ast.Import) else []
            if isinstance(nodo, ast.ImportFrom) and nodo.level == 0 and nodo.module:
                nomi = [nodo.module]
            for nome in nomi:
                radice = nome.split(".")[0]
                if radice == "atlante" or radice in sys.stdlib_module_names:
                    continue
                dist = {d.lower().replace("_", "-") for d in distribuzioni.get(radice, [radice])}
                ammesse = dichiarate | extra if f.parent.name == "strumenti" else dichiarate
                if not dist & ammesse:
                    mancanti.add(f"{radice} ({f.relative_to(PACCHETTO)})")
    assert sorted(mancanti) == []


def test_one_way_to_keep_a_derived_value_per_build():
    """Values derived once per build live in the model's cached properties or in Contesto.memo:
    never stashed in the options dict or in the object's __dict__ by hand."""
    stash = re.compile(r"opzioni\[\s*[\"']_|__dict__\[|__dict__\.get\(")
    found = [
        f"{p.relative_to(ROOT)}:{i}"
        for p in (ROOT / "scripts" / "atlante").rglob("*.py")
        for i, riga in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if stash.search(riga)
    ]
    assert found == []
