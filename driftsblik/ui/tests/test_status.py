"""The status table: one word, icon and colour per status, read the same by templates, charts and files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from driftsblik.ui import status

PACKAGE = Path(__file__).resolve().parents[2]


def test_every_family_has_distinct_codes_and_one_no_status_last():
    for family in status.FAMILIES.values():
        codes = [s.code for s in family.statuses]
        assert len(set(codes)) == len(codes), family.name
        assert codes[-1] is None, f"{family.name}: the 'no status' entry comes last (legend order)"
        assert all(s.icon.name in status.ICONS and s.tone.name in status.TONES for s in family.statuses)


def test_words_are_danish_and_one_per_status():
    with translation.override("da"):
        assert [s.word for s in status.TARGET.statuses] == ["På mål", "Tæt på målet", "Ikke på mål", "Intet mål"]
        assert status.word("red", "budget") == "Overskridelse"
        assert status.word(None, "budget") == "Ingen budgetdata"
        assert status.word("") == "Intet mål"  # an empty code is no status
    with translation.override("en"):
        assert status.word("yellow") == "Close to target"


def test_unknown_codes_and_families_are_errors_not_a_grey_default():
    with pytest.raises(ValueError, match="unknown target status 'blue'"):
        status.word("blue")
    with pytest.raises(ValueError, match="unknown status family"):
        status.word("green", "weather")


def test_worst_of_several_is_the_furthest_off():
    assert status.TARGET.worst(["green", None, "yellow"]) == "yellow"
    assert status.TARGET.worst(["green", "red", "yellow"]) == "red"
    assert status.TARGET.worst([None, None]) is None
    assert status.TARGET.worst([]) is None


def render(text: str, **context) -> str:
    with translation.override("da"):
        return Template("{% load ui %}" + text).render(Context(context))


def test_the_template_tag_draws_icon_word_and_tone_from_the_table():
    html = render("{% status code %}", code="yellow")
    assert 'class="status status-yellow"' in html
    assert status.ICONS["warning"].path in html and ">Tæt på målet</span>" in html
    assert 'aria-hidden="true"' in html  # the icon is decoration; the word is read


def test_compact_keeps_the_word_for_screen_readers_and_as_tooltip():
    html = render("{% status code compact=True %}", code="red")
    assert 'title="Ikke på mål"' in html and 'class="status-word sr-only"' in html and "status-compact" in html


def test_the_tag_speaks_the_language_of_each_request():
    """The tag keeps its markup between uses: per language, so one language never shows in another."""
    template = Template("{% load ui %}{% status code compact=True %}")
    for language, word in (("da", "Ikke på mål"), ("en", "Off target"), ("da", "Ikke på mål")):
        with translation.override(language):
            html = template.render(Context({"code": "red"}))
        assert f'title="{word}"' in html, (language, html)
    with translation.override("da"):
        assert "status-compact" not in Template("{% load ui %}{% status 'red' %}").render(Context())


def test_budget_family_and_pdf_glyphs():
    assert "Inden for budget" in render('{% status code family="budget" %}', code="green")
    pdf = render("{% status code pdf=True %}", code="green")
    assert pdf.strip() == '<span class="status status-green">✔ På mål</span>'
    assert "–" in render("{% status code pdf=True %}", code=None)
    assert render("{{ code|status_word:'budget' }}", code="yellow") == "Overskridelse inden for tolerance"


def _words() -> set[str]:
    """Every word of the table: its English msgid and its Danish translation."""
    words = set()
    for family in status.FAMILIES.values():
        for entry in family.statuses:
            for language in (None, "da"):  # None: no translation, the msgid itself
                with translation.override(language):
                    words.add(entry.word)
    return words


def copies(root: Path) -> list[str]:
    """Lines under `root` outside ui/ (and catalogues, static files) holding a status word in quotes
    or as template text."""
    alternatives = "|".join(re.escape(w) for w in sorted(_words(), key=len, reverse=True))
    pattern = re.compile(f"[\"'>]({alternatives})[\"'<]")
    found = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in {".py", ".html", ".txt"}:
            continue
        parts = path.relative_to(root).parts
        if parts[0] == "ui" or "static" in parts or "locale" in parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()[:100]}")
    return found


def test_status_words_are_written_only_in_the_table():
    """No app (nor its tests) writes a status word of its own: they compare with ui.status."""
    found = copies(PACKAGE)
    assert not found, "status words outside driftsblik/ui/status.py:\n" + "\n".join(found)


def test_a_copied_status_word_is_found(tmp_path):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "build.py").write_text('WORDS = {"yellow": "Tæt på målet"}\n', encoding="utf-8")
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "_status.html").write_text('{% translate "On target" %}\n', encoding="utf-8")
    (tmp_path / "ui").mkdir()
    (tmp_path / "ui" / "status.py").write_text('_("On target")\n', encoding="utf-8")
    assert [line.split(":")[0] for line in copies(tmp_path)] == ["reports/build.py", "web/_status.html"]


def test_an_activitys_statuses_read_as_plan_words_in_the_target_family():
    with translation.override("da"):
        assert [status.word(c) for c in ("on_plan", "over_plan", "under_plan")] == [
            "Efter plan",
            "Over plan",
            "Under plan",
        ]
        # the target family's legend lists the result statuses only; the plan family is the activities'
        assert "Efter plan" not in [s.word for s in status.TARGET.statuses]
        assert [s.word for s in status.PLAN.statuses] == ["Efter plan", "Over plan", "Under plan", "Ingen plan"]
    assert status.status("over_plan").icon.glyph == "↑" and status.status("under_plan").icon.glyph == "↓"
