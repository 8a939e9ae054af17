"""MkDocs hook: validation gates the build. Logic lives in the atlante package."""
from mkdocs.exceptions import Abort
from mkdocs.plugins import get_plugin_logger

from atlante.progetto import Progetto
from atlante.problems import format_text
from atlante.validazione import validate

log = get_plugin_logger(__name__)


def on_config(config, **kwargs):
    progetto = Progetto(__import__("pathlib").Path(config.config_file_path).parent)
    problems = validate(progetto)
    errors = [p for p in problems if p.is_error]
    for p in problems:
        if not p.is_error:
            log.info(p.text())
    if errors:
        raise Abort("Dati non validi, sito non costruito:\n" + format_text(errors))
    return config
