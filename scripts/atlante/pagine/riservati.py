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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ENV_DIR = "ATLANTE_RISERVATI_DIR"
ENV_PASSWORD = "ATLANTE_RISERVATI_PASSWORD"
ITERAZIONI = 600_000
MIN_LUNGHEZZA = 16
MIN_BIT = 64
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


PAROLE_DEL_PROGETTO = (
    "ambito", "crema", "cremasco", "cremasca", "verbali", "verbale", "riservati", "riservato",
    "atlante", "comunita", "comunità", "comune", "comuni", "piano", "zona", "sindaci", "ufficio",
    "sociale", "sociali", "password", "segreto",
)  # fmt: skip


def vocabolario(progetto) -> list[str]:
    """The words an attacker of this site would try first: its Ambito, comuni and sub-ambiti,
    organi, years, and every word of its hand-written pages and of mkdocs.yml."""
    import datetime as dt
    import re

    testi = [" ".join(PAROLE_DEL_PROGETTO)]
    try:
        terr = progetto.territorio
        testi += [str(v) for v in terr.ambito.values() if isinstance(v, str)]
        testi += [c.nome for c in terr.comuni.values()] + [s.nome for s in terr.sub_ambiti.values()]
    except Exception:  # broken reference data is the validator's to report
        pass
    for oid, o in progetto.organi.items():
        testi += [oid, str(o.get("nome", "")), str(o.get("nome_breve", ""))]
    for f in sorted(progetto.content_dir.rglob("*.md")) + [progetto.root / "mkdocs.yml"]:
        if f.is_file() and not f.is_symlink():
            testi.append(f.read_text(encoding="utf-8", errors="replace"))
    parole: dict[str, None] = {}
    for testo in testi:
        for w in re.findall(r"[^\W_]+", testo.lower()):
            if len(w) >= 3 and not w.isdigit():
                parole[w] = None
        for nome in re.findall(r"[^\W\d_]+(?:[ '-][^\W\d_]+)+", testo.lower()):  # "Ambito Cremasco" as one word
            if len(nome) <= 40:
                parole[re.sub(r"[ '-]", "", nome)] = None
    anno = dt.date.today().year
    parole.update(dict.fromkeys(str(y) for y in range(1990, anno + 11)))
    return list(parole)


def bit_stimati(password: str, vocabolario: Iterable[str] = ()) -> float:
    """log2 of the guesses a smart attacker needs, by zxcvbn (dictionaries, keyboard walks,
    sequences, repeats, dates, l33t), with the project's own words as the first ones tried."""
    from zxcvbn import zxcvbn

    # zxcvbn matches every substring: its time grows with the square of the length
    return math.log2(max(1, zxcvbn(password[:100], user_inputs=list(vocabolario))["guesses"]))


def debolezza(password: str, vocabolario: Iterable[str] = ()) -> str | None:
    """None when the password is acceptable, else why not (Italian).

    Rule: at least 16 characters, at least 8 different characters, and at least 64 bits by
    zxcvbn, the words of the project counted as the most likely guesses. Patterns count for
    little (Password12345678, AmbitoCremasco2025, qwertyuiopasdfg1); a passphrase of unrelated
    words (`atlante password`) or 20 random characters pass.
    """
    if len(password) < MIN_LUNGHEZZA:
        return f"la password dei verbali riservati è troppo corta ({len(password)} caratteri, minimo {MIN_LUNGHEZZA})"
    if len(set(password)) < MIN_DISTINTI:
        return f"la password dei verbali riservati ripete troppo pochi caratteri diversi (minimo {MIN_DISTINTI})"
    bit = bit_stimati(password, vocabolario)
    if bit < MIN_BIT:
        return (
            "la password dei verbali riservati è troppo prevedibile "
            f"(circa {bit:.0f} bit, minimo {MIN_BIT}): evita parole del sito, nomi, anni, sequenze "
            "e tastiere; `atlante password` ne propone una adatta"
        )
    return None


PAROLE_PASSPHRASE = 6
SEPARATORE_PASSPHRASE = "-"


def elenco_parole() -> list[str]:
    """The EFF large word list (7,776 words, CC BY 3.0 US), shipped with the package."""
    testo = (Path(__file__).parent / "parole" / "eff_large_wordlist.txt").read_text(encoding="utf-8")
    return [r.split("\t")[-1] for r in testo.splitlines() if r.strip()]


def passphrase(vocabolario: Iterable[str] = ()) -> str:
    """Six words drawn with `secrets` from the EFF list: log2(7776^6) = 77.5 bits of real
    randomness; drawn again in the rare case the rule above would refuse them."""
    import secrets

    parole, vocabolario = elenco_parole(), list(vocabolario)
    while True:
        frase = SEPARATORE_PASSPHRASE.join(secrets.choice(parole) for _ in range(PAROLE_PASSPHRASE))
        if debolezza(frase, vocabolario) is None:
            return frase


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


def controlla_impostazioni(
    imp: Impostazioni, radice: Path | None = None, vocabolario: Iterable[str] = ()
) -> str | None:
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
    return debolezza(imp.password, vocabolario)
