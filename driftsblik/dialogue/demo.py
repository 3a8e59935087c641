"""The demo's dialogue: `driftsblik/demo/data/threads.yaml`, loaded through `threads_import`.

The heart of it is the story of the issue: the director of Sundhed, Ældre og Handicap asks the
head of Hjemmepleje og Sygepleje why the delivered home-care hours fell in one district; the
answer comes late, with an action for Hjemmeplejen's leader, and the sector head passes a
sub-challenge down to Hjemmeplejen, which is now overdue. Around it, a dozen other threads in
every area. The file is in the threads contract with the values that depend on the build as tags
(leaders, times relative to the day the demo is built, so "overdue" means overdue when you look,
and the demo's last month and quarter; see `driftsblik.demo.templates`); the district of the story
and what its figures say are filled in here from the loaded figures. E-mails are not sent while
the demo is built; the messages are in the app.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.test.utils import override_settings

from driftsblik.core.periods import Month
from driftsblik.demo.organisation import REGISTER_TEAMS, DemoOrganisation
from driftsblik.demo.templates import DemoContext, read_template, write_yaml
from driftsblik.dialogue.imports import threads_import
from driftsblik.dialogue.models import Challenge
from driftsblik.indicators.models import Observation
from driftsblik.ui.formats import number_da

FILE_NAME = "threads.yaml"


def load_demo(files: Any, *, say: Callable[[str], object]) -> str:
    """Fill in the demo's threads, write them into the demo folder and load them; a one-line summary."""
    context = DemoContext.of(files)
    document = read_template(FILE_NAME, context)
    district, fact = _homecare_story(files.organisation, files.last_month)
    _fill(document, {"district": district, "homecare_fact": fact})
    path = write_yaml(files.path(FILE_NAME), document)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        threads_import(path=path)
    challenges = Challenge.objects.count()
    overdue = Challenge.objects.filter(status="open", answer_by__lt=context.today).count()
    return f"{challenges} challenges ({overdue} overdue), {len(document['threads'])} raised by the demo"


def _fill(data: Any, values: dict[str, str]) -> Any:
    """Every text of the file with its {placeholders} filled in (in place for lists and mappings)."""
    if isinstance(data, str):
        return data.format_map(values) if "{" in data else data
    if isinstance(data, list):
        data[:] = [_fill(item, values) for item in data]
    elif isinstance(data, dict):
        for key, item in data.items():
            data[key] = _fill(item, values)
    return data


def _weakest_district(last: Month) -> tuple[str, Decimal | None, Decimal | None]:
    """The home-care district whose delivered hours changed least (fell most) into the last month."""
    hours = dict.fromkeys(REGISTER_TEAMS["aeldre"], None)
    rows = Observation.objects.filter(
        indicator_id="homecare_hours", unit_id__in=list(hours), period__in=[last.shift(-1).first, last.first]
    ).values_list("unit_id", "period", "numerator")
    found: dict[str, dict] = {}
    for unit_id, period, numerator in rows:
        found.setdefault(unit_id, {})[period] = numerator
    change = {
        u: (p[last.shift(-1).first], p[last.first]) for u, p in found.items() if len(p) == 2 and p[last.shift(-1).first]
    }
    if not change:
        return REGISTER_TEAMS["aeldre"][0], None, None
    unit_id = min(sorted(change), key=lambda u: change[u][1] / change[u][0])
    return unit_id, *change[unit_id]


def _homecare_story(org: DemoOrganisation, last: Month) -> tuple[str, str]:
    """The name of the district of the story, and what its delivered hours did in the last month."""
    district, before, after = _weakest_district(last)
    name = org.units[district].name
    if before is None or after is None:
        return name, f"De leverede timer i {name} udvikler sig dårligere end i de andre distrikter."
    if after < before:
        return name, (
            f"De leverede timer i {name} faldt fra {number_da(before, 0)} til {number_da(after, 0)} i {last.label_da}."
        )
    return name, (
        f"De leverede timer i {name} steg kun fra {number_da(before, 0)} til {number_da(after, 0)} i "
        f"{last.label_da}, mindst af distrikterne."
    )
