"""The committed JSON schemas are generated from the models, and the decision schema
cannot change without a ``SCHEMA_VERSION`` bump (CONTRACT.md: fields may be added; none
renamed, removed or changed in meaning without ``schema_version`` 2).

After a deliberate change: bump ``SCHEMA_VERSION`` in ``model/decision.py`` if the
decision schema changed, then ``python tools/gen_schemas.py``.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from importlib.resources import files
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from creditrules.model.decision import SCHEMA_VERSION

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / "src" / "creditrules" / "schemas"
NAMES = ["decision.schema.json", "case.schema.json", "ruleset.schema.json"]


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_schemas", REPO / "tools" / "gen_schemas.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_schemas", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fresh(gen: ModuleType) -> dict[str, str]:
    generated: dict[str, str] = gen.generate()
    return generated


@pytest.mark.parametrize("name", NAMES)
def test_committed_schema_is_generated(name: str, fresh: dict[str, str]) -> None:
    committed = (SCHEMAS / name).read_text(encoding="utf-8")
    assert committed == fresh[name], f"{name} is out of date: run python tools/gen_schemas.py"


@pytest.mark.parametrize("name", NAMES)
def test_schema_has_id_and_title(name: str) -> None:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    assert schema["$id"].endswith("/" + name)
    assert schema["title"].strip()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_decision_schema_change_needs_a_version_bump(
    gen: ModuleType, fresh: dict[str, str]
) -> None:
    record = json.loads((SCHEMAS / "decision.schema.version.json").read_text(encoding="utf-8"))
    assert set(record) == {"schema_version", "sha256"}
    now = gen.sha256(fresh["decision.schema.json"])
    if record["schema_version"] == SCHEMA_VERSION:
        assert record["sha256"] == now, (
            f"the decision schema changed but SCHEMA_VERSION is still {SCHEMA_VERSION}: bump it in "
            "src/creditrules/model/decision.py, add a CHANGELOG entry, run python tools/gen_schemas.py"
        )
    else:
        assert record["schema_version"] < SCHEMA_VERSION, "SCHEMA_VERSION went backwards"
        pytest.fail(f"SCHEMA_VERSION is now {SCHEMA_VERSION}: run python tools/gen_schemas.py")


def test_version_record_is_generated(gen: ModuleType, fresh: dict[str, str]) -> None:
    committed = (SCHEMAS / "decision.schema.version.json").read_text(encoding="utf-8")
    assert committed == gen.version_record(fresh["decision.schema.json"])


def test_decision_schema_describes_schema_version(fresh: dict[str, str]) -> None:
    schema = json.loads(fresh["decision.schema.json"])
    assert schema["properties"]["schema_version"]["default"] == SCHEMA_VERSION
    # by_alias: the JSON names, not the Python ones.
    assert "from" in schema["$defs"]["Publication"]["properties"]
    assert "from_" not in schema["$defs"]["Publication"]["properties"]


def test_ruleset_schema_takes_manifest_and_other_files(fresh: dict[str, str]) -> None:
    schema = json.loads(fresh["ruleset.schema.json"])
    refs = {alt["$ref"] for alt in schema["anyOf"]}
    assert refs == {"#/$defs/Manifest", "#/$defs/RulesetFile"}
    manifest = schema["$defs"]["Manifest"]["properties"]
    assert set(schema["$defs"]["RulesetFile"]["properties"]) <= set(manifest)


def test_tool_check_passes(gen: ModuleType) -> None:
    assert gen.main(["--check"]) == 0


@pytest.mark.parametrize("name", NAMES)
def test_schemas_ship_in_the_package(name: str) -> None:
    assert (files("creditrules") / "schemas" / name).is_file()


def test_real_documents_validate() -> None:
    """The example case, its decision and every bundled YAML file fit their schemas."""
    import jsonschema
    import yaml

    import creditrules
    from creditrules.loader import bundled_root

    def load(name: str) -> Any:
        return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))

    case = json.loads((REPO / "examples" / "nantong-2026.json").read_text(encoding="utf-8"))
    jsonschema.validate(case, load("case.schema.json"))
    decision = creditrules.evaluate("cn.js.nantong", case).model_dump(mode="json", by_alias=True)
    jsonschema.validate(decision, load("decision.schema.json"))
    ruleset = load("ruleset.schema.json")
    # One validator for every file: jsonschema.validate() checks the schema itself on every
    # call, which made this test 20 times slower.
    cls = jsonschema.validators.validator_for(ruleset)
    cls.check_schema(ruleset)
    validator = cls(ruleset)
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in sorted(bundled_root().rglob("*.yaml")):
        if "scenarios" in path.parts:
            continue
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        validator.validate(json.loads(json.dumps(loaded, default=str)))
