"""On random trees, people and figures: the API shows a person exactly the units and figures the
pages show them (the same visibility, the same roll-up, the same hidden small numbers), and never
a unit outside their view."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from driftsblik.api.tests.helpers import get, token_for
from driftsblik.core.periods import Month, Period
from driftsblik.indicators import pages, selectors
from driftsblik.indicators.models import Indicator, Observation
from driftsblik.organisation.tests.factories import make_leader, make_tree
from driftsblik.organisation.tests.test_visibility_properties import trees
from driftsblik.organisation.viewer import Viewer
from driftsblik.organisation.visibility import visible_units

pytestmark = pytest.mark.django_db
MONTH = Month(2025, 3)


def _value(figure: selectors.Figure) -> float | None:
    return None if figure.value is None else float(figure.value)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_api_shows_what_the_pages_show(data):
    parent = data.draw(trees(max_units=18), label="tree")
    units = sorted(parent, key=lambda u: int(u[1:]))
    led = data.draw(st.lists(st.sampled_from(units), min_size=1, max_size=2, unique=True), label="led")
    figures = data.draw(
        st.dictionaries(
            st.sampled_from(units),
            st.tuples(st.integers(0, 12), st.integers(0, 12)),
            max_size=len(units),
        ),
        label="figures",
    )
    client = Client()
    with transaction.atomic():
        make_tree([(u, p) for u, p in parent.items()])
        person = make_leader("leder@example.dk", led[0], valid_from=dt.date(2020, 1, 1))
        for extra in led[1:]:
            make_leader("leder@example.dk", extra, valid_from=dt.date(2020, 1, 1))
        Indicator.objects.create(
            code="share",
            name="share",
            kind="result",
            measure="share",
            temporal="stock",
            direction="higher",
            person_based=True,
            key=True,
        )
        now = timezone.now()
        Observation.objects.bulk_create(
            Observation(
                indicator_id="share",
                unit_id=u,
                period=MONTH.first,
                numerator=Decimal(min(n, d)),
                denominator=Decimal(d),
                loaded_at=now,
            )
            for u, (n, d) in figures.items()
        )
        token = token_for(person)
        seen = visible_units(person)

        body = get(client, token, "/api/v1/units").json()
        assert {u["id"] for u in body} == set(seen)
        for unit in units:
            status = get(client, token, f"/api/v1/figures/share/{unit}?period={MONTH}").status_code
            assert status == (200 if unit in seen else 404)

        viewer = Viewer.of(person)
        indicator = Indicator.objects.get()
        start = data.draw(st.sampled_from(sorted(seen)), label="start")
        rows = get(client, token, f"/api/v1/table?unit={start}&start={MONTH}&end={MONTH}").json()["rows"]
        by_unit = {r["unit_id"]: r for r in rows}
        assert set(by_unit) <= set(seen)
        heat = pages.heat_table(viewer, start, Period.month(MONTH), [indicator], levels=2)
        for heat_row in heat.rows:
            for figure in heat_row.figures:
                row = by_unit.get(heat_row.unit_id)
                if row is None:  # the table leaves out a cell with neither figures nor a target
                    assert figure.cell is None and figure.target is None
                    continue
                assert (row["value"], row["suppressed"]) == (_value(figure), figure.suppressed)
        own = selectors.figures(person, [indicator], [start], Period.month(MONTH))[("share", start)]
        if start in by_unit:
            assert (by_unit[start]["value"], by_unit[start]["suppressed"]) == (_value(own), own.suppressed)

        for unit in seen:
            body = get(client, token, f"/api/v1/figures/share/{unit}?period={MONTH}").json()
            expected = selectors.figures(person, [indicator], [unit], Period.month(MONTH))[("share", unit)]
            assert (body["value"], body["suppressed"]) == (_value(expected), expected.suppressed)
        transaction.set_rollback(True)
