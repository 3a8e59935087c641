"""`driftsblik efforts define FILE`: efforts and methods from YAML, all or nothing, with reasons."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from driftsblik.core.tabular import ImportRejected
from driftsblik.efforts.define import efforts_define
from driftsblik.efforts.models import Effort, EffortTarget, Method, MethodUse, Milestone, Participant
from driftsblik.efforts.tests.helpers import TREE, indicators, owner
from driftsblik.organisation.tests.factories import make_tree

pytestmark = pytest.mark.django_db

GOOD = """
methods:
  - {code: ips, name: IPS, description: Job med støtte}
efforts:
  - code: ungegaranti
    name: Ungegarantien
    purpose: Alle unge i job eller uddannelse
    owner: direktor@example.dk
    start: 2024-01-01
    end: 2027-12-31
    phase: implementation
    cohort: youth_neet
    indicators: [in_work, neet]
    targets:
      - {indicator: in_work, year: 2025, value: 50}
      - {indicator: neet, year: 2025, value: 30, unit: J1}
    participants:
      - {unit: J1, contact: Jens, email: j1@example.dk, role: Jobcenter, methods: [{method: ips, since: 2024-03-01}]}
      - {unit: U1, contact: Ulla, role: Ungeenheden}
      - {partner: EUC Nord, contact: Erik, role: Uddannelse}
    milestones:
      - {phase: development, title: Plan, due: 2024-03-31, status: done}
"""


@pytest.fixture
def town():
    make_tree(TREE)
    indicators()
    owner()


def write(tmp_path, text):
    path = tmp_path / "efforts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_defines_efforts_and_the_same_file_twice_changes_nothing(tmp_path, town):
    path = write(tmp_path, GOOD)
    out = io.StringIO()
    call_command("efforts", "define", str(path), stdout=out)
    assert "1 effort(s) and 1 method(s)" in out.getvalue()
    effort = Effort.objects.get(code="ungegaranti")
    assert effort.participants.count() == 3 and effort.milestones.count() == 1
    assert EffortTarget.objects.get(unit_id="J1").value == 30
    assert MethodUse.objects.get().participant.unit_id == "J1"
    efforts_define(path=path)
    assert (Participant.objects.count(), Milestone.objects.count(), EffortTarget.objects.count()) == (3, 1, 2)
    assert Effort.objects.get().pk == effort.pk


@pytest.mark.parametrize(
    ("change", "column", "reason"),
    [
        (
            ("{unit: U1, contact: Ulla, role: Ungeenheden}", "{unit: J1, contact: Ulla, role: Ungeenheden}"),
            "participants[2]",
            "the unit J1 already takes part in ungegaranti",
        ),
        (
            ("due: 2024-03-31", "due: 2028-03-31"),
            "milestones[1]",
            "is due 2028-03-31, after the effort ends (2027-12-31)",
        ),
        (
            ("value: 30, unit: J1", "value: 30, unit: S2"),
            "targets[2]",
            "the unit S2 is not a participant of ungegaranti",
        ),
        (("owner: direktor@example.dk", "owner: nobody@example.dk"), "owner", "no user with e-mail"),
        (("start: 2024-01-01", "start: 1. januar"), "start", "is no date"),
        (("method: ips", "method: nope"), "participants[1].methods[1].method", "no method with code 'nope'"),
        (("[in_work, neet]", "[in_work, gone]"), "indicators", "no indicator with code 'gone'"),
        (("cohort: youth_neet", "cohort: ../x"), "cohort", "unknown cohort '../x'; known: youth_neet"),
    ],
)
def test_bad_input_is_refused_naming_file_row_and_field_and_nothing_is_stored(tmp_path, town, change, column, reason):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ImportRejected) as caught:
        efforts_define(path=path)
    problems = caught.value.problems
    assert any(
        p.file == "efforts.yaml" and p.row == 1 and p.column == column and reason in p.reason for p in problems
    ), [str(p) for p in problems]
    assert not Effort.objects.exists() and not Method.objects.exists()


@pytest.mark.parametrize("code", ["../../etc/passwd", "ung garanti", "ungegaranti/", "æble", "a" * 65, "x?y"])
def test_an_effort_code_that_is_no_identifier_is_refused(tmp_path, town, code):
    path = write(tmp_path, GOOD.replace("code: ungegaranti", f"code: {code!r}"))
    with pytest.raises(ImportRejected) as caught:
        efforts_define(path=path)
    assert [(p.file, p.row, p.column) for p in caught.value.problems] == [("efforts.yaml", 1, "code")]
    assert not Effort.objects.exists() and not Method.objects.exists()


def test_a_method_code_that_is_no_identifier_is_refused(tmp_path, town):
    path = write(tmp_path, GOOD.replace("{code: ips,", "{code: 'i/ps',"))
    with pytest.raises(ImportRejected) as caught:
        efforts_define(path=path)
    assert any(p.column == "methods[1].code" and "not an identifier" in p.reason for p in caught.value.problems)
    assert not Effort.objects.exists() and not Method.objects.exists()


def test_the_command_exits_with_the_reasons(tmp_path, town):
    path = write(tmp_path, GOOD.replace("due: 2024-03-31", "due: 2030-01-01"))
    with pytest.raises(CommandError, match=r"efforts.yaml, row 1, column milestones\[1\]: the milestone 'Plan'"):
        call_command("efforts", "define", str(path))
    with pytest.raises(CommandError, match="not valid YAML"):
        call_command("efforts", "define", str(write(tmp_path, "efforts: [")))
    with pytest.raises(CommandError, match="no such file"):
        call_command("efforts", "define", str(tmp_path / "missing.yaml"))


def test_a_defined_effort_computes_the_patterns_its_named_sums_change(tmp_path, town, settings, monkeypatch):
    """An effort's total and remainders are named sums of its indicators' suppression patterns: the
    file that defines it computes those patterns in its transaction, so no page computes one after."""
    from driftsblik.efforts.tests.helpers import figures
    from driftsblik.indicators import suppression
    from driftsblik.indicators.models import Indicator
    from driftsblik.organisation.tree import TreeCache

    settings.ROLLUP_CACHE = True
    figures()
    suppression.PATTERNS.clear()
    wanted = list(Indicator.objects.filter(code__in=["in_work", "neet"]))
    before = suppression.patterns(wanted, [2024, 2025], TreeCache())
    assert not any(isinstance(node, tuple) for p in before.values() for node, _period in p)  # no effort yet

    efforts_define(path=write(tmp_path, GOOD))
    effort = Effort.objects.get(code="ungegaranti")
    suppression.PATTERNS.clear()  # a web worker: nothing in its memory

    def cold(*args: object, **kwargs: object) -> None:
        raise AssertionError("a page computed a pattern the effort's file should have kept")

    monkeypatch.setattr(suppression, "protect", cold)
    after = suppression.patterns(wanted, [2024, 2025], TreeCache())
    assert set(after) == set(before)
    assert suppression.aggregates(TreeCache())["neet"][0] == (("effort", effort.pk), ["J1", "U1"])
