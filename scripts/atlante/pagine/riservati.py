"""Reserved verbali: the full text comes from a folder outside the repository and is published
only encrypted, for the members who have the password.

AES-256-GCM; the key is derived from the password with PBKDF2-HMAC-SHA256 (600,000 iterations,
OWASP 2023 figure), with a fresh random salt and nonce for every document. The verbale's id is the
GCM associated data, so a ciphertext moved onto another page does not decrypt. The browser does
the reverse with WebCrypto (site_overrides/assets/javascripts/atlante-riservati.js).

Offline guessing is the threat: anyone can download the ciphertext and try passwords at leisure,
so a weak password is refused before anything is encrypted (see `debolezza`).
"""

from __future__ import annotations

import base64
import math
import os
import string
from dataclasses import dataclass
from pathlib import Path

ENV_DIR = "ATLANTE_RISERVATI_DIR"
ENV_PASSWORD = "ATLANTE_RISERVATI_PASSWORD"
ITERAZIONI = 600_000
MIN_LUNGHEZZA = 16
MIN_BIT = 80
MIN_DISTINTI = 8


class PasswordDebole(ValueError):
    pass


@dataclass(frozen=True)
class Impostazioni:
    cartella: Path | None
    password: str | None

    @property
    def attive(self) -> bool:
        return self.cartella is not None and bool(self.password)


def impostazioni(opzioni: dict | None = None) -> Impostazioni:
    """Folder and password from the build options, else from the environment."""
    opzioni = opzioni or {}
    cartella = opzioni.get("riservati_dir") or os.environ.get(ENV_DIR) or None
    password = opzioni.get("password") or os.environ.get(ENV_PASSWORD) or None
    return Impostazioni(Path(cartella).expanduser() if cartella else None, password)


def bit_stimati(password: str) -> float:
    """Upper-bound entropy estimate: length × log2(size of the character classes used)."""
    pool = 0
    if any(ch in string.ascii_lowercase for ch in password):
        pool += 26
    if any(ch in string.ascii_uppercase for ch in password):
        pool += 26
    if any(ch in string.digits for ch in password):
        pool += 10
    if any(not ch.isalnum() for ch in password):
        pool += 33
    if any(ord(ch) > 127 and ch.isalpha() for ch in password):
        pool += 20
    return len(password) * math.log2(pool) if pool else 0.0


def debolezza(password: str) -> str | None:
    """None when the password is acceptable, else why not (Italian).

    Rule: at least 16 characters, at least 8 different characters, and at least 80 bits by the
    estimate above (16 lowercase letters give 75: add a digit, a capital or more length).
    A passphrase of four or five unrelated words passes easily and is easy to pass on.
    """
    if len(password) < MIN_LUNGHEZZA:
        return f"la password dei verbali riservati è troppo corta ({len(password)} caratteri, minimo {MIN_LUNGHEZZA})"
    if len(set(password)) < MIN_DISTINTI:
        return f"la password dei verbali riservati ripete troppo pochi caratteri diversi (minimo {MIN_DISTINTI})"
    if bit_stimati(password) < MIN_BIT:
        return (
            "la password dei verbali riservati è troppo prevedibile "
            f"(circa {bit_stimati(password):.0f} bit, minimo {MIN_BIT}): allungala o mescola "
            "maiuscole, cifre e simboli"
        )
    return None


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def cifra(testo: str, password: str, associato: str, iterazioni: int = ITERAZIONI) -> dict:
    """Encrypt text; returns the JSON-able envelope the browser script reads."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

    motivo = debolezza(password)
    if motivo:
        raise PasswordDebole(motivo)
    salt, nonce = os.urandom(16), os.urandom(12)
    key = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterazioni).derive(
        password.encode("utf-8")
    )
    ct = AESGCM(key).encrypt(nonce, testo.encode("utf-8"), associato.encode("utf-8"))
    return {
        "v": 1,
        "kdf": "PBKDF2-SHA256",
        "iter": iterazioni,
        "salt": _b64(salt),
        "iv": _b64(nonce),
        "ad": associato,
        "ct": _b64(ct),
    }


def decifra(busta: dict, password: str) -> str:
    """The reverse of cifra (used by tests and by members who prefer the command line)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

    key = PBKDF2HMAC(
        algorithm=hashes.SHA256(), length=32, salt=base64.b64decode(busta["salt"]), iterations=busta["iter"]
    ).derive(password.encode("utf-8"))
    return (
        AESGCM(key)
        .decrypt(base64.b64decode(busta["iv"]), base64.b64decode(busta["ct"]), busta["ad"].encode("utf-8"))
        .decode("utf-8")
    )


def testo_riservato(imp: Impostazioni, verbale_id: str) -> str | None:
    """The reserved Markdown text <dir>/<id>.md, or None when not configured or not there."""
    if not imp.attive:
        return None
    path = imp.cartella / f"{verbale_id}.md"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def controlla_impostazioni(imp: Impostazioni, radice: Path | None = None) -> str | None:
    """Why the reserved-text settings cannot be used, or None. Half-configured is an error:
    a folder without a password (or the reverse) would silently publish pages without text."""
    if imp.cartella is None and not imp.password:
        return None
    if imp.cartella is None:
        return f"{ENV_PASSWORD} è impostata ma manca la cartella dei testi riservati ({ENV_DIR})"
    if not imp.password:
        return f"{ENV_DIR} è impostata ma manca la password ({ENV_PASSWORD})"
    if not imp.cartella.is_dir():
        return f"la cartella dei verbali riservati non esiste: {imp.cartella}"
    if radice is not None and (
        imp.cartella.resolve() == radice.resolve() or radice.resolve() in imp.cartella.resolve().parents
    ):
        # Inside the project it could be committed, or copied into the site as plain pages.
        return f"la cartella dei verbali riservati deve stare fuori dal progetto, non in {imp.cartella}"
    return debolezza(imp.password)
