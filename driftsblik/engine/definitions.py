"""Metadata of the built-in register indicators, for the application's indicator definitions.

The rules themselves live in the builders' docstrings (``driftsblik.engine.indicators``); this is
what the application shows: names, descriptions, domain, how values are formed (measure), how
months roll up (temporal: stock takes the last month, flow adds up) and which way is better.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IndicatorDefinition:
    """What a register indicator is called and how it behaves in roll-ups."""

    code: str
    name_da: str
    name_en: str
    description_da: str
    domain: str
    measure: str  # count | share | rate_per_1000
    temporal: str  # stock | flow
    direction: str  # higher | lower (is better)
    unit_label: str


DEFINITIONS: dict[str, IndicatorDefinition] = {
    d.code: d
    for d in (
        IndicatorDefinition(
            "cash_benefit_long_term",
            "Langvarige kontanthjælpsmodtagere",
            "Long-term cash-benefit recipients",
            "Borgere på kontanthjælp eller uddannelseshjælp i månedens sidste uge og i mindst 42 af de "
            "seneste 52 uger, opgjort ved månedens udgang.",
            "beskaeftigelse",
            "count",
            "stock",
            "lower",
            "personer",
        ),
        IndicatorDefinition(
            "cash_benefit_long_term_in_work",
            "Langvarige kontanthjælpsmodtagere med løntimer",
            "Long-term cash-benefit recipients in work",
            "Andel af de langvarige kontanthjælpsmodtagere, der har haft løntimer i måneden.",
            "beskaeftigelse",
            "share",
            "stock",
            "higher",
            "%",
        ),
        IndicatorDefinition(
            "youth_in_job_or_education",
            "Unge i job eller uddannelse",
            "Young people in job or education",
            "Andel af borgere på 15-29 år ved månedens udgang, der er i uddannelse ved månedens udgang "
            "eller har mindst 40 løntimer i måneden.",
            "unge",
            "share",
            "stock",
            "higher",
            "%",
        ),
        IndicatorDefinition(
            "youth_neet_3m",
            "Unge uden job og uddannelse i tre måneder",
            "Young people not in job or education for three months",
            "Borgere på 15-29 år, der hverken har været i uddannelse eller haft mindst 40 løntimer i "
            "hver af de seneste tre måneder.",
            "unge",
            "count",
            "stock",
            "lower",
            "personer",
        ),
        IndicatorDefinition(
            "elderly_readmission_30d",
            "Genindlæggelser inden for 30 dage",
            "Readmissions within 30 days",
            "Andel af udskrivninger af borgere på 65 år og derover, der følges af en ny indlæggelse "
            "senest 30 dage efter udskrivningsdagen.",
            "aeldre",
            "share",
            "flow",
            "lower",
            "%",
        ),
        IndicatorDefinition(
            "elderly_preventable_admissions_per_1000",
            "Forebyggelige indlæggelser pr. 1.000 ældre",
            "Preventable admissions per 1000 elderly residents",
            "Forebyggelige indlæggelser af borgere på 65 år og derover i måneden pr. 1.000 borgere på "
            "65 år og derover ved månedens udgang.",
            "aeldre",
            "rate_per_1000",
            "flow",
            "lower",
            "pr. 1.000",
        ),
    )
}
