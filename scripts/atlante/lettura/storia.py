"""The history of the records in git: one `git log` over data/enti per build, read by the feed of
the mapping's updates and by the indicators."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

ROMA = ZoneInfo("Europe/Rome")


@dataclass(frozen=True)
class Modifica:
    commit: str
    quando: dt.datetime  # commit date, Europe/Rome
    stato: str  # A added, M modified, D deleted
    path: str  # repo-relative, e.g. data/enti/ets/x.yml


def storia_git(root: Path) -> list[Modifica] | None:
    """Every change to a file under data/enti, newest first; None without git or history."""
    try:
        out = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "log",
                "--relative",
                "--format=@@%H %cI",
                "--name-status",
                "--no-renames",
                "--",
                "data/enti",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    righe, commit, quando = [], None, None
    for line in out.splitlines():
        if line.startswith("@@"):
            commit, iso = line[2:].split(" ", 1)
            quando = dt.datetime.fromisoformat(iso).astimezone(ROMA)
        elif line.strip() and commit:
            stato, _, path = line.partition("\t")
            righe.append(Modifica(commit, quando, stato[:1], path))
    return righe or None
