"""atlante.motore.markdown_html: a page that is one generated HTML block skips Python-Markdown's HTML
parser, and must come out exactly as Python-Markdown itself would render it."""

from __future__ import annotations

import re

import markdown
import yaml

from aiuti import ROOT, copy_project
from atlante.lettura.progetto import Progetto
from atlante.motore import genera as gen
from atlante.motore.markdown_html import html_pagina_intera, makeExtension, pagina_tutta_html
from atlante.strumenti.sintetici import genera as genera_sintetici

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def _estensioni() -> list:
    """The markdown_extensions of mkdocs.yml, minus ours, plus those MkDocs always adds."""
    cfg = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    nomi = [e if isinstance(e, str) else next(iter(e)) for e in cfg["markdown_extensions"]]
    assert "atlante.motore.markdown_html" in nomi  # the site really uses it
    return [n for n in nomi if n != "atlante.motore.markdown_html"] + ["fenced_code"]


def test_same_html_as_python_markdown_on_every_generated_page(tmp_path):
    root = copy_project(tmp_path / "p")
    progetto = Progetto(root)
    genera_sintetici(progetto, 40)
    ctx = gen.contesto(
        progetto,
        config={"site_url": "https://example.org/", "repo_url": "https://example.org/r", "atlante": {}},
        includi_sintetici=True,
    )
    estensioni = _estensioni()
    veloci = 0
    for pagina in gen.genera(ctx):
        if not pagina.path.endswith(".md"):
            continue
        corpo = FRONT_MATTER.sub("", pagina.contenuto)
        atteso = markdown.markdown(corpo, extensions=estensioni)
        assert markdown.markdown(corpo, extensions=[*estensioni, makeExtension()]) == atteso, pagina.path
        veloci += pagina_tutta_html(corpo)
        # what the stamped pages (atlante.motore.stampa) take as the rendered body
        assert html_pagina_intera(corpo) in (None, atteso), pagina.path
        assert (html_pagina_intera(corpo) is None) == (not pagina_tutta_html(corpo)), pagina.path
    assert veloci >= 40  # record pages at least take the fast path


def test_markdown_around_html_is_left_to_python_markdown():
    con_markdown = '<div class="atlante-x">\n<p>a</p>\n</div>\n\n*testo* in Markdown\n\n<div class="atlante-y">\n</div>'
    assert not pagina_tutta_html(con_markdown)
    html = markdown.markdown(con_markdown, extensions=[makeExtension()])
    assert "<em>testo</em>" in html
    assert not pagina_tutta_html('# Titolo\n\n<div class="atlante-x"></div>')
    assert not pagina_tutta_html('<div class="altro">x</div>')
    assert pagina_tutta_html('<div class="atlante-scheda">\n<h1>T</h1>\n\n<p>x</p>\n</div>\n')
    con_tab = '<div class="atlante-x">\n<p>a\tb</p>\n   \n<p>c</p>\r\n</div>\n'
    assert html_pagina_intera(con_tab) == markdown.markdown(con_tab, extensions=[makeExtension()])
