from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from driftsblik.reports.sentences import amount_da, indicator_sentence


def sentence(**kwargs):
    base = {
        "name": "antallet af langvarige kontanthjælpsmodtagere",
        "measure": "count",
        "value": D(776),
        "previous": D(812),
        "target": D(700),
        "year": 2026,
        "period_label": "1. kvartal 2026",
    }
    return indicator_sentence(**{**base, **kwargs})


def test_the_issues_example_word_for_word():
    assert sentence() == (
        "Antallet af langvarige kontanthjælpsmodtagere faldt fra 812 til 776 (-4 %) siden sidste status; "
        "målet for 2026 er 700."
    )


def test_a_rise_with_thousands_separators_and_rounded_percent():
    # (1.310 - 1.200) / 1.200 = 9,17 % -> +9 %
    assert sentence(name="Besøg", value=D(1310), previous=D(1200), target=D(14000)) == (
        "Besøg steg fra 1.200 til 1.310 (+9 %) siden sidste status; målet for 2026 er 14.000."
    )


def test_half_a_percent_rounds_away_from_zero():
    # 201 / 200 = +0,5 % -> +1 % (half up); the value still differs so it is no "uændret"
    assert "(+1 %)" in sentence(value=D(201), previous=D(200))


def test_unchanged_when_the_shown_values_are_equal():
    assert sentence(value=D(776), previous=D(776)) == (
        "Antallet af langvarige kontanthjælpsmodtagere var uændret på 776 siden sidste status; målet for 2026 er 700."
    )


def test_shares_change_in_percentage_points_with_decimal_comma():
    text = sentence(
        name="Andel unge i job eller uddannelse", measure="share", value=D("83.44"), previous=D("82.1"), target=D(85)
    )
    assert text == (
        "Andel unge i job eller uddannelse steg fra 82,1 % til 83,4 % (+1,3 procentpoint) siden sidste status; "
        "målet for 2026 er 85,0 %."
    )


def test_share_unchanged_below_a_tenth_of_a_point():
    assert "uændret på 50,0 %" in sentence(measure="share", value=D("50.04"), previous=D("49.98"))


def test_rates_per_thousand_and_means():
    assert sentence(name="Genindlæggelser", measure="rate_per_1000", value=D("4.5"), previous=D("5"), target=None) == (
        "Genindlæggelser faldt fra 5,0 pr. 1.000 til 4,5 pr. 1.000 (-10 %) siden sidste status."
    )
    assert sentence(
        name="Dage til første samtale", measure="ratio", value=D("9.7"), previous=D("9.6"), target=D("8.4")
    ) == ("Dage til første samtale steg fra 9,6 til 9,7 (+1 %) siden sidste status; målet for 2026 er 8,4.")


def test_suppressed_figure_gives_no_numbers():
    text = sentence(suppressed=True)
    assert "færre end 5" in text
    assert not any(ch.isdigit() for ch in text.replace("1. kvartal 2026", "").replace("5 personer", ""))


def test_missing_or_suppressed_previous_says_the_level_only():
    expected = "Antallet af langvarige kontanthjælpsmodtagere var 776 i 1. kvartal 2026; målet for 2026 er 700."
    assert sentence(previous=None) == expected
    assert sentence(previous=D(3), previous_suppressed=True) == expected


def test_no_figure_and_no_percentage_from_zero():
    assert (
        sentence(value=None)
        == "Der er endnu ingen tal for antallet af langvarige kontanthjælpsmodtagere for 1. kvartal 2026."
    )
    assert sentence(value=D(3), previous=D(0), target=None) == (
        "Antallet af langvarige kontanthjælpsmodtagere steg fra 0 til 3 siden sidste status."
    )


@pytest.mark.parametrize(
    ("measure", "value", "text"),
    [
        ("count", D(1234), "1.234"),
        ("count", D("12.5"), "12,5"),
        ("share", D("12.34"), "12,3 %"),
        ("rate_per_1000", D("0.25"), "0,3 pr. 1.000"),
        ("ratio", D(-2), "-2,0"),
    ],
)
def test_amounts_in_danish(measure, value, text):
    assert amount_da(measure, value) == text


values = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


@given(measure=st.sampled_from(["count", "share", "rate_per_1000", "ratio"]), value=values, previous=values)
def test_the_verb_agrees_with_the_shown_numbers(measure, value, previous):
    text = sentence(name="Tallet", measure=measure, value=value, previous=previous, target=None)
    shown_now, shown_before = amount_da(measure, value), amount_da(measure, previous)
    if shown_now == shown_before:
        assert "uændret" in text
    else:
        assert f"fra {shown_before} til {shown_now}" in text
        assert ("steg" in text) == (value > previous) and ("faldt" in text) == (value < previous)


@given(value=values, previous=values, target=values)
def test_a_suppressed_figure_never_shows_a_number(value, previous, target):
    text = sentence(value=value, previous=previous, target=target, suppressed=True)
    assert text == (
        "Antallet af langvarige kontanthjælpsmodtagere for 1. kvartal 2026 vises ikke, "
        "fordi tallet bygger på færre end 5 personer."
    )


def test_a_flow_is_compared_with_its_periods_target_not_the_years():
    from driftsblik.reports.sentences import target_label

    quarter = target_label(year=2026, period_label="3. kvartal 2026", spread=True, months=3, period_months=3)
    assert sentence(value=D("82544.6"), previous=None, target=D("85395.6"), target_label=quarter) == (
        "Antallet af langvarige kontanthjælpsmodtagere var 82.544,6 i 1. kvartal 2026; "
        "målet for 3. kvartal 2026 er 85.395,6."
    )
    partial = target_label(year=2026, period_label="budgetår 2026", spread=True, months=11, period_months=12)
    assert partial == "de 11 måneder med tal i budgetår 2026"
    # a level (a share, a stock) is held all year: its target is the year's
    assert target_label(year=2026, period_label="3. kvartal 2026", spread=False, months=3, period_months=3) == "2026"
