"""MkDocs hook: validation gates the build; generated pages come from atlante.motore.preparazione.

Thin on purpose: every decision lives in the atlante package, which tests call directly.
"""

import os
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File

from atlante.motore.html_post import correggi_html
from atlante.motore.preparazione import ENV_SINTETICI, BuildInterrotta, Preparazione
from atlante.motore.ricerca import IndicizzazioneFallita
from atlante.motore.stampa import StampaImpossibile
from atlante.pagine.modelli import cache_compilati

log = get_plugin_logger(__name__)
_build: Preparazione | None = None


def on_config(config, **kwargs):
    global _build
    try:
        _build = Preparazione(Path(config.config_file_path).parent, config.extra.get("atlante"))
    except BuildInterrotta as e:
        raise Abort(str(e)) from None
    return config


def on_env(env, config, files, **kwargs):
    env.bytecode_cache = env.bytecode_cache or cache_compilati()  # the theme's templates compiled once
    return env


def on_files(files, config, **kwargs):
    try:
        pagine = _build.pagine(
            {
                "site_url": config.site_url,
                "site_name": config.site_name,
                "site_description": config.site_description,
                "repo_url": config.repo_url,
                "edit_uri": config.edit_uri,
            },
            includi_sintetici=os.environ.get(ENV_SINTETICI) == "1",
        )
        avvisi = _build.avvisi()
    except BuildInterrotta as e:
        raise Abort(str(e)) from None
    for p in avvisi:
        log.info(p.text())
    for pagina in pagine:
        f = File.generated(config, pagina.path, content=pagina.contenuto)
        if (old := files.get_file_from_path(pagina.path)) is not None:
            files.remove(old)  # a generated page may replace its hand-written source (verbali, news)
        if pagina.sorgente:
            f.edit_uri = pagina.sorgente
        files.append(f)
    for path in _build.bozze():  # drafts (bozza: true) are never published; say which
        if (old := files.get_file_from_path(path)) is not None:
            files.remove(old)
        log.info(f"bozza non pubblicata: content/{path}")
    return files


def preparazione() -> Preparazione | None:
    """This build's preparation: `atlante serve` keeps it for the incremental preview."""
    return _build


def on_build_error(error, **kwargs):
    if _build is not None:
        _build.annulla()


def on_post_page(output, page, config, **kwargs):
    if _build is None:
        return correggi_html(output)
    try:
        return _build.reso(page.file.src_uri, page.url, output)
    except StampaImpossibile as e:
        raise Abort(str(e)) from None


def on_post_template(output_content, template_name, config, **kwargs):
    return correggi_html(output_content) if template_name.endswith(".html") else output_content


@event_priority(-100)  # last: the site is complete
def on_post_build(config, **kwargs):
    try:
        _build.completa(Path(config.site_dir))  # stamped pages, scripts fix, search index
    except (StampaImpossibile, IndicizzazioneFallita) as e:
        raise Abort(str(e)) from None
