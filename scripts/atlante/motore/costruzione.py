"""Build the site atomically: into a temporary folder, swapped in only when complete.

A build that fails (invalid data, a crashing step) leaves the previous site/ as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from atlante.lettura.progetto import Progetto


class BuildFallita(Exception):
    pass


def build_site(progetto: Progetto, site_dir: Path | None = None, strict: bool = True) -> Path:
    """Run the MkDocs build into a sibling temp folder, then replace site_dir with it."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    site_dir = (site_dir or progetto.root / "site").resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.nuovo-", dir=site_dir.parent))
    try:
        config = load_config(config_file=str(progetto.root / "mkdocs.yml"), site_dir=str(tmp), strict=strict)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (MkDocsException, SystemExit) as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BuildFallita(str(e)) from e
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if site_dir.exists():
        old = site_dir.with_name(f".{site_dir.name}.vecchio-{os.getpid()}")
        os.replace(site_dir, old)
    os.replace(tmp, site_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return site_dir
