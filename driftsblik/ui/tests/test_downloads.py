"""The one download response and file-name rule."""

from __future__ import annotations

import pytest

from driftsblik.ui.downloads import XLSX_TYPE, download, file_name, slug


def test_file_names_keep_letters_digits_and_dashes_only():
    assert file_name("driftsblik", "below", "S1", "2025-03", extension="xlsx") == "driftsblik-below-S1-2025-03.xlsx"
    assert (
        file_name("driftsblik", "budget", "Børn og Unge", None, "", extension="csv")
        == "driftsblik-budget-Børn-og-Unge.csv"
    )
    assert slug('../../etc/passwd"; x=1') == "etc-passwd-x-1"
    assert file_name("AUU", "2025Q1", "status", "v2", extension="pdf") == "AUU-2025Q1-status-v2.pdf"


def test_a_file_name_needs_a_known_extension_and_something_to_name():
    with pytest.raises(ValueError, match="content type"):
        file_name("a", extension="exe")
    with pytest.raises(ValueError, match="at least one part"):
        file_name("../", extension="csv")


def test_download_is_an_attachment_with_type_length_and_an_rfc6266_name_for_danish_letters():
    response = download(b"PK\x03\x04data", "driftsblik-Sundhed-og-Ældre.xlsx")
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Length"] == "8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert "filename*=utf-8''driftsblik-Sundhed-og-%C3%86ldre.xlsx" in disposition
    assert response.getvalue() == b"PK\x03\x04data"


def test_download_of_text_is_utf8_and_plain_names_stay_plain():
    response = download("a;b\næ;ø\n", "driftsblik-revisionslog.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="driftsblik-revisionslog.csv"'
    assert response.getvalue().decode("utf-8") == "a;b\næ;ø\n"


def test_download_refuses_a_name_not_made_by_file_name():
    with pytest.raises(ValueError, match="not a file name"):
        download(b"", 'x"; filename="evil.exe.pdf')
