"""Links to the GitHub issue forms in .github/ISSUE_TEMPLATE/, with the record prefilled.

GitHub fills a form field from the query parameter named like the field's `id`; `template`
picks the form and `title` the issue title. Record pages call url_segnala_errore().
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote, quote_plus

# Percent-encoding works byte by byte, so the encoding of a text is the encodings of its pieces
# put together: the fixed pieces (field names, the form, the e-mail's questions) are encoded once
# per build, only the record's own values on each page.
_costante = lru_cache(maxsize=256)(quote_plus)
_costante_mail = lru_cache(maxsize=64)(quote)

MODULO_ERRORE = "segnala-errore.yml"
MODULO_AGGIORNA = "aggiorna-scheda.yml"
MODULO_NUOVO = "nuovo-ente.yml"


def _issues_url(config: dict) -> str | None:
    """extra.atlante.issues_url from mkdocs.yml (…/issues/new), or None when not configured."""
    url = (config.get("atlante") or {}).get("issues_url")
    return url if isinstance(url, str) and url else None


def url_modulo(config: dict, modulo: str, titolo: str | None = None, **campi: str) -> str | None:
    base = _issues_url(config)
    if base is None:
        return None
    coppie = [("template", modulo, True)]
    if titolo:
        coppie.append(("title", titolo, False))
    coppie += [(k, v, False) for k, v in campi.items() if v]
    # as urlencode(dict) writes it, with the fixed values encoded once
    return (
        base + "?" + "&".join(_costante(k) + "=" + (_costante(v) if fisso else quote_plus(v)) for k, v, fisso in coppie)
    )


def url_segnala_errore(config: dict, scheda_id: str, nome: str, pagina_url: str | None = None) -> str | None:
    """The 'Segnala un errore' link of a record page: fields `scheda` and `pagina` prefilled."""
    return url_modulo(config, MODULO_ERRORE, f"Errore nella scheda: {nome}", scheda=scheda_id, pagina=pagina_url or "")


def url_aggiorna_scheda(config: dict, scheda_id: str, nome: str) -> str | None:
    """The 'Chiedi di aggiornare questa scheda' link: field `scheda` prefilled."""
    return url_modulo(config, MODULO_AGGIORNA, f"Aggiornamento della scheda: {nome}", scheda=scheda_id)


def contatto_redazione(config: dict) -> dict | None:
    """The atlas's editors' mailbox from extra.atlante in mkdocs.yml: {email, etichetta}, or None."""
    atlante = config.get("atlante") or {}
    email = atlante.get("redazione_email")
    if not isinstance(email, str) or "@" not in email:
        return None
    return {"email": email, "etichetta": atlante.get("redazione_email_etichetta") or email}


def mailto_segnalazione(config: dict, nome: str, pagina_url: str) -> str | None:
    """'Segnala un errore / aggiorna' by e-mail, for people without a GitHub account: a mailto: to the
    atlas's editors with the page's address and a short form of what to write."""
    contatto = contatto_redazione(config)
    if contatto is None:
        return None
    # quote(f"Scheda: {nome}\nPagina: {pagina_url}\n\n" + _DOMANDE), fixed pieces encoded once
    corpo = (
        _costante_mail("Scheda: ")
        + quote(nome)
        + _costante_mail("\nPagina: ")
        + quote(pagina_url)
        + _costante_mail("\n\n" + _DOMANDE)
    )
    oggetto = _costante_mail("Atlante di Comunità: correzione della scheda ") + quote(nome)
    return f"mailto:{quote(contatto['email'], safe='@')}?subject={oggetto}&body={corpo}"


_DOMANDE = (
    "Che cosa è sbagliato o mancante:\n\n"
    "Il dato corretto:\n\n"
    "Da dove viene (sito dell'ente, documento, conoscenza diretta):\n\n"
    "Chi scrive (facoltativo):\n"
)
