"""The demo's tagged data files: every tag filled in from the build, a bad tag refused with file and line."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import numpy as np
import pytest

from driftsblik.core.periods import Month
from driftsblik.core.tabular import ImportRejected
from driftsblik.demo.organisation import build_organisation
from driftsblik.demo.templates import DemoContext, read_template

TODAY = dt.date(2026, 12, 7)


@pytest.fixture(scope="module")
def context():
    org = build_organisation(np.random.default_rng(5), 0.1)
    return DemoContext(org, Month(2024, 1), Month(2026, 11), TODAY)


def test_every_tag_is_filled_in_from_the_build(context, tmp_path, settings):
    settings.TIME_ZONE = "Europe/Copenhagen"
    (tmp_path / "t.yaml").write_text(
        "leader: !leader AU\nname: !leader_name AU\nday: !day -3\nat: !at -20 09:15\nmonth: !month\n"
        "quarter: !quarter\nsince: !first_day 30\ncapped: !first_day 5000\nend: !year_end 2\nplain: 2026-10\n",
        encoding="utf-8",
    )
    data = read_template("t.yaml", context, directory=tmp_path)
    area = context.organisation.units["AU"].leader
    assert data == {
        "leader": area.email,
        "name": area.name,
        "day": dt.date(2026, 12, 4),
        "at": dt.datetime(2026, 11, 17, 9, 15, tzinfo=zoneinfo.ZoneInfo("Europe/Copenhagen")),
        "month": "2026-11",
        "quarter": "2026Q4",
        "since": dt.date(2024, 1, 31),
        "capped": TODAY,
        "end": dt.date(2028, 12, 31),
        "plain": "2026-10",
    }


def test_an_unknown_unit_or_a_bad_number_is_refused_with_file_and_line(context, tmp_path):
    (tmp_path / "t.yaml").write_text("a: !leader AU\nb: !leader NOWHERE\nc: !day soon\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as refused:
        read_template("t.yaml", context, directory=tmp_path)
    assert [str(p) for p in refused.value.problems] == [
        "t.yaml, row 2: !leader NOWHERE: no unit 'NOWHERE' in the demo organisation",
        "t.yaml, row 3: !day soon: invalid literal for int() with base 10: 'soon'",
    ]


@pytest.mark.parametrize("name", ["efforts.yaml", "threads.yaml"])
def test_the_demo_files_fill_in_without_a_tag_left(context, name):
    data = read_template(name, context)

    def values(node):
        if isinstance(node, dict):
            for item in node.values():
                yield from values(item)
        elif isinstance(node, list):
            for item in node:
                yield from values(item)
        else:
            yield node

    found = list(values(data))
    assert found and None not in found
    assert all(isinstance(v, str | int | float | bool | dt.date) for v in found)
