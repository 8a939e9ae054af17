"""Names of bodies as registries write them: identity keys, Italian title case, legal forms,
names cut short, and file names that say which entity they are.
"""

from __future__ import annotations

import re

from atlante.lettura.territorio import normalizza

# Legal-form tags that the same body writes or omits at will ("X ODV" is "X").
_SIGLE = re.compile(
    r"\b(o ?d ?v|a ?p ?s|e ?t ?s|onlus|a ?s ?d|s ?c ?s|soc coop|scs|organizzazione di volontariato"
    r"|associazione di promozione sociale|organizzazione non lucrativa di utilita sociale)\b"
)
# Words that connect, and so do not make two names different ("Biblioteca comunale di Crema").
CONNETTIVI = frozenset(
    "di a da in con su per tra fra e ed o il lo la i gli le del dello della dei degli delle al allo alla ai agli "
    "alle dal dallo dalla dai dagli dalle nel nello nella nei negli nelle sul sullo sulla sui sugli sulle un uno "
    "una d l dell all dall nell sull".split()
)
# Words of a name that say what something is, not which one: a name made only of these is generic.
GENERICHE = frozenset(
    "biblioteca biblioteche comunale civica civico pubblica punto prestito lettura sala centro culturale "
    "diurno casa riposo asilo nido scuola oratorio parrocchia parrocchiale associazione comune sede "
    "sezione servizio sportello consultorio residenza sanitaria assistenziale rsa".split()
)
# Acronyms kept in capitals in a title-cased name.
ACRONIMI = frozenset(
    "ODV APS ETS ONLUS AVIS ANFFAS ACLI ASD SSD ARCI AUSER AIDO ADMO ANTEAS UILDM ANMIC CRI CSV CAI AGE "
    "ANPI ANA RSA RSD CDI CDD CSE SFA ASP ASST ATS UDO APD ANDOS AISM AIAS ABIO UNITALSI CIF MCL CISL "
    "CGIL UIL FISH ENS UICI OSA SRL SPA SCS SCARL ONG ASL AC AGESCI CNGEI OFTAL UNIVOC ADA AVO".split()
)
_ROMANI = re.compile(r"^(?=[IVXLC]+$)C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ACCENTI = {"A": "à", "E": "è", "I": "ì", "O": "ò", "U": "ù"}

# Legal forms a name states beyond doubt; the first group of rules that matches wins only if
# no rule of another form matches too.
_FORME = [
    ("cooperativa_sociale", re.compile(r"\b(cooperativa sociale|coop(erativa)? soc(iale)?|scs|s c s)\b")),
    ("fondazione", re.compile(r"^fondazione\b")),
    (
        "associazione",
        re.compile(
            r"^associazione\b|\b(o d v|odv|a p s|aps|organizzazione di volontariato"
            r"|associazione di promozione sociale)$"
        ),
    ),
]
# Words a registry cuts: when a name ends with a proper prefix of one of these, it was cut.
_PAROLE_LUNGHE = (
    "onlus",
    "associazione",
    "cooperativa",
    "sociale",
    "volontariato",
    "organizzazione",
    "fondazione",
    "promozione",
    "assistenza",
    "solidarieta",
)


def parole(nome: str) -> list[str]:
    return re.sub(r"[^a-z0-9 ]", " ", normalizza(nome)).split()


def nome_chiave(nome: str, comune: str | None = None) -> str:
    """The name as compared: without legal-form tags, dots of acronyms, connecting words and
    the comune's own name ("Biblioteca comunale di Crema" in Crema = "Biblioteca comunale")."""
    s = normalizza(nome)
    s = re.sub(r"\b((?:[a-z] ){1,5}[a-z])\b", lambda m: m[1].replace(" ", ""), s)  # "r s a" -> "rsa"
    s = re.sub(r"[^a-z0-9 ]", " ", s)
    s = " " + _SIGLE.sub(" ", s) + " "
    if comune:
        c = " ".join(parole(comune))
        if c and s.replace(f" {c} ", " ").strip():
            s = s.replace(f" {c} ", " ")
    return " ".join(w for w in s.split() if w not in CONNETTIVI)


def generico(nome: str, comune: str | None = None) -> bool:
    """True when the name says only what the place is ("Biblioteca comunale"), not which one."""
    ws = nome_chiave(nome, comune).split()
    return all(w in GENERICHE for w in ws)


def in_maiuscolo(nome: str) -> bool:
    lettere = [c for c in nome if c.isalpha()]
    return len(lettere) >= 4 and not any(c.islower() for c in lettere)


def _parola(w: str, prima: bool) -> str:
    """One word (no spaces) of a name written in capitals, in Italian title case."""
    m = re.match(r"^([\"'“«(\[]*)(.*?)([\"'”»)\].,;:]*)$", w)
    pre, core, post = m[1], m[2], m[3]
    if not core:
        return w
    if "-" in core and not core.endswith("-"):
        return pre + "-".join(_parola(x, prima and i == 0) for i, x in enumerate(core.split("-"))) + post
    # accent written as an apostrophe: SOCIETA' -> Società (a word of 2+ letters, then ' at its end)
    if post.startswith("'") and len(core) > 1 and core[-1] in _ACCENTI:
        core, post = core[:-1] + _ACCENTI[core[-1]].upper(), post[1:]
    # elision: D'ITALIA -> d'Italia, L'ALBERO -> L'Albero
    if "'" in core:
        a, b = core.split("'", 1)
        testa = a.lower() if (a.lower() in CONNETTIVI and not prima) else a.capitalize()
        return pre + testa + "'" + _parola(b, False) + post
    if core in ACRONIMI or _ROMANI.match(core) or "." in core.rstrip(".") or not re.search(r"[AEIOUÀÈÌÒÙ]", core):
        if "." in core.rstrip(".") and core.replace(".", "").upper() not in ACRONIMI and len(core) > 4:
            # "FAM.CONTE": an abbreviation glued to a word, not an acronym
            return pre + ".".join(x.capitalize() for x in core.split(".")) + post
        return pre + core + post
    low = core.lower()
    if low in CONNETTIVI and not prima:
        return pre + low + post
    return pre + low[0].upper() + low[1:] + post


def titolo_italiano(nome: str) -> str:
    """A name written all in capitals, in Italian title case: articles and prepositions in lower
    case, known acronyms (ODV, APS, ETS, ONLUS, AVIS, ANFFAS, ACLI...) and dotted ones kept."""
    ws = nome.split()
    return " ".join(_parola(w, i == 0) for i, w in enumerate(ws))


def troncato(nome: str) -> bool:
    """The source cut the name short: unbalanced quotes or brackets, or a last word that is
    the beginning of a word registries use ("... ONLU")."""
    if nome.count('"') % 2 or nome.count("(") != nome.count(")") or nome.count("«") != nome.count("»"):
        return True
    ws = parole(nome)
    last = ws[-1] if ws else ""
    return len(last) >= 3 and any(p.startswith(last) and p != last for p in _PAROLE_LUNGHE)


def forma_dal_nome(nome: str) -> str | None:
    """The legal form a name states without doubt (a cooperativa sociale, a fondazione, an
    association tagged ODV/APS), or None when it states none or more than one."""
    s = re.sub(r"[^a-z0-9 ]", " ", normalizza(nome))
    s = re.sub(r"\s+", " ", s).strip()
    trovate = {forma for forma, rx in _FORME if rx.search(s)}
    return trovate.pop() if len(trovate) == 1 else None
