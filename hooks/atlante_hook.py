"""MkDocs hook: validation gates the build; generated pages come from atlante.genera.

Thin on purpose: every decision lives in the atlante package, which tests call directly.
"""
import os
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File

from atlante import genera as gen
from atlante.bench import ENV_SINTETICI
from atlante.html_post import correggi_html
from atlante.problems import format_text
from atlante.ricerca import aggiungi_all_indice
from atlante.riservati import controlla_impostazioni, impostazioni
from atlante.progetto import Progetto
from atlante.validazione import ValidazioneInParallelo

log = get_plugin_logger(__name__)
_progetto: Progetto | None = None
_ctx: gen.Contesto | None = None
_validazione: ValidazioneInParallelo | None = None


def on_config(config, **kwargs):
    global _progetto, _validazione
    _progetto = Progetto(Path(config.config_file_path).parent)
    motivo = controlla_impostazioni(impostazioni(), _progetto.root)
    if motivo:
        raise Abort(f"Verbali riservati: {motivo}. Sito non costruito.")
    # Validation runs on the other core while on_files generates the pages; on_files waits for it.
    _validazione = ValidazioneInParallelo(_progetto)
    return config


def _esito_validazione() -> None:
    problems = _validazione.risultato()
    for p in problems:
        if not p.is_error:
            log.info(p.text())
    errors = [p for p in problems if p.is_error]
    if errors:
        raise Abort("Dati non validi, sito non costruito:\n" + format_text(errors))


def on_files(files, config, **kwargs):
    global _ctx
    try:
        _ctx = ctx = gen.contesto(_progetto, config={
            "site_url": config.site_url, "site_name": config.site_name, "repo_url": config.repo_url,
            "edit_uri": config.edit_uri, "atlante": dict(config.extra.get("atlante", {})),
        }, includi_sintetici=os.environ.get(ENV_SINTETICI) == "1",
            opzioni={"sintetici_in_mappa": os.environ.get(ENV_SINTETICI) == "1"})
        pagine = gen.genera(ctx)
    except Exception:
        _esito_validazione()  # invalid data explains a failed generation: its messages come first
        raise
    _esito_validazione()
    for pagina in pagine:
        f = File.generated(config, pagina.path, content=pagina.contenuto)
        if (old := files.get_file_from_path(pagina.path)) is not None:
            files.remove(old)  # a generated page may replace its hand-written source (verbali, news)
        if pagina.sorgente:
            f.edit_uri = pagina.sorgente
        files.append(f)
    return files


def on_build_error(error, **kwargs):
    if _validazione is not None:
        _validazione.annulla()


def on_post_page(output, page, config, **kwargs):
    return correggi_html(output)


def on_post_template(output_content, template_name, config, **kwargs):
    return correggi_html(output_content) if template_name.endswith(".html") else output_content


@event_priority(-100)  # after Material's search plugin has written its index
def on_post_build(config, **kwargs):
    if _ctx is not None:
        aggiungi_all_indice(Path(config.site_dir) / "search" / "search_index.json", _ctx.ricerca)
