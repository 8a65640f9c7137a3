"""Scenario files: cases written by policy staff together with the answer the law gives.

A scenario file names a ruleset and lists scenarios; each scenario is a case (the
Input of CONTRACT.md) and what the decision must say about it::

    ruleset: cn.js.nantong@2018      # id, id@version, or a folder path relative to this file
    defaults:                        # deep-merged under every case (dicts merge, lists replace)
      subject: {id: 91320600MA1MXXXX9Y, type: legal_person}
    scenarios:
      - name: 严重失信信息三年后不再公开
        case: {as_of: 2027-02-11, records: [...]}
        expect:
          fired: [nt2018.status.expired]
          records: {r1: {status: expired, publishable: false}}

The same runner serves ``creditrules test PATH...`` and pytest, whose plugin
(``creditrules.scenarios.pytest_plugin``, installed as a ``pytest11`` entry point) collects
every scenario of every scenario file as a test item ``file.yaml::scenario name``.
Every case is evaluated with ``backend="both"`` by default, so each scenario also
proves that durable_rules and the reference interpreter agree.

How expectations match:

- ``records``, ``lists``, ``measures``, ``deadlines``: the expected mapping is a
  *subset* of the decision's (keys not written are not checked). Inside it, a list of
  plain values must hold exactly those values (in any order: ``unmet: [not_corrected]``
  means no other unmet condition); a list of mappings needs each expected item to match
  some actual item. ``lists``, ``measures`` and ``deadlines`` items must each match some
  entry of the decision.
- ``matters``: the outcome per matter (``null`` where the ruleset has no rule for it).
- ``error``: the case must be refused with an ``InputError`` naming ``field``
  (``message``, if given, must occur in that problem's text). It cannot be combined with
  other expectations: a refused case has no decision.

A malformed scenario file is a failure reported at ``file:line``, never a traceback.

Python API::

    report = run_paths([Path("tests/scenarios")])          # backend="both" by default
    print(report.render())                                 # failures, then "N passed, M failed"
    report.coverage["cn.js.nantong@2018"]["nt2018.validity.serious"]   # (fired, not_fired)

``load_scenario_file`` parses one file (raising ``ScenarioFileError`` with
``(line, problem)`` pairs); ``run_scenario`` runs one scenario of it (the pytest plugin
uses this to give every scenario its own test).
"""

from __future__ import annotations

from creditrules.scenarios.fileformat import (
    Expect,
    ExpectError,
    Scenario,
    ScenarioFile,
    ScenarioFileError,
    deep_merge,
    load_scenario_file,
)
from creditrules.scenarios.runner import (
    Coverage,
    Failure,
    RulesetCache,
    RunReport,
    ScenarioResult,
    file_failure,
    find_scenario_files,
    run_paths,
    run_scenario,
)

__all__ = [
    "Coverage",
    "Expect",
    "ExpectError",
    "Failure",
    "RulesetCache",
    "RunReport",
    "Scenario",
    "ScenarioFile",
    "ScenarioFileError",
    "ScenarioResult",
    "deep_merge",
    "file_failure",
    "find_scenario_files",
    "load_scenario_file",
    "run_paths",
    "run_scenario",
]
