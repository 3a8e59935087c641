"""The Danish catalogues are complete and their compiled .mo files match the .po sources."""

from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(PACKAGE.glob("*/locale/da/LC_MESSAGES/django.po")) + sorted(
    PACKAGE.glob("locale/da/LC_MESSAGES/django.po")
)


def test_there_is_a_danish_catalogue():
    assert CATALOGUES, "no Danish catalogue found"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_catalogue_is_translated_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    assert not po.fuzzy_entries(), "fuzzy entries are ignored at run time"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} missing: run `driftsblik compilemessages`"
    mo = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(mo_path))}  # a msgid may have contexts
    stale = [e.msgid for e in po.translated_entries() if mo.get((e.msgctxt, e.msgid)) != e.msgstr]
    assert not stale, f"{mo_path.name} is older than its .po: run `driftsblik compilemessages` ({stale[:5]})"
