"""The contributor path: GitHub files against GitHub's schemas, the docs, and a walk-through."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from aiuti import copy_project
from atlante.pagine.segnalazioni import url_aggiorna_scheda, url_segnala_errore

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
SHA_RE = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env.update(PYTHONPATH=str(ROOT / "scripts"), NO_MKDOCS_2_WARNING="1", **extra)
    return env


def _check_jsonschema(schema: str, files: list[Path]) -> subprocess.CompletedProcess:
    # Builtin schemas ship inside check-jsonschema: no network.
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _load(path: Path) -> dict:
    # BaseLoader: `on:` must stay a string key, not become True.
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


# -- GitHub files ----------------------------------------------------------------


def test_workflows_and_issue_forms_pass_githubs_schemas():
    assert len(WORKFLOWS) == 2 and len(FORMS) == 3
    for schema, files in [
        ("vendor.github-workflows", WORKFLOWS),
        ("vendor.github-issue-forms", FORMS),
        ("vendor.github-issue-config", [GITHUB / "ISSUE_TEMPLATE" / "config.yml"]),
    ]:
        r = _check_jsonschema(schema, files)
        assert r.returncode == 0, r.stdout + r.stderr


def test_schema_check_catches_a_broken_issue_form(tmp_path):
    """The schema check above can fail: a form without its body is refused."""
    rotto = tmp_path / "rotto.yml"
    rotto.write_text("name: Rotto\ndescription: manca il corpo\n", encoding="utf-8")
    r = _check_jsonschema("vendor.github-issue-forms", [rotto])
    assert r.returncode == 1 and "body" in r.stdout


def test_workflows_are_least_privilege_and_pinned():
    for wf in WORKFLOWS:
        data = _load(wf)
        assert "pull_request_target" not in data["on"], wf.name
        assert data["permissions"] == {"contents": "read"}, wf.name  # default for every job
        for name, job in data["jobs"].items():
            perms = job.get("permissions", {})
            assert set(perms) <= {"pages", "id-token"}, (wf.name, name)
            for step in job["steps"]:
                if "uses" in step:
                    assert SHA_RE.match(step["uses"]), step["uses"]
                    if step["uses"].startswith("actions/checkout@"):
                        assert step["with"]["persist-credentials"] == "false"
                # No untrusted expression interpolated into a shell.
                assert "github.event" not in step.get("run", ""), (wf.name, step)


def test_pull_request_workflow_validates_with_annotations_then_builds():
    data = _load(GITHUB / "workflows" / "controllo.yml")
    assert set(data["on"]) == {"pull_request", "workflow_dispatch"}
    runs = [s.get("run", "") for s in data["jobs"]["controllo"]["steps"]]
    i_val = next(i for i, r in enumerate(runs) if "atlante validate" in r)
    assert "--format github" in runs[i_val]
    # annotations only on the files the pull request changes
    assert 'git diff --name-only "$BASE_SHA"...HEAD' in runs[i_val] and "--annota" in runs[i_val]
    assert runs[i_val + 1] == "atlante build"  # strict unless --no-strict


def test_deploy_workflow_builds_on_main_and_only_deploy_job_writes_pages():
    data = _load(GITHUB / "workflows" / "pubblica.yml")
    assert data["on"]["push"]["branches"] == ["main"]
    build, deploy = data["jobs"]["costruisci"], data["jobs"]["pubblica"]
    assert "permissions" not in build
    assert build["steps"][-1]["uses"].startswith("actions/upload-pages-artifact@")
    assert build["steps"][-1]["with"]["path"] == "site"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "costruisci" and deploy["environment"]["name"] == "github-pages"
    assert [s.get("uses", "").split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def _form_ids(nome: str) -> set[str]:
    form = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / nome).read_text(encoding="utf-8"))
    return {b["id"] for b in form["body"] if "id" in b}


def test_record_page_links_prefill_fields_that_exist_in_the_forms():
    config = {"atlante": {"issues_url": "https://github.com/o/r/issues/new"}}
    url = url_segnala_errore(
        config,
        "fondazione-r-s-a-di-soncino-onlus",
        "Fondazione R.S.A. di Soncino ONLUS",
        "https://atlante.example.org/enti/udo/fondazione-r-s-a-di-soncino-onlus/",
    )
    parts = urlsplit(url)
    q = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert parts.path == "/o/r/issues/new"
    assert q == {
        "template": "segnala-errore.yml",
        "title": "Errore nella scheda: Fondazione R.S.A. di Soncino ONLUS",
        "scheda": "fondazione-r-s-a-di-soncino-onlus",
        "pagina": "https://atlante.example.org/enti/udo/fondazione-r-s-a-di-soncino-onlus/",
    }
    assert (GITHUB / "ISSUE_TEMPLATE" / q["template"]).is_file()
    assert set(q) - {"template", "title"} <= _form_ids(q["template"])
    q2 = parse_qs(urlsplit(url_aggiorna_scheda(config, "x", "X")).query)
    assert set(q2) - {"template", "title"} <= _form_ids(q2["template"][0])
    assert url_segnala_errore({}, "x", "X") is None  # no issues_url configured: no link


def test_issue_config_links_point_at_the_published_site():
    site_url = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
    config = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / "config.yml").read_text(encoding="utf-8"))
    assert config["blank_issues_enabled"] is False
    for link in config["contact_links"]:
        assert link["url"].startswith(site_url)
        assert (ROOT / "content" / link["url"][len(site_url) :].rstrip("/")).with_suffix(
            ".md"
        ).is_file() or "campi-" in link["url"]


# -- pre-commit --------------------------------------------------------------------


def test_pre_commit_hook_validates_the_changed_records(tmp_path):
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in config["repos"] if repo["repo"] == "local" for h in repo["hooks"]}
    hook = hooks["atlante-validate"]
    assert hook["language"] == "system" and hook["pass_filenames"] is True
    assert re.search(hook["files"], "data/enti/ets/a.yml") and not re.search(hook["files"], "content/index.md")
    assert re.search(hooks["atlante-validate-tutto"]["files"], "data/schemas/tassonomie.schema.json")
    # Run the hook as pre-commit would: from the repository root, entry + changed file names.
    root = copy_project(tmp_path / "p")
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / ".venv" / "bin" / "atlante").symlink_to(Path(sys.executable).parent / "atlante")
    bad = root / "data" / "enti" / "ets" / "rotta.yml"
    bad.write_text("nome: Rotta\ncomune: Crema\nverificato_il: 2026-02-30\n", encoding="utf-8")
    r = subprocess.run(
        [*hook["entry"].split(), "data/enti/ets/rotta.yml"],
        cwd=root,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1
    assert "data/enti/ets/rotta.yml:3:16: verificato_il: data non valida '2026-02-30'" in r.stdout
    bad.write_text("nome: Rotta\ncomune: Crema\nverificato_il: 2026-02-28\n", encoding="utf-8")
    r = subprocess.run(
        [*hook["entry"].split(), "data/enti/ets/rotta.yml"],
        cwd=root,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stdout


# -- docs --------------------------------------------------------------------------


def _blocco(testo: str, marcatore: str) -> str:
    m = re.search(r"<!-- " + marcatore + r"[^>]*-->\n```\w+\n(.*?)```", testo, re.S)
    assert m, marcatore
    return m.group(1)


def test_contributing_shows_the_real_validator_output(progetto_vuoto, capsys):
    from atlante.cli.principale import main

    testo = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    scheda = _blocco(testo, "esempio-scheda")
    atteso = _blocco(testo, "esempio-controllo")
    path = re.search(r"<!-- esempio-scheda: (\S+) -->", testo).group(1)
    (progetto_vuoto.root / path).write_text(scheda, encoding="utf-8")
    assert main(["--root", str(progetto_vuoto.root), "validate", "--format", "text"]) == 1
    assert capsys.readouterr().out == atteso
    # Every message quoted in the "how to fix" table comes from that output or the validator's code.
    sorgenti = atteso + "".join(p.read_text(encoding="utf-8") for p in (ROOT / "scripts" / "atlante").rglob("*.py"))
    tabella = testo.split("Come si correggono:")[1].split("\n\n")[1]
    for citazione in re.findall(r"^\| `([^`]+)`", tabella, re.M):
        frammento = re.split(r"'[^']*'|\d+", citazione.removeprefix("avviso: "))[0].strip()
        assert frammento in sorgenti, citazione


def test_contributing_walks_a_volunteer_through_every_step():
    testo = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for passo in [
        "https://github.com/signup",
        "Edit this file",
        "Fork this repository",
        "Commit changes",
        "Propose changes",
        "Create pull request",
        "Files changed",
        "verificato_il",
        "Add file",
        "Create new file",
        "atlante new",
        "A chi chiedere",
    ]:
        assert passo in testo, passo
    for form in FORMS:
        assert f"issues/new?template={form.name}" in testo


def test_site_page_for_contributors_links_guides_and_forms(sito):
    html = (sito / "partecipa" / "aggiorna-la-tua-scheda" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    hrefs = [a["href"] for a in soup.select("article a[href]")]
    guide = [h for h in hrefs if "campi-" in h]
    assert sorted(guide) == [
        "../campi-biblioteca/",
        "../campi-ets/",
        "../campi-notizia/",
        "../campi-patto/",
        "../campi-servizio/",
        "../campi-udo/",
        "../campi-verbale/",
    ]
    for h in guide:
        assert (sito / "partecipa" / h.strip("./").rstrip("/") / "index.html").is_file()
    assert {f.name for f in FORMS} == {parse_qs(urlsplit(h).query)["template"][0] for h in hrefs if "issues/new" in h}


# -- the whole path ----------------------------------------------------------------------


def test_contributor_path_new_record_mistake_annotation_fix(tmp_path):
    """atlante new ets -> valid; a mistake -> a GitHub annotation on file and line; the fix -> valid."""
    root = copy_project(tmp_path / "clone")

    def atlante(*args):
        return subprocess.run(
            [sys.executable, "-m", "atlante", *args],
            cwd=root,
            env=_env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )

    r = atlante("new", "ets", "--nome", "Associazione Àncora d'Oro", "--comune", "crema")
    assert r.returncode == 0, r.stderr
    rel = "data/enti/ets/associazione-ancora-d-oro.yml"
    path = root / rel
    assert f"Creata la scheda {rel}" in r.stdout

    r = atlante("validate", "--format", "github", rel)
    assert (r.returncode, r.stdout) == (0, "")

    # The volunteer uncomments the contacts and types a wrong email.
    righe = path.read_text(encoding="utf-8").splitlines()
    i = righe.index("# contatti:")
    righe[i : i + 1] = ["contatti:", "  email: info@ancoradoro"]
    path.write_text("\n".join(righe) + "\n", encoding="utf-8")
    r = atlante("validate", "--format", "github")
    assert r.returncode == 1
    # shipped records from dated public sources: one notice line, no annotation of theirs
    assert [ln for ln in r.stdout.splitlines() if not ln.startswith("::notice ")] == [
        f"::error file={rel},line={i + 2},col=10,title=Atlante%3A contatti.email::contatti.email: "
        "indirizzo email non valido 'info@ancoradoro' (es. info@associazione.it)"
    ]

    righe[i + 1] = "  email: info@ancoradoro.it"
    path.write_text("\n".join(righe) + "\n", encoding="utf-8")
    r = atlante("validate", "--format", "github")
    assert r.returncode == 0 and all(ln.startswith("::notice ") for ln in r.stdout.splitlines())
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["contatti"] == {"email": "info@ancoradoro.it"}

    # GitHub Actions sets GITHUB_ACTIONS=true: annotations are then the default format.
    path.write_text(path.read_text(encoding="utf-8").replace("comune: Crema", "comune: Crmea"), encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "atlante", "validate"],
        cwd=root,
        env=_env(GITHUB_ACTIONS="true"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1 and any(ln.startswith(f"::error file={rel},line=") for ln in r.stdout.splitlines())


@pytest.mark.browser
@pytest.mark.parametrize(
    "pagina", ["partecipa/aggiorna-la-tua-scheda/", "partecipa/campi-ets/", "partecipa/campi-patto/"]
)
def test_contributor_pages_pass_axe(browser, server, pagina):
    """axe on this module's content (the article). The theme's tab/footer colours and the
    underline of links inside text (link-in-text-block) are site-wide and left to the theme."""
    from browser import run_axe

    page = browser.new_page()
    page.goto(f"{server}/{pagina}")
    assert page.locator("article table, article ol").count() > 0
    gravi = run_axe(page, {"include": [["article"]]}, regole_spente=["link-in-text-block"])
    page.close()
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in gravi] == []


def test_report_links_encode_like_urlencode_and_quote():
    """The links are put together from pieces encoded apart: the same bytes as encoding them whole."""
    from urllib.parse import quote, urlencode

    from atlante.pagine.segnalazioni import mailto_segnalazione

    config = {"atlante": {"issues_url": "https://github.com/o/r/issues/new", "redazione_email": "red@example.org"}}
    for nome in ["Fondazione R.S.A. di Soncino ONLUS", 'L\'Arca "Insieme" & Co. <b>', "Città / 100% + spazi"]:
        pagina = "https://atlante.example.org/enti/ets/x-y/"
        atteso = "https://github.com/o/r/issues/new?" + urlencode(
            {
                "template": "segnala-errore.yml",
                "title": f"Errore nella scheda: {nome}",
                "scheda": "x-y",
                "pagina": pagina,
            }
        )
        assert url_segnala_errore(config, "x-y", nome, pagina) == atteso
        corpo = (
            f"Scheda: {nome}\nPagina: {pagina}\n\nChe cosa è sbagliato o mancante:\n\nIl dato corretto:\n\n"
            "Da dove viene (sito dell'ente, documento, conoscenza diretta):\n\nChi scrive (facoltativo):\n"
        )
        oggetto = f"Atlante di Comunità: correzione della scheda {nome}"
        assert mailto_segnalazione(config, nome, pagina) == (
            f"mailto:red@example.org?subject={quote(oggetto)}&body={quote(corpo)}"
        )
