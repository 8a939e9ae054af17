"""Read one YAML file into plain data plus the position of every value.

PyYAML's `safe_load` silently keeps the last of two duplicate keys, turns `no`/`on`
into booleans and expands aliases without limit. We compose the node tree instead
(the C parser when available), build the data ourselves and keep a map from key path
to (line, column), so that every later check can say *where* a problem is.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

try:  # libyaml is ~10x faster at composing; the pure-Python loader is the fallback
    from yaml import CSafeDumper as _SafeDumper
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _SafeDumper  # type: ignore[assignment]
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from atlante.base.problems import Problem

KeyPath = tuple  # of str | int

# YAML 1.1 words that PyYAML turns into booleans: almost always a mistake in a record.
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}
_MAX_BYTES = 1_000_000


@dataclass
class YamlDoc:
    path: Path
    data: object = None
    positions: dict = field(default_factory=dict)  # KeyPath -> (line, col), 1-based
    key_positions: dict = field(default_factory=dict)  # KeyPath -> (line, col) of the key itself
    problems: list = field(default_factory=list)
    text: str = ""

    def where(self, keypath: KeyPath) -> tuple[int, int]:
        """Line and column of the value at keypath, or of its nearest existing parent."""
        kp = tuple(keypath)
        while kp:
            if kp in self.positions:
                return self.positions[kp]
            kp = kp[:-1]
        return self.positions.get((), (1, 1))

    def where_key(self, keypath: KeyPath) -> tuple[int, int]:
        return self.key_positions.get(tuple(keypath)) or self.where(keypath)


def _pos(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    def __init__(self, doc: YamlDoc, display: str):
        self.doc = doc
        self.display = display
        self.seen: set[int] = set()

    def err(self, line_col, campo, msg, hint=None, livello="errore"):
        self.doc.problems.append(Problem(self.display, line_col[0], line_col[1], campo, msg, hint, livello))

    def build(self, node, kp: KeyPath):
        if id(node) in self.seen:
            self.err(
                _pos(node),
                _campo(kp),
                "gli alias e le ancore YAML (& e *) non sono ammessi",
                "scrivi il valore per intero",
            )
            return None
        self.seen.add(id(node))
        self.doc.positions[kp] = _pos(node)
        if isinstance(node, yaml.MappingNode):
            out = {}
            for knode, vnode in node.value:
                if not isinstance(knode, yaml.ScalarNode):
                    self.err(_pos(knode), _campo(kp), "una chiave deve essere un nome semplice")
                    continue
                key = knode.value
                if knode.tag == "tag:yaml.org,2002:merge" or key == "<<":
                    self.err(_pos(knode), _campo(kp), "la chiave di unione '<<' non è ammessa")
                    continue
                if key in out:
                    first = self.doc.key_positions[kp + (key,)]
                    self.err(
                        _pos(knode),
                        _campo(kp + (key,)),
                        f"chiave ripetuta: '{key}' compare già alla riga {first[0]}",
                        "tieni una sola delle due righe",
                    )
                    continue
                self.doc.key_positions[kp + (key,)] = _pos(knode)
                out[key] = self.build(vnode, kp + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, kp + (i,)) for i, item in enumerate(node.value)]
        return self.scalar(node, kp)

    def scalar(self, node: yaml.ScalarNode, kp: KeyPath):
        tag, value = node.tag, node.value
        if tag == "tag:yaml.org,2002:str":  # most values: first, before the checks for other tags
            return value
        if node.style is None or node.style == "":  # plain scalar: implicit typing applies
            if value.lower() in _YAML11_BOOLS and tag == "tag:yaml.org,2002:bool":
                self.err(
                    _pos(node),
                    _campo(kp),
                    f"'{value}' è ambiguo: YAML lo legge come vero/falso",
                    "scrivi true o false, oppure metti il testo tra virgolette",
                )
                return value
        if tag == "tag:yaml.org,2002:str":
            return value
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            return value.lower() in ("true", "yes", "on", "y")
        if tag == "tag:yaml.org,2002:int":
            try:
                return yaml.constructor.SafeConstructor.construct_yaml_int(_CONSTRUCTOR, node)
            except Exception:
                return value
        if tag == "tag:yaml.org,2002:float":
            try:
                return yaml.constructor.SafeConstructor.construct_yaml_float(_CONSTRUCTOR, node)
            except Exception:
                return value
        if tag == "tag:yaml.org,2002:timestamp":
            # Keep dates as ISO strings: the schema checks them with format "date",
            # and an impossible date like 2024-02-30 becomes a message instead of a crash.
            m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value)
            if m:
                try:
                    return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
                except ValueError:
                    return value
            return value
        self.err(_pos(node), _campo(kp), f"etichetta YAML non ammessa: {tag}", "togli il '!' e l'etichetta")
        return value


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _campo(kp: KeyPath) -> str:
    """A key path as people read it: contatti.telefono[1]."""
    out = ""
    for k in kp:
        out += f"[{k + 1}]" if isinstance(k, int) else (("." if out else "") + str(k))
    return out or "(file)"


campo = _campo


def read_yaml(path: Path, display: str | None = None, text: str | None = None, elenco: bool = False) -> YamlDoc:
    """Parse a YAML file; never raises for bad content, reports Problems instead.
    elenco: the document is a list (data/organi.yml), not a record's mapping."""
    display = display or str(path)
    doc = YamlDoc(path=path)
    b = _Builder(doc, display)
    if text is None:
        raw = path.read_bytes()
        if len(raw) > _MAX_BYTES:
            b.err((1, 1), "(file)", f"il file è troppo grande ({len(raw)} byte, massimo {_MAX_BYTES})")
            return doc
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            line = raw[: e.start].count(b"\n") + 1
            b.err(
                (line, 1),
                "(file)",
                "il file non è in codifica UTF-8",
                "salvalo come UTF-8 (nell'editor: 'Salva con codifica' → UTF-8)",
            )
            return doc
    text = text.removeprefix("\ufeff")
    doc.text = text
    if _controlla_testo(text, b):
        return doc
    if ("*" in text or "&" in text) and _report_aliases(text, b):
        return doc
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.composer.ComposerError as e:
        mark = e.problem_mark or e.context_mark
        b.err(
            (mark.line + 1, mark.column + 1),
            "(file)",
            "il file contiene più di un documento YAML (---)",
            "tieni una sola scheda per file",
        )
        return doc
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        b.err(
            (line, col),
            "(file)",
            f"sintassi YAML non valida: {_yaml_reason(e)}",
            "controlla rientri, due punti dopo il nome del campo e virgolette chiuse",
        )
        return doc
    except yaml.YAMLError as e:  # pragma: no cover - unmarked errors are rare
        b.err((1, 1), "(file)", f"sintassi YAML non valida: {e}")
        return doc
    if node is None:
        b.err((1, 1), "(file)", "il file è vuoto")
        return doc
    if not isinstance(node, yaml.MappingNode) and not (elenco and isinstance(node, yaml.SequenceNode)):
        b.err(
            _pos(node),
            "(file)",
            "la scheda deve essere un elenco di campi 'nome: valore'",
            "ogni riga inizia con il nome di un campo seguito da due punti",
        )
        return doc
    doc.data = b.build(node, ())
    return doc


def _controlla_testo(text: str, b: _Builder) -> bool:
    """Checks on the text as lines (tabs in indentation, nothing but comments); True if any failed."""
    if "\t" in text:
        for n, line in enumerate(text.splitlines(), 1):
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            if "\t" in indent:
                b.err(
                    (n, indent.index("\t") + 1),
                    "(file)",
                    "carattere di tabulazione nel rientro",
                    "usa spazi, non il tasto Tab, per rientrare le righe",
                )
        if b.doc.problems:
            return True
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        b.err((1, 1), "(file)", "il file è vuoto", "copia un modello da CONTRIBUTING.md")
        return True
    return False


class _Dumper(_SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True  # a record never holds anchors: read_yaml refuses them


def _stringa(dumper, data: str):
    # "01258790193" is a string to YAML 1.1 but a number to YAML 1.2 readers (editors, ruamel):
    # a text of digits is always quoted, so every reader sees the tax code as written
    if re.fullmatch(r"[-+]?[0-9][0-9_.:]*", data):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="'")
    return _SafeDumper.represent_str(dumper, data)


_Dumper.add_representer(str, _stringa)


class _NonSemplice(Exception):
    pass


def _come_letto(value):
    """value as read_yaml gives it back from what _Dumper wrote for it: dates become ISO strings.
    Raises _NonSemplice for anything whose round trip is not that plain."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        raise _NonSemplice
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise _NonSemplice
        return {k: _come_letto(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_come_letto(v) for v in value]
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    raise _NonSemplice


def doc_scritto(path: Path, display: str, data: dict, intestazione: str = "") -> YamlDoc:
    """The YAML text of a new record (comment line `intestazione`, then data in block style, keys in
    order) as doc.text, and the YamlDoc that read_yaml(path, display, doc.text) would give for it.

    The data is known, so the text is not parsed again: the safe dumper quotes every string that
    would read back as another type and never writes anchors, so the text reads back as the data
    with dates as ISO strings. Values outside those plain types are parsed as usual. Positions are
    not computed: problems point at line 1 (the import reports its source rows instead)."""
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    text = (intestazione + "\n" if intestazione else "") + body
    try:
        if not isinstance(data, dict):
            raise _NonSemplice  # read_yaml explains what a record must look like
        letto = _come_letto(data)
    except _NonSemplice:
        return read_yaml(path, display, text)
    doc = YamlDoc(path=path, text=text)
    if not _controlla_testo(text, _Builder(doc, display)):
        doc.data = letto
    return doc


def _report_aliases(text: str, b: _Builder) -> bool:
    """Refuse anchors and aliases where they are written (they also make 'billion laughs')."""
    found = False
    try:
        for ev in yaml.parse(text, Loader=_Loader):
            if isinstance(ev, yaml.AliasEvent) or getattr(ev, "anchor", None):
                b.err(
                    (ev.start_mark.line + 1, ev.start_mark.column + 1),
                    "(file)",
                    "gli alias e le ancore YAML (& e *) non sono ammessi",
                    "scrivi il valore per intero",
                )
                found = True
    except yaml.YAMLError:
        return False  # the composer below reports the syntax error with its position
    return found


_REASONS = {
    "mapping values are not allowed here": (
        "due punti ':' in un punto non ammesso (se il testo contiene ':' mettilo tra virgolette)"
    ),
    "could not find expected ':'": "manca il ':' dopo il nome del campo",
    "found unexpected end of stream": "il file finisce prima del previsto (virgolette non chiuse?)",
    "found character '\\t' that cannot start any token": "carattere di tabulazione",
    "did not find expected key": "rientro non coerente o elemento fuori posto",
    "found undefined alias": "alias '*' non definito",
    "expected <block end>, but found '-'": "un elemento di elenco '-' ha un rientro sbagliato",
}


def _yaml_reason(e: yaml.MarkedYAMLError) -> str:
    problem = e.problem or ""
    for en, it in _REASONS.items():
        if problem.startswith(en):
            return it
    return problem
