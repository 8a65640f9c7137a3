"""The diagnostic catalogue, its authoring-error fixtures and docs/diagnostics.md.

Every code of ``CATALOGUE`` has a minimal broken ruleset under
``tests/authoring_errors/<code>-<slug>/`` (unless allow-listed below, with the
reason) and a golden ``expected.txt``: the exact text ``creditrules validate``
prints for that folder, run from the repository root. Refresh the goldens with::

    CREDITRULES_UPDATE_GOLDEN=1 pytest tests/unit/test_diagnostics.py
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from pathlib import Path
from types import ModuleType

import pytest

import creditrules
from creditrules.diagnostics import CATALOGUE, Diagnostic, Span, render_json, render_text
from creditrules.source import load_yaml_text

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "authoring_errors"
DOC = REPO / "docs" / "diagnostics.md"
GENERATOR = REPO / "tools" / "gen_diagnostics_doc.py"
UPDATE = os.environ.get("CREDITRULES_UPDATE_GOLDEN") == "1"

#: Codes with no fixture folder, and why (none today). Keep the reasons true: a code
#: leaves this list as soon as it has a fixture (test_allowlisted_codes_have_no_fixture).
NO_FIXTURE: dict[str, str] = {}

#: For each fixture, the text found at the first diagnostic's line:col (1-based,
#: counted in characters) in the file it names: the offending token itself.
OFFENDING_TOKEN: dict[str, str] = {
    "CR101-yaml-syntax": ": 有效期1年",  # the second colon inside a plain scalar
    "CR102-duplicate-key": "title: 一般失信信息有效期一年",  # the repeated key
    "CR103-not-a-mapping": "- id: t.validity.general",  # the top-level list
    "CR104-no-manifest": "",  # the folder itself: there is no file to point into
    "CR201-unknown-field": "severty: serious",  # the unknown key
    "CR202-missing-field": "id: t.validity.general",  # the rule lacking applies_to
    "CR203-invalid-value": "records",
    "CR204-invalid-date": "2018-02-30",
    "CR205-invalid-duration": "P1H",
    "CR206-invalid-id": "NT.Rule",
    "CR301-duplicate-id": "t.validity.general\n",  # the second rule's id
    "CR302-unknown-fact": "severty",
    "CR303-unknown-document": "t.measure,",
    "CR304-unknown-article": "第三十一条",
    "CR305-no-citation": "id: t.validity.general",  # the rule without cites
    "CR306-unknown-override": "t.validity.generl",
    "CR307-unknown-measure": "t.m.joint_sanctions",
    "CR308-unknown-parent": "test.nowhere",
    "CR309-dependency-cycle": "{field: negative, eq: true}",  # the read that closes the cycle
    "CR310-value-not-allowed": "negatve",
    "CR312-wrong-fact-kind": "{procedure: objection.review",  # the deadline on a record rule
    "CR313-bad-version-chain": "2021-01-01",  # 2018's effective_to, a year after 2020 begins
    "CR314-unknown-parameter": "param:nope",
    "CR315-parameter-without-note": "C\n",  # the [C] tag of the parameter with no note
    "CR316-rules-conflict": "{name: validity, from: determined_on, duration: P1Y}",  # the later rule's period
    "CR317-rule-before-instrument": "{field: list.id, eq: samr.serious_violation}",  # the ungated condition
    "CR401-budget-exceeded": "{field: behavior, in: [",  # the 61-test condition
    "CR402-too-many-fields": "a129",  # the attribute that takes a record past 200 keys
    "CR501-sanction-without-legal-basis": "- {document: t.measures",  # its only citation
    "CR502-serious-list-widened": "true",  # serious: true on a local list
    "CR503-list-criteria-unlawful": "[{document: t.measures,",  # criteria in a normative document
    "CR504-list-without-removal": "conditions:",  # the removal mapping, which has no remedies
    "CR505-sanction-heavier-than-list": "deny}",  # the outcome the list caps at restrict
    "CR506-override-against-rank": "t.publication.national]",  # the override of the higher rule
    "CR507-bar-without-deny": "t.m.procurement_ban]}",  # the barring measure of a restrict answer
    "CR701-text-not-chinese": '"[译述] Breach',  # the English text
    "CR702-citation-does-not-support": "- {document: t.measures, article: 第二条}",  # its cites
    "CR703-document-without-number": "t.measures",  # the key of the document with no number
}


def _fixture_dirs() -> list[str]:
    return sorted(
        p.name
        for p in FIXTURES.iterdir()
        if p.is_dir() and re.fullmatch(r"CR\d{3}-[a-z-]+", p.name)
    )


FIXTURE_DIRS = _fixture_dirs()


@pytest.fixture
def at_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, as `creditrules validate tests/...` would be."""
    monkeypatch.chdir(REPO)
    return REPO


def _validate(name: str) -> list[Diagnostic]:
    return creditrules.validate(f"tests/authoring_errors/{name}")


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_diagnostics_doc", GENERATOR)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------ the fixtures


@pytest.mark.parametrize("name", FIXTURE_DIRS)
def test_fixture_output_matches_golden(name: str, at_repo: Path) -> None:
    out = render_text(_validate(name)) + "\n"
    golden = FIXTURES / name / "expected.txt"
    if UPDATE:
        golden.write_text(out, encoding="utf-8")
        return
    assert golden.is_file(), f"no {golden.relative_to(REPO)}; run with CREDITRULES_UPDATE_GOLDEN=1"
    assert out == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", FIXTURE_DIRS)
def test_fixture_is_a_tiny_ruleset_broken_one_way(name: str, at_repo: Path) -> None:
    code, slug = name[:5], name[6:]
    assert code in CATALOGUE, f"{name}: {code} is not in the catalogue"
    assert CATALOGUE[code].slug == slug, f"{name}: the slug of {code} is {CATALOGUE[code].slug}"
    folder = FIXTURES / name
    if code == "CR104":
        assert sorted(p.name for p in folder.glob("*.yaml")) == ["rules.yaml"]
    else:
        # A ruleset folder, or (CR313) a folder of versions of one ruleset.
        versions = (
            [folder]
            if (folder / "ruleset.yaml").is_file()
            else sorted(p for p in folder.iterdir() if p.is_dir())
        )
        assert versions
        for v in versions:
            assert sorted(p.name for p in v.glob("*.yaml")) == [
                "documents.yaml",
                "rules.yaml",
                "ruleset.yaml",
            ]
    diags = _validate(name)
    assert diags, f"{name} produces no diagnostic"
    assert diags[0].code == code
    assert {d.code for d in diags} == {code}, [d.render() for d in diags]


@pytest.mark.parametrize("name", FIXTURE_DIRS)
def test_fixture_paths_are_relative_to_the_repo(name: str, at_repo: Path) -> None:
    diags = _validate(name)
    for d in diags:
        if d.span is not None:
            assert not Path(d.span.file).is_absolute()
            assert d.span.file.startswith(f"tests/authoring_errors/{name}"), d.span.file
            assert (REPO / d.span.file).exists()
    assert str(REPO) not in render_text(diags)


@pytest.mark.parametrize("name", FIXTURE_DIRS)
def test_cli_prints_the_golden(
    name: str, at_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from creditrules.cli.main import main

    status = main(["validate", f"tests/authoring_errors/{name}"])
    out = capsys.readouterr().out
    assert status == 1
    assert out == (FIXTURES / name / "expected.txt").read_text(encoding="utf-8")


def test_cli_json_format(at_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from creditrules.cli.main import main

    assert main(["validate", "--format", "json", "tests/authoring_errors/CR302-unknown-fact"]) == 1
    (item,) = json.loads(capsys.readouterr().out)
    assert item["code"] == "CR302" and item["slug"] == "unknown-fact"
    assert item["file"] == "tests/authoring_errors/CR302-unknown-fact/rules.yaml"
    assert (item["line"], item["col"]) == (5, 19)
    assert item["rule"] == "t.validity.general"
    assert item["help"] == "did you mean 'severity'?"


def _position_params() -> list[object]:
    return [pytest.param(name, id=name) for name in FIXTURE_DIRS]


@pytest.mark.parametrize("name", _position_params())
def test_first_diagnostic_points_at_the_offending_token(name: str, at_repo: Path) -> None:
    first = _validate(name)[0]
    assert first.span is not None, f"{name}: {first.code} has no position"
    assert first.span.line >= 1 and first.span.col >= 1
    where = REPO / first.span.file
    if name == "CR104-no-manifest":
        assert where.is_dir() and (first.span.line, first.span.col) == (1, 1)
        return
    lines = where.read_text(encoding="utf-8").splitlines(keepends=True)
    text = lines[first.span.line - 1][first.span.col - 1 :]
    token = OFFENDING_TOKEN[name]
    assert text.startswith(token), f"{first.span} points at {text!r}, not at {token!r}"


def test_every_fixture_names_its_offending_token() -> None:
    assert set(OFFENDING_TOKEN) == set(FIXTURE_DIRS)


@pytest.mark.parametrize("name", FIXTURE_DIRS)
def test_json_form_carries_the_same_fields(name: str, at_repo: Path) -> None:
    diags = _validate(name)
    data = json.loads(render_json(diags))
    assert isinstance(data, list) and len(data) == len(diags)
    for item, d in zip(data, diags, strict=True):
        for key in ("file", "line", "col", "code", "slug", "rule", "message", "help"):
            assert key in item, key
        assert item["code"] == d.code and item["slug"] == CATALOGUE[d.code].slug
        assert item["message"] == d.message and item["rule"] == d.rule
        assert item["help"] == d.help_text and item["help"]
        assert item["see"] == f"docs/diagnostics.md#{d.code.lower()}"
        if d.span is None:
            assert (item["file"], item["line"], item["col"]) == (None, None, None)
        else:
            assert (item["file"], item["line"], item["col"]) == (
                d.span.file,
                d.span.line,
                d.span.col,
            )
        # The text form shows exactly these values.
        head = d.render().splitlines()[0]
        assert f"[{item['code']} {item['slug']}]" in head and item["message"] in head


def test_cr302_suggests_the_field_meant(at_repo: Path) -> None:
    (d,) = _validate("CR302-unknown-fact")
    assert d.help_text == "did you mean 'severity'?"
    assert "   = help: did you mean 'severity'?" in d.render()


# ------------------------------------------------------------------ the catalogue


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_catalogue_entry_is_complete(code: str) -> None:
    info = CATALOGUE[code]
    assert info.code == code and re.fullmatch(r"CR[1-7]\d\d", code)
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", info.slug)
    assert info.title.strip() and info.help.strip()


def test_slugs_are_unique() -> None:
    slugs = [info.slug for info in CATALOGUE.values()]
    assert len(slugs) == len(set(slugs))


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_code_has_a_fixture(code: str) -> None:
    assert code in NO_FIXTURE or f"{code}-{CATALOGUE[code].slug}" in FIXTURE_DIRS


def test_allowlisted_codes_have_no_fixture() -> None:
    assert set(NO_FIXTURE) <= set(CATALOGUE)
    assert not {name[:5] for name in FIXTURE_DIRS} & set(NO_FIXTURE)
    assert all(reason.strip() for reason in NO_FIXTURE.values())


def test_unknown_list_id_is_an_invalid_value(tmp_path: Path, at_repo: Path) -> None:
    """A list id not in the ruleset's vocabulary is CR310, with the closest declared one."""
    folder = tmp_path / "cr311"
    folder.mkdir()
    src = FIXTURES / "CR205-invalid-duration"
    for f in ("ruleset.yaml", "documents.yaml"):
        (folder / f).write_text((src / f).read_text(encoding="utf-8"), encoding="utf-8")
    with (folder / "ruleset.yaml").open("a", encoding="utf-8") as manifest:
        manifest.write('includes: ["bundled:cn/vocabulary"]\n')
    rules = (src / "rules.yaml").read_text(encoding="utf-8")
    rules = rules.replace(
        "period: {name: validity, from: determined_on, duration: P1H}",
        "list: {id: blacklst, since: determined_on}",
    )
    (folder / "rules.yaml").write_text(rules, encoding="utf-8")
    (d,) = [x for x in creditrules.validate(folder) if x.code == "CR310"]
    assert "'blacklst'" in d.message and d.help and "blacklist" in d.help
    assert d.span is not None and (d.span.line, d.span.col) == (7, 18)


# ------------------------------------------------------------------ docs/diagnostics.md


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_doc_has_a_section_per_code(code: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    assert re.search(rf"^## {code}$", text, re.M), f"no '## {code}' section"
    assert f'<a id="{code.lower()}"></a>' in text


def test_doc_is_generated_from_the_catalogue() -> None:
    generated = _load_generator().generate()
    assert DOC.read_text(encoding="utf-8") == generated, "run: python tools/gen_diagnostics_doc.py"


def test_doc_examples_are_the_goldens() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in FIXTURE_DIRS:
        golden = (FIXTURES / name / "expected.txt").read_text(encoding="utf-8")
        assert golden in text, name


# ------------------------------------------------------------------ reading YAML


def test_duplicate_keys_are_refused_with_both_positions() -> None:
    loaded, diags = load_yaml_text("rules: []\nnotes: []\nrules: [1]\n", "f.yaml")
    assert [d.code for d in diags] == ["CR102"]
    assert diags[0].span == Span("f.yaml", 3, 1)
    assert "first at line 1" in diags[0].message
    assert loaded is not None and loaded.data["rules"] == []  # never silently the last one


def test_nested_duplicate_keys_are_refused() -> None:
    _, diags = load_yaml_text("rules:\n  - id: a\n    id: b\n", "f.yaml")
    assert [(d.code, d.span) for d in diags] == [("CR102", Span("f.yaml", 3, 5))]


@pytest.mark.parametrize("text", ["2018-06-26", "2018-02-30", "2018-06-26T10:00:00"])
def test_dates_stay_strings(text: str) -> None:
    loaded, diags = load_yaml_text(f"effective_from: {text}\n", "f.yaml")
    assert not diags and loaded is not None
    assert loaded.data["effective_from"] == text
    assert isinstance(loaded.data["effective_from"], str)


def test_positions_are_one_based() -> None:
    loaded, diags = load_yaml_text("a: 1\nb:\n  - x\n  - {c: 2}\n", "f.yaml")
    assert not diags and loaded is not None
    smap = loaded.smap
    assert smap.span(()) == Span("f.yaml", 1, 1)
    assert smap.key_span(("a",)) == Span("f.yaml", 1, 1)
    assert smap.span(("a",)) == Span("f.yaml", 1, 4)
    assert smap.key_span(("b",)) == Span("f.yaml", 2, 1)
    assert smap.span(("b", 0)) == Span("f.yaml", 3, 5)
    assert smap.span(("b", 1, "c")) == Span("f.yaml", 4, 9)
    assert smap.span(("b", 1, "missing")) == Span("f.yaml", 4, 5)  # walks up to the parent
    assert str(smap.span(("a",))) == "f.yaml:1:4"


def test_syntax_error_position_is_one_based() -> None:
    loaded, diags = load_yaml_text("a: b: c\n", "f.yaml")
    assert loaded is None
    assert [(d.code, d.span) for d in diags] == [("CR101", Span("f.yaml", 1, 5))]


def test_columns_count_characters_not_bytes() -> None:
    _, diags = load_yaml_text("title: 一般失信: 有效期\n", "f.yaml")
    assert [(d.code, d.span) for d in diags] == [("CR101", Span("f.yaml", 1, 12))]


def test_merge_keys_are_refused() -> None:
    _, diags = load_yaml_text("base: &b {x: 1}\nrule:\n  <<: *b\n", "f.yaml")
    assert [(d.code, d.span) for d in diags] == [("CR101", Span("f.yaml", 3, 3))]


def test_empty_run_renders_only_the_count() -> None:
    assert render_text([]) == "0 error(s), 0 warning(s)"
    assert json.loads(render_json([])) == []


def test_every_code_is_explained_in_chinese() -> None:
    """Policy staff read the catalogue: each code's title and help are written in Chinese."""
    import re

    from creditrules.diagnostics import CATALOGUE

    cjk = re.compile(r"[\u4e00-\u9fff]")
    for info in CATALOGUE.values():
        for text in (info.title_zh, info.help_zh):
            # Field names and codes stay in backticks; the prose around them is Chinese.
            prose = re.sub(r"`[^`]*`|[A-Za-z0-9_.@/\[\]-]+\.(?:yaml|md)|docs/\S+", "", text)
            assert len(cjk.findall(prose)) >= len(re.findall(r"[A-Za-z]", prose)), (
                info.code,
                text,
            )
