"""The ledger rolled up the leadership chain (`LedgerRollup`): equal to the sums over each subtree in
the tree valid at each month's end, kept in step by ledger imports and organisation changes, never
read when outdated, and read by the budget follow-up in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from driftsblik.budget.models import LedgerImport, LedgerMonth, LedgerRollup, LedgerRollupState
from driftsblik.budget.selectors import SPENT, Ledger, children_budget, committee_budget, unit_budget
from driftsblik.budget.services import ledger_import
from driftsblik.budget.services.rollup import ledger_rollup_refresh
from driftsblik.budget.tests.helpers import write_ledger
from driftsblik.core.periods import Month
from driftsblik.organisation.models import Committee, User
from driftsblik.organisation.tests.factories import make_tree, move_unit, write_csv
from driftsblik.organisation.tree import TreeCache

pytestmark = pytest.mark.django_db

ORG_HEADER = ["unit_id", "parent_id", "name", "kind", "valid_from", "valid_to", "leader_email", "leader_name"]
ORG = {"K": {"A": {"I1": ["T1", "T2"], "I2": []}, "B": ["I3"]}}
# lines at every level: (unit, amount) each month of 2025-01..2025-06, account 5.30.26 unless said
LINES = {"K": 1, "A": 20, "I1": 300, "T1": 4000, "T2": 50000, "I2": 600000, "I3": 7000000}


def _rows(months=range(1, 7)) -> list[list[object]]:
    rows: list[list[object]] = []
    for m in months:
        for unit, amount in LINES.items():
            rows.append([f"2025-{m:02d}", unit, "5.30.26", 1, "1.0", "forbrug", amount * m])
        rows.append([f"2025-{m:02d}", "T2", "5.30.27", 1, "1.0", "forbrug", 9])  # a second account
    rows.append(["2025-01", "I1", "5.30.26", 1, "1.0", "oprindeligt budget", 123456])
    return rows


def _rolled(unit: str, month: int, account: str = "5.30.26", kind: str = SPENT) -> Decimal | None:
    return (
        LedgerRollup.objects.filter(unit_id=unit, period=dt.date(2025, month, 1), account_id=account, kind=kind)
        .values_list("amount", flat=True)
        .first()
    )


def test_the_roll_up_is_the_sum_over_the_subtree_by_hand(tmp_path):
    make_tree(ORG)
    ledger_import(path=write_ledger(tmp_path / "l.csv", _rows()))
    for m in (1, 4, 6):
        assert _rolled("T1", m) == 4000 * m
        assert _rolled("I1", m) == (300 + 4000 + 50000) * m
        assert _rolled("A", m) == (20 + 300 + 4000 + 50000 + 600000) * m
        assert _rolled("B", m) == 7000000 * m
        assert _rolled("K", m) == sum(LINES.values()) * m
        assert _rolled("K", m, "5.30.27") == _rolled("I1", m, "5.30.27") == 9
        assert _rolled("I3", m, "5.30.27") is None
    assert _rolled("K", 1, kind="original") == _rolled("I1", 1, kind="original") == 123456
    assert _rolled("T1", 1, kind="original") is None
    assert LedgerRollupState.objects.filter(year=2025).exists()
    # and the follow-up reads it: a unit's year to date is its rolled-up months added
    figures = unit_budget(user=None, unit_id="A", year=2025, through=Month(2025, 3))
    assert figures.spent == (20 + 300 + 4000 + 50000 + 600000) * 6 + 9 * 3
    assert figures.original == 123456


def _move_t2_in_april_by_import(tmp_path) -> None:
    from driftsblik.organisation.services import org_import

    rows = [
        ORG_HEADER,
        ["T2", "I1", "T2", "institution", "2020-01-01", "2025-03-31", "", ""],
        ["T2", "I3", "T2", "institution", "2025-04-01", "", "", ""],
    ]
    assert org_import(path=write_csv(tmp_path / "move.csv", rows)).spans_closed == 1


def _check_t2_moved_in_april() -> None:
    for m in (1, 2, 3):  # T2 under I1 in A
        assert _rolled("I1", m) == (300 + 4000 + 50000) * m
        assert _rolled("B", m) == 7000000 * m
        assert _rolled("I1", m, "5.30.27") == 9 and _rolled("I3", m, "5.30.27") is None
    for m in (4, 5, 6):  # T2 under I3 in B from April
        assert _rolled("I1", m) == (300 + 4000) * m
        assert _rolled("A", m) == (20 + 300 + 4000 + 600000) * m
        assert _rolled("I3", m) == (7000000 + 50000) * m
        assert _rolled("B", m) == (7000000 + 50000) * m
        assert _rolled("I3", m, "5.30.27") == 9 and _rolled("I1", m, "5.30.27") is None
    for m in range(1, 7):
        assert _rolled("K", m) == sum(LINES.values()) * m
    ledger = Ledger(2025)
    b, i1 = ledger.series_each([["B"], ["I1"]])
    assert ledger.current_years() == {2024, 2025}
    assert b[SPENT][Month(2025, 3)] == 7000000 * 3
    assert b[SPENT][Month(2025, 5)] == (7000000 + 50000) * 5 + 9
    assert i1[SPENT][Month(2025, 5)] == (300 + 4000) * 5


def test_a_reorganisation_mid_year_gives_each_month_its_own_tree(tmp_path):
    make_tree(ORG)
    ledger_import(path=write_ledger(tmp_path / "l.csv", _rows()))
    computed = LedgerRollupState.objects.get(year=2025).computed_at
    _move_t2_in_april_by_import(tmp_path)
    # the organisation import rolled the year up again in its own transaction
    assert LedgerRollupState.objects.get(year=2025).computed_at > computed
    assert Ledger(2025).current_years() == {2024, 2025}
    _check_t2_moved_in_april()


def test_a_unit_moved_in_the_admin_is_rolled_up_again_by_the_next_reader(tmp_path):
    make_tree(ORG)
    ledger_import(path=write_ledger(tmp_path / "l.csv", _rows()))
    stamp = LedgerRollupState.objects.get(year=2025).spans
    move_unit("T2", "I3", on=dt.date(2025, 4, 1))  # no signal: the stamp no longer matches the spans
    assert Ledger(2025).current_years() == {2024, 2025}  # rolled up again by this read
    assert LedgerRollupState.objects.get(year=2025).spans != stamp
    _check_t2_moved_in_april()


def test_a_month_s_import_rolls_up_its_month_or_the_whole_year_when_the_tree_moved(tmp_path):
    make_tree(ORG)
    ledger_import(path=write_ledger(tmp_path / "l.csv", _rows()))
    january = LedgerRollup.objects.get(unit_id="K", period=dt.date(2025, 1, 1), account_id="5.30.26", kind=SPENT)
    march = [["2025-03", "T1", "5.30.26", 1, "1.0", "forbrug", 5]]
    ledger_import(path=write_ledger(tmp_path / "march.csv", march))
    assert _rolled("I1", 3) == (300 + 50000) * 3 + 5
    assert _rolled("K", 3) == (sum(LINES.values()) - 4000) * 3 + 5
    # the other months were left as they were, not rolled up again
    assert LedgerRollup.objects.get(pk=january.pk).amount == sum(LINES.values())
    # moved in the admin, then a month loaded: the whole year is rolled up through the new tree
    move_unit("T2", "I3", on=dt.date(2025, 4, 1))
    ledger_import(path=write_ledger(tmp_path / "march.csv", march))
    assert not LedgerRollup.objects.filter(pk=january.pk).exists()
    assert _rolled("I3", 5) == (7000000 + 50000) * 5 and _rolled("I1", 2) == (300 + 4000 + 50000) * 2
    assert Ledger(2025).current_years() == {2024, 2025}


class Busy:
    """`rollup._claimed` while another is rolling up."""

    def __enter__(self):
        return False

    def __exit__(self, *exc):
        return False


def test_an_outdated_roll_up_is_never_read(tmp_path, monkeypatch):
    from driftsblik.budget.services import rollup

    make_tree(ORG)
    ledger_import(path=write_ledger(tmp_path / "l.csv", _rows()))
    move_unit("T2", "I3", on=dt.date(2025, 4, 1))

    monkeypatch.setattr(rollup, "_claimed", Busy)  # someone else is rolling up: no waiting, no old rows
    ledger = Ledger(2025)
    (b,) = ledger.series_each([["B"]])
    assert ledger.current_years() == set()
    assert b[SPENT][Month(2025, 5)] == (7000000 + 50000) * 5 + 9  # summed from LedgerMonth in today's trees
    assert _rolled("B", 5) == 7000000 * 5  # the kept rows are still the old tree's, and were not read


def test_a_failed_import_leaves_the_roll_up_as_it_was(tmp_path, monkeypatch):
    make_tree(ORG)
    ledger_import(path=write_ledger(tmp_path / "l.csv", _rows()))

    def kept():
        return (
            sorted(LedgerRollup.objects.values_list("period", "unit_id", "account_id", "kind", "amount")),
            list(LedgerRollupState.objects.values_list("year", "spans", "computed_at")),
        )

    before = kept()

    def fail(**_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(LedgerImport.objects, "create", fail)  # after the lines and the roll-up are stored
    changed = [[f"2025-{m:02d}", "T1", "5.30.26", 1, "1.0", "forbrug", 1] for m in range(1, 7)]
    with pytest.raises(RuntimeError):
        ledger_import(path=write_ledger(tmp_path / "again.csv", changed))
    assert kept() == before
    assert _rolled("T1", 2) == 8000


def test_the_follow_up_is_the_same_from_the_roll_up_as_from_the_monthly_sums(tmp_path):
    from driftsblik.budget.demo import load_demo
    from driftsblik.budget.unitcosts import unit_costs
    from driftsblik.demo.build import load_demo_files, write_demo_files

    files = write_demo_files(tmp_path, seed=11, last_month=Month(2026, 10), scale=0.1)
    load_demo_files(files, say=lambda _: None)
    load_demo(files, say=lambda _: None)
    through = Month(2026, 10)
    trees = TreeCache()
    tree = trees.on(dt.date.today())
    units = sorted(tree.name)
    rolled, summed = Ledger(2026, trees=trees), Ledger(2026, trees=trees, rollup=False)
    assert rolled.current_years() == {2025, 2026}
    unit_sets = [[u] for u in units] + [units, ["HJK", *units[:5]], [tree.children["HJK"][0], "SAEH"]]
    assert rolled.series_each(unit_sets) == summed.series_each(unit_sets)
    accounts = sorted(set(LedgerMonth.objects.values_list("account_id", flat=True)))[:6]
    assert rolled.series_each(unit_sets[:40], accounts=accounts[:2]) == summed.series_each(
        unit_sets[:40], accounts=accounts[:2]
    )
    for unit in ("HJK", "SAEH", units[7]):
        assert rolled.by_account(unit, accounts, kind=SPENT) == summed.by_account(unit, accounts, kind=SPENT)
        assert unit_budget(user=None, unit_id=unit, year=2026, through=through, ledger=rolled) == unit_budget(
            user=None, unit_id=unit, year=2026, through=through, ledger=summed
        )
        assert children_budget(user=None, unit_id=unit, year=2026, through=through, ledger=rolled) == (
            children_budget(user=None, unit_id=unit, year=2026, through=through, ledger=summed)
        )
        assert unit_costs(user=None, unit_id=unit, year=2026, through=through, ledger=rolled) == unit_costs(
            user=None, unit_id=unit, year=2026, through=through, ledger=summed
        )
    for committee in Committee.objects.all():
        assert committee_budget(user=None, committee=committee, year=2026, through=through, ledger=rolled) == (
            committee_budget(user=None, committee=committee, year=2026, through=through, ledger=summed)
        )


def _page(client) -> str:
    text = client.get(reverse("budget:overview")).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"|CSRFToken": "[^"]*"', "", text)


def test_the_budget_page_is_the_same_with_and_without_the_roll_up(client, tmp_path, monkeypatch):
    from driftsblik.budget.services import rollup
    from driftsblik.web.tests.helpers import build_municipality, people

    units = build_municipality(institutions=2, teams=2)
    people()
    rows = []
    for n, team in enumerate(units["team"] + units["institution"] + units["sector"]):
        rows += [[f"2024-{m:02d}", team, "5.30.26", 1, "1.0", "forbrug", 1000 + n * 7 + m] for m in range(1, 13)]
        rows += [[f"2025-{m:02d}", team, "5.30.26", 1, "1.0", "forbrug", 1100 + n * 5 + m] for m in range(1, 4)]
        rows.append(["2025-01", team, "5.30.26", 1, "1.0", "oprindeligt budget", 15000 + n])
    ledger_import(path=write_ledger(tmp_path / "2024.csv", [r for r in rows if r[0].startswith("2024")]))
    ledger_import(path=write_ledger(tmp_path / "2025.csv", [r for r in rows if r[0].startswith("2025")]))
    client.force_login(User.objects.get(email="kd@example.dk"))
    with_roll_up = _page(client)
    assert LedgerRollupState.objects.count() == 2
    LedgerRollupState.objects.all().delete()  # no year kept, and none rolled up now: the page sums LedgerMonth
    monkeypatch.setattr(rollup, "_claimed", Busy)
    without = _page(client)
    assert not LedgerRollupState.objects.exists()
    assert with_roll_up == without
    assert "1.1" in with_roll_up or "1,1" in with_roll_up or "Forbrug" in with_roll_up


def test_reading_the_roll_up_takes_one_query_however_many_units(tmp_path):
    make_tree({"K": {f"A{a}": {f"S{a}{s}": [f"I{a}{s}{i}" for i in range(4)] for s in range(3)} for a in range(3)}})
    teams = [f"I{a}{s}{i}" for a in range(3) for s in range(3) for i in range(4)]
    rows = [[f"2025-{m:02d}", t, "5.30.26", 1, "1.0", "forbrug", 10] for t in teams for m in range(1, 4)]
    ledger_import(path=write_ledger(tmp_path / "l.csv", rows))
    assert Ledger(2025).current_years() == {2024, 2025}  # 2024, without lines, kept (empty) by this read
    trees = TreeCache()
    trees.on(dt.date(2025, 1, 1))  # the spans read
    ledger = Ledger(2025, trees=trees)
    with CaptureQueriesContext(connection) as captured:
        every = ledger.series_each([["K", *teams], ["A0", "A1", "A2"]])
        areas = ledger.series_each([[f"S{a}{s}"] for a in range(3) for s in range(3)])
    assert len(captured) == 3  # which years are current, then one read of rolled-up rows per call
    assert every[0][SPENT][Month(2025, 2)] == every[1][SPENT][Month(2025, 2)] == 10 * len(teams)
    assert all(s[SPENT][Month(2025, 3)] == 40 for s in areas)


# property: every tree, every ledger ------------------------------------------------------------


class Rollback(Exception):
    pass


@st.composite
def ledgers(draw):
    """A random tree of 2..10 units (parents before children), a unit moved from a month on, and lines."""
    size = draw(st.integers(min_value=2, max_value=10))
    parents = [None] + [draw(st.integers(min_value=0, max_value=i - 1)) for i in range(1, size)]
    move = None
    if size > 2 and draw(st.booleans()):
        unit = draw(st.integers(min_value=1, max_value=size - 1))
        below = {unit}
        for i in range(1, size):  # parents come first, so one pass finds the subtree
            if parents[i] in below:
                below.add(i)
        targets = [i for i in range(size) if i not in below]
        move = (unit, draw(st.sampled_from(targets)), draw(st.integers(min_value=2, max_value=4)))
    lines = draw(
        st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=size - 1),
                st.integers(min_value=1, max_value=4),
                st.sampled_from(["5.30.26", "5.30.27"]),
                st.sampled_from(["spent", "original"]),
                st.integers(min_value=-(10**6), max_value=10**6),
            ),
            max_size=30,
        )
    )
    return parents, move, lines


@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=ledgers())
def test_the_roll_up_of_every_unit_is_the_sum_over_its_subtree(spec):
    parents, move, lines = spec
    try:
        with transaction.atomic():
            _check(parents, move, lines)
            raise Rollback
    except Rollback:
        pass


def _check(parents, move, lines):
    from driftsblik.budget.services.accounts import ensure_standard_accounts

    ensure_standard_accounts()
    make_tree([(f"U{i}", None if p is None else f"U{p}") for i, p in enumerate(parents)])
    if move is not None:
        unit, target, month = move
        move_unit(f"U{unit}", f"U{target}", on=dt.date(2025, month, 1))
    cells: dict[tuple[int, str, str, str], Decimal] = defaultdict(Decimal)
    for unit, month, account, kind, cents in lines:
        cells[(month, f"U{unit}", account, kind)] += Decimal(cents) / 100
    LedgerMonth.objects.bulk_create(
        [
            LedgerMonth(year=2025, period=dt.date(2025, m, 1), unit_id=u, account_id=a, kind=k, amount=amount)
            for (m, u, a, k), amount in cells.items()
        ]
    )
    ledger_rollup_refresh(years=[2025])
    kept = {
        (p.month, u, a, k): amount
        for p, u, a, k, amount in LedgerRollup.objects.values_list("period", "unit_id", "account_id", "kind", "amount")
    }
    trees = TreeCache()
    expected: dict[tuple[int, str, str, str], Decimal] = {}
    for m in range(1, 5):
        tree = trees.on(Month(2025, m).end)
        for top in tree.name:
            below = tree.subtree(top)
            for account in ("5.30.26", "5.30.27"):
                for kind in ("spent", "original"):
                    found = [cells[(m, u, account, kind)] for u in below if (m, u, account, kind) in cells]
                    if found:
                        expected[(m, top, account, kind)] = sum(found, Decimal(0))
    assert kept == expected
