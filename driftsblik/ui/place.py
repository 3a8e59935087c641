"""Keep the place: the unit and period a person chose follow them from page to page.

A page reads its period and unit from the query string first (`?periode=`, `?enhed=`), then from
what the person chose last in the session, then its own default. A period or unit asked for in the
query string is kept in the session once the page has accepted it (a period that parses, a unit the
person sees), so the next page opens at the same place; the query string always wins, so every
view still has an address that reproduces it.

    text = place.period_text(request)        # the query string's period, else the kept one
    unit = place.kept_unit(request, allowed)  # the kept unit, when `allowed(unit)` still holds
    place.keep_unit(request, unit_id)         # after the page has checked the unit
    place.address(request)                    # the page's address with the kept place written in

A page opened at a kept place (no `?periode=` or `?enhed=` in its address) names it in
`address(request)`: the context processor puts it in the page's head and `web/place.js` writes it
into the address bar, so the address a person copies reproduces the page they see.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.http import urlencode

from driftsblik.core.periods import Period, PeriodError

PERIOD_PARAM = "periode"
UNIT_PARAM = "enhed"
PERIOD_KEY = "driftsblik_place_period"
UNIT_KEY = "driftsblik_place_unit"
HOME_KEY = "driftsblik_place_home"
_FILLED = "_driftsblik_place_filled"  # on the request: the parameters a page took from the session


def _session_get(request: HttpRequest, key: str) -> str | None:
    session = getattr(request, "session", None)
    value = session.get(key) if session is not None else None
    return value if isinstance(value, str) and value else None


def _session_set(request: HttpRequest, key: str, value: str) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.get(key) != value:  # no session write when nothing changed
        session[key] = value


def period_text(request: HttpRequest) -> str | None:
    """The period the page should show, as text: the query string's (kept in the session when it is
    a period that exists), else the one kept from an earlier page, else None (the page's default).
    A query-string period that does not parse is returned as it is, so the page can say so."""
    text = (request.GET.get(PERIOD_PARAM) or "").strip()
    if text:
        try:
            period = Period.parse(text)
        except PeriodError:
            return text
        _session_set(request, PERIOD_KEY, str(period))
        return text
    kept = kept_period(request)
    if kept is not None:
        filled_in(request, PERIOD_PARAM, kept)
    return kept


def kept_period(request: HttpRequest) -> str | None:
    """The period kept from an earlier page (None when there is none or it no longer parses)."""
    text = _session_get(request, PERIOD_KEY)
    if text is None:
        return None
    try:
        Period.parse(text)
    except PeriodError:
        return None
    return text


def asked_unit(request: HttpRequest) -> str | None:
    """The unit named in the query string, if any (the page checks it before keeping it)."""
    return (request.GET.get(UNIT_PARAM) or "").strip() or None


def kept_unit(request: HttpRequest, allowed: Callable[[str], bool]) -> str | None:
    """The unit kept from an earlier page, when `allowed` says the page may show it (a unit that
    left the person's view since is forgotten here, not a 404)."""
    unit_id = _session_get(request, UNIT_KEY)
    return unit_id if unit_id is not None and allowed(unit_id) else None


def keep_unit(request: HttpRequest, unit_id: str, *, home: bool = False) -> None:
    """Remember the unit the page shows (call it after the page has checked the person sees it);
    `home`: one of the person's own units, chosen on a page about them (the overview, the budget),
    kept also on its own so that those pages return to it after a visit to a unit further down."""
    _session_set(request, UNIT_KEY, unit_id)
    if home:
        _session_set(request, HOME_KEY, unit_id)


def chosen_unit(request: HttpRequest, homes: list[str], default: str | None) -> tuple[str | None, bool]:
    """The unit of a page that shows one of the person's own units (the overview, the budget): the
    query string's, else the kept one when it is among `homes` (else the own unit chosen last on
    such a page), else `default`. The flag says whether
    the unit came from the query string (the page checks it and answers 404 outside `homes`)."""
    asked = asked_unit(request)
    if asked is not None:
        return asked, True
    kept = kept_unit(request, homes.__contains__)
    if kept is None:
        home = _session_get(request, HOME_KEY)
        kept = home if home in homes else None
    if kept is not None:
        filled_in(request, UNIT_PARAM, kept)
    return kept or default, False


def filled_in(request: HttpRequest, param: str, value: str) -> None:
    """Note that the page took `param` from the session (its address will name it)."""
    filled: dict[str, str] = getattr(request, _FILLED, None) or {}
    filled[param] = value
    setattr(request, _FILLED, filled)


def address(request: HttpRequest) -> str:
    """The page's address with the parameters it took from the session written in ('' when it took
    none: its address already reproduces it)."""
    filled: dict[str, str] | None = getattr(request, _FILLED, None)
    if not filled or request.method != "GET":
        return ""
    query = {key: request.GET.get(key, "") for key in request.GET}
    query.update(filled)
    return f"{request.path}?{urlencode(query)}"
