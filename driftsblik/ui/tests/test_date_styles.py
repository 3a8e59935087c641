"""Templates write dates in the two styles only (`prose_date`, `table_date` and their `_datetime`
twins in `ui.formats`): a `|date:"..."` with a format of its own is a third style and fails here.
ISO for machines (`|date:"c"`, a <time datetime>) is allowed."""

import re
from pathlib import Path

from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

PACKAGE = Path(__file__).resolve().parents[2]
# `|date` or `|time` with a literal format ("j. F Y", 'Y-m-d'), or `|date` with Django's default
OWN_FORMAT = re.compile(r"""\|\s*(?:date|time)(?:\s*:\s*(["'])(?P<format>.*?)\1|(?![:\w]))""")
MACHINE_FORMATS = {"c", "U"}


def own_formats(text: str) -> list[str]:
    return [m.group(0) for m in OWN_FORMAT.finditer(text) if m.group("format") not in MACHINE_FORMATS]


def test_the_scan_finds_a_date_format_of_its_own():
    assert own_formats('{{ a.due|date:"j. F Y" }} {{ b|date:\'Y-m-d\' }} {{ c|date }} {{ d|time:"H:i" }}') == [
        '|date:"j. F Y"',
        "|date:'Y-m-d'",
        "|date",
        '|time:"H:i"',
    ]
    assert own_formats("<time datetime=\"{{ e.at|date:'c' }}\">{{ e.at|prose_datetime }}</time>") == []
    assert own_formats("{{ a.due|table_date }} {{ x|date_format }}") == []


def test_no_template_writes_a_date_in_a_style_of_its_own():
    templates = sorted(PACKAGE.glob("*/templates/**/*.html"))
    assert len(templates) > 50, "the scan found no templates"
    offenders = {str(p.relative_to(PACKAGE)): found for p in templates if (found := own_formats(p.read_text()))}
    assert not offenders, f"use |prose_date, |table_date (or their _datetime twins) instead: {offenders}"


@override_settings(TIME_ZONE="Europe/Copenhagen")
def test_the_filters_write_the_two_styles_in_the_local_time_zone():
    import datetime as dt

    template = Template(
        "{% load ui %}{{ d|prose_date }}|{{ d|table_date }}|"
        "{{ m|prose_datetime }}|{{ m|table_datetime }}|{{ n|table_date }}"
    )
    context = Context({"d": dt.date(2026, 12, 7), "m": dt.datetime(2026, 7, 1, 11, 5, tzinfo=dt.UTC), "n": None})
    with translation.override("da"):
        assert template.render(context) == ("7. december 2026|07.12.2026|1. juli 2026 kl. 13.05|01.07.2026 kl. 13.05|–")
    with translation.override("en"):
        assert template.render(context) == "Dec. 7, 2026|12/07/2026|July 1, 2026 at 13:05|07/01/2026 at 13:05|–"
