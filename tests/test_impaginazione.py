"""Front matter of generated pages: written without yaml.safe_dump, read back exactly by YAML."""

from __future__ import annotations

import html

import pytest
from mkdocs.utils.meta import get_data

from atlante.pagine.impaginazione import pagina_md

DIFFICILI = [
    'L\'Arca "Insieme" & Co.',
    "Bambini: famiglie # non un commento",
    "- trattino iniziale",
    "yes",
    "null",
    "12",
    "Caffè\u2028riga\u2029paragrafo",
    "controllo\x85\x9f\x7f",
    "\ufeffBOM",
    "emoji 😀 e 中文",
    "a\\b\tc\nd",
    "{graffe} [quadre] *asterisco* !tag %percento @chiocciola `apice`",
]


@pytest.mark.parametrize("titolo", DIFFICILI)
def test_front_matter_round_trip(titolo):
    testo = pagina_md(
        titolo, '<div class="atlante-x">x</div>', descrizione=titolo, nascondi=("toc",), fuori_ricerca=True
    )
    corpo, meta = get_data(testo)  # what MkDocs reads
    assert html.unescape(meta["title"]) == titolo  # stored HTML-escaped for Material
    assert meta["hide"] == ["toc"] and meta["search"] == {"exclude": True}
    assert corpo.strip() == '<div class="atlante-x">x</div>'


def test_plain_prose_shortcut_matches_markdown_it():
    """markdown_sicuro skips markdown-it for one line of plain prose: the same HTML either way,
    on every description in data/enti and on random text made of the characters that matter."""
    import random
    from pathlib import Path

    import yaml

    from atlante.pagine import modelli

    testi = []
    for f in sorted((Path(__file__).resolve().parent.parent / "data" / "enti").glob("*/*.yml")):
        d = yaml.safe_load(f.read_text(encoding="utf-8"))
        if isinstance(d, dict) and isinstance(d.get("descrizione"), str):
            testi.append(d["descrizione"])
    caso = random.Random(18)
    alfabeto = list("aàbZ  ,.;:'’\"()?-+=#>1234567890") + list("\\`*_[]!<>&|~{}\n\r\t\xa0\u2028") + ["    ", "  \n"]
    semplice = list("aàbZ  ,.;:'’\"()?-+=#1234567890\xa0\u2028")
    for _ in range(10000):
        testi.append("".join(caso.choice(alfabeto) for _ in range(caso.randint(1, 14))))
        testi.append(caso.choice("aZè") + "".join(caso.choice(semplice) for _ in range(caso.randint(0, 20))))
    scorciatoie = 0
    for t in testi:
        atteso = str(modelli._markdown(False).render(t, {"pagina": None})) if t.strip() else ""
        assert str(modelli.markdown_sicuro(t)) == atteso, repr(t)
        scorciatoie += bool(modelli._PROSA_SEMPLICE.fullmatch(t.rstrip()))
    assert scorciatoie > 1000  # the shortcut was taken, not only the slow path compared with itself


def test_dict_keys_read_at_once_render_as_jinja_reads_them():
    """The rendering environment reads `x.chiave` of a plain dict as a key without trying the
    attribute first: every case renders as in Jinja's own environment."""
    from jinja2 import ChainableUndefined, Environment

    from atlante.pagine.modelli import _Ambiente

    sorgente = (
        "{{ d.nome }}|{{ d.manca }}|{{ d.manca is defined }}|{{ d.manca | default('x') }}|{{ d.vuoto or 'y' }}|"
        "{{ d.annidato.a }}|{{ d.annidato.manca.ancora }}|{{ d.items is defined }}|{{ d['get'] }}|"
        "{% for k, v in d.annidato.items() %}{{ k }}={{ v }}{% endfor %}|{{ d.html }}|{{ o.real }}|{{ o.manca }}|"
        "{{ d.nessuno is none }}"
    )
    dati = {
        "d": {"nome": "A & B", "vuoto": "", "annidato": {"a": 1}, "get": "chiave get", "html": "<b>", "nessuno": None},
        "o": 3,
    }
    opzioni = {"autoescape": True, "undefined": ChainableUndefined}
    atteso = Environment(**opzioni).from_string(sorgente).render(**dati)
    assert _Ambiente(**opzioni).from_string(sorgente).render(**dati) == atteso
    assert "A &amp; B||False|x|y|1||True|chiave get|a=1|&lt;b&gt;|3||True" == atteso


def test_templates_are_compiled_once_across_builds():
    """The rendering environment keeps compiled templates in Jinja's cache (the hook gives the theme
    the same): a new environment, as in the next build, takes them from there instead of compiling."""
    from jinja2 import FileSystemLoader

    from atlante.pagine.modelli import CARTELLA_MODELLI, _Ambiente, ambiente, cache_compilati

    assert ambiente().bytecode_cache is not None
    prima = _Ambiente(loader=FileSystemLoader(CARTELLA_MODELLI), bytecode_cache=cache_compilati(), autoescape=True)
    prima.get_template("indice.html").render(righe=[], titolo="T")  # with the template it imports
    dopo = _Ambiente(loader=FileSystemLoader(CARTELLA_MODELLI), bytecode_cache=cache_compilati(), autoescape=True)

    def ricompila(*args, **kwargs):
        raise AssertionError("template compilato di nuovo")

    dopo.compile = ricompila
    assert "atlante-indice" in dopo.get_template("indice.html").render(righe=[], titolo="T")
