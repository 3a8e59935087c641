"""The one download response and the one file-name rule.

`download(content, name)` answers with the file as an attachment through Django's `FileResponse`,
which writes `Content-Disposition` (with the RFC 6266 `filename*` form for names with æøå) and the
length; the content type follows from the name's extension. `file_name("driftsblik", "below", "S1",
"2025-03", extension="xlsx")` -> `driftsblik-below-S1-2025-03.xlsx`: every character that is not a
letter, digit, `_` or `-` becomes `-`, so a name never carries a path, a quote or a space.
"""

from __future__ import annotations

import io
import re

from django.http import FileResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {
    "xlsx": XLSX_TYPE,
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


def slug(text: str) -> str:
    """Letters (æøå too), digits, `_` and `-` kept; every run of anything else becomes one `-`."""
    return re.sub(r"[^\w-]+", "-", text).strip("-")


def file_name(*parts: object, extension: str) -> str:
    """The parts (empty ones left out) joined by `-` and slugged, with the extension."""
    if extension not in CONTENT_TYPES:
        raise ValueError(f"no content type for .{extension}; known: {', '.join(CONTENT_TYPES)}")
    stem = slug("-".join(str(p) for p in parts if p is not None and str(p) != ""))
    if not stem:
        raise ValueError("a file name needs at least one part with a letter or digit")
    return f"{stem}.{extension}"


def download(content: bytes | str, name: str) -> FileResponse:
    """`content` as the attachment `name` (made by `file_name`), its type from the extension."""
    extension = name.rpartition(".")[2]
    if extension not in CONTENT_TYPES or slug(name.rpartition(".")[0]) != name.rpartition(".")[0]:
        raise ValueError(f"{name!r} is not a file name made by file_name()")
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=name, content_type=CONTENT_TYPES[extension])
