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
