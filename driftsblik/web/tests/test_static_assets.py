"""The assets base.html loads are vendored, in the order they need, and their references resolve."""

from __future__ import annotations

import re
from pathlib import Path

WEB = Path(__file__).resolve().parent.parent


def test_static_files_named_in_base_html_exist() -> None:
    template = (WEB / "templates" / "web" / "base.html").read_text(encoding="utf-8")
    paths = re.findall(r"""{%\s*static\s+['"]([^'"]+)['"]\s*%}""", template)
    expected = {
        "vendor/htmx.org/htmx.min.js",
        "vendor/vega/vega.min.js",
        "vendor/vega-lite/vega-lite.min.js",
        "vendor/vega-embed/vega-embed.min.js",
        "vendor/dkfds/css/dkfds.min.css",
        "web/charts.js",
        "web/driftsblik.css",
    }
    assert expected <= set(paths)
    missing = [p for p in paths if not (WEB / "static" / p).is_file()]
    assert not missing, f"base.html names static files that are not in static/: {missing}"


def test_scripts_load_vega_before_vega_lite_before_vega_embed() -> None:
    template = (WEB / "templates" / "web" / "base.html").read_text(encoding="utf-8")
    order = [
        template.index(p)
        for p in ("vega/vega.min.js", "vega-lite/vega-lite.min.js", "vega-embed/vega-embed.min.js", "web/charts.js")
    ]
    assert order == sorted(order)


def test_vendored_stylesheet_references_resolve() -> None:
    css_path = WEB / "static" / "vendor" / "dkfds" / "css" / "dkfds.min.css"
    css = css_path.read_text(encoding="utf-8")
    refs = {r for r in re.findall(r"url\(\s*['\"]?([^'\")]+?)['\"]?\s*\)", css) if not r.startswith("data:")}
    assert refs
    missing = [r for r in refs if not (css_path.parent / r.split("#")[0].split("?")[0]).is_file()]
    assert not missing
    assert "sourceMappingURL" not in css
