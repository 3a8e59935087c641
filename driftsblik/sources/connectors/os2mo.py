"""OS2mo, the organisation master many municipalities run: units, their history and their managers.

OS2mo is read through its GraphQL API, version 29 (`/graphql/v29`; OS2mo asks integrations to pin
the version they were written for), with a token from its Keycloak by client credentials. Two
paged queries (`limit`, `cursor`, until `page_info.next_cursor` is null, as OS2mo's schema
documents: a page may be short or even empty before the end):
- `org_units` with every validity (`validities(start: null, end: null)`): name, user key,
  parent, unit level and type, and `validity {from to}` (from v29 the end is exclusive);
- `managers` with every validity: the unit, the person's name and e-mail address (address type
  `EmailEmployee` unless the mapping says otherwise).

The answer becomes the organisation import's units table (unit_id, parent_id, name, kind,
valid_from, valid_to, leader_email, leader_name): consecutive validities that differ only in what
Driftsblik does not keep are joined, and a unit's span is split where its manager changes. That
table goes through the same organisation import as a file (validation, history, merge rule), so
the tree follows the master and a change to history the import does not allow is refused.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.utils import timezone
from pydantic import Field

from driftsblik.core.periods import Month
from driftsblik.core.tabular import Row, Table
from driftsblik.sources.connectors.base import UNIT_KINDS, Connector, OrganisationMapping, OrganisationResult
from driftsblik.sources.connectors.registry import register
from driftsblik.sources.http import SourceClient, SourceFormatChanged, SourceRefused

GRAPHQL_VERSION = 29
COLUMNS = ["unit_id", "parent_id", "name", "kind", "valid_from", "valid_to", "leader_email", "leader_name"]
Kind = Literal["root", "area", "sector", "institution", "team"]

UNITS_QUERY = """
query DriftsblikUnits($limit: int!, $cursor: Cursor) {
  org_units(limit: $limit, cursor: $cursor, filter: {from_date: null, to_date: null}) {
    objects {
      uuid
      validities(start: null, end: null) {
        user_key
        name
        validity { from to }
        parent_response { uuid }
        unit_level_response { current { user_key } }
        unit_type_response { current { user_key } }
      }
    }
    page_info { next_cursor }
  }
}
"""

MANAGERS_QUERY = """
query DriftsblikManagers($limit: int!, $cursor: Cursor, $email_types: [String!]) {
  managers(limit: $limit, cursor: $cursor, filter: {from_date: null, to_date: null}) {
    objects {
      validities(start: null, end: null) {
        validity { from to }
        org_unit_response { uuid }
        person_response {
          current {
            name
            addresses(filter: {address_type: {user_keys: $email_types}}) { value }
          }
        }
      }
    }
    page_info { next_cursor }
  }
}
"""


class OS2moMapping(OrganisationMapping):
    """Which OS2mo units become Driftsblik's tree, by which id, and of which kind.

    - root: the uuid or user key of the top unit to import (needed when OS2mo has several trees);
    - unit_id: the units' ids in Driftsblik: OS2mo's uuid, or its user key (the latest one);
    - kind_from / kinds: the unit level's (or unit type's) user key -> the unit's kind; a unit
      whose level is not listed gets the kind of its depth (root, area, sector, institution, team);
    - email_address_type: the address type of the managers' e-mail.
    """

    source: Literal["os2mo"]
    root: str | None = None
    unit_id: Literal["uuid", "user_key"] = "uuid"
    kind_from: Literal["unit_level", "unit_type"] = "unit_level"
    kinds: dict[str, Kind] = Field(default_factory=dict)
    email_address_type: str = "EmailEmployee"
    page_size: int = Field(default=200, ge=1, le=1000)


@dataclass
class _Validity:
    start: dt.date
    end: dt.date | None  # inclusive
    name: str
    user_key: str
    parent: str | None
    level: str | None


@dataclass
class _Manager:
    unit: str
    start: dt.date
    end: dt.date | None
    email: str | None
    name: str | None


def _day(text: Any, *, end: bool, source: str) -> dt.date | None:
    """A validity bound as a calendar day: from v29 `to` is exclusive, so the last day is the day before."""
    if text is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(str(text))
    except ValueError:
        raise SourceFormatChanged(source, f"{text!r} is not a date and time") from None
    day = moment.date()
    if end and moment.time() == dt.time(0, 0):
        day -= dt.timedelta(days=1)
    return day


@register
class OS2mo(Connector):
    """OS2mo (Magenta): the organisation master, read through its GraphQL API."""

    kind = "os2mo"
    label = "OS2mo"
    mapping_class = OS2moMapping
    mapping: OS2moMapping

    def fetch(self, *, first: Month, last: Month) -> OrganisationResult:
        token = self._token()
        headers = {"Authorization": f"Bearer {token}"}
        with SourceClient(source=self.label, base_url=settings.OS2MO_URL, headers=headers) as client:
            units = self._units(client)
            managers = self._managers(client)
        table = self._table(units, managers)
        return OrganisationResult(table, f"{self.label} (GraphQL v{GRAPHQL_VERSION})", timezone.now())

    def _token(self) -> str:
        missing = [
            name
            for name, value in (
                ("DRIFTSBLIK_OS2MO_URL", settings.OS2MO_URL),
                ("DRIFTSBLIK_OS2MO_TOKEN_URL", settings.OS2MO_TOKEN_URL),
                ("DRIFTSBLIK_OS2MO_CLIENT_ID", settings.OS2MO_CLIENT_ID),
                ("DRIFTSBLIK_OS2MO_CLIENT_SECRET", settings.OS2MO_CLIENT_SECRET),
            )
            if not value
        ]
        if missing:
            raise SourceRefused(self.label, f"not configured: set {', '.join(missing)}")
        with SourceClient(source=f"{self.label} (Keycloak)", base_url=settings.OS2MO_TOKEN_URL) as client:
            answer = client.json(
                "POST",
                "",
                data={
                    "grant_type": "client_credentials",
                    "client_id": settings.OS2MO_CLIENT_ID,
                    "client_secret": settings.OS2MO_CLIENT_SECRET,
                },
            )
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            raise SourceFormatChanged(f"{self.label} (Keycloak)", "the token answer has no access_token")
        return token

    def _pages(self, client: SourceClient, query: str, field: str, extra: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Every object of a paged collection, page by page until next_cursor is null."""
        cursor = None
        for _ in range(100_000):
            variables = {"limit": self.mapping.page_size, "cursor": cursor, **extra}
            answer = client.json("POST", f"graphql/v{GRAPHQL_VERSION}", json={"query": query, "variables": variables})
            if not isinstance(answer, dict):
                raise SourceFormatChanged(self.label, "the GraphQL answer is not an object")
            if answer.get("errors"):
                messages = "; ".join(str(e.get("message", e)) for e in answer["errors"] if isinstance(e, dict))
                raise SourceFormatChanged(self.label, f"GraphQL v{GRAPHQL_VERSION} answered errors: {messages}")
            page = (answer.get("data") or {}).get(field)
            if not isinstance(page, dict) or not isinstance(page.get("objects"), list):
                raise SourceFormatChanged(self.label, f"the GraphQL answer has no {field}.objects")
            yield from page["objects"]
            cursor = (page.get("page_info") or {}).get("next_cursor")
            if cursor is None:
                return
        raise SourceFormatChanged(self.label, f"{field}: the pages never ended")

    def _units(self, client: SourceClient) -> dict[str, list[_Validity]]:
        units: dict[str, list[_Validity]] = {}
        pick = "unit_level_response" if self.mapping.kind_from == "unit_level" else "unit_type_response"
        for obj in self._pages(client, UNITS_QUERY, "org_units", {}):
            try:
                validities = [
                    _Validity(
                        start=_day(v["validity"]["from"], end=False, source=self.label),  # type: ignore[arg-type]
                        end=_day(v["validity"]["to"], end=True, source=self.label),
                        name=str(v["name"]),
                        user_key=str(v["user_key"]),
                        parent=(v.get("parent_response") or {}).get("uuid"),
                        level=((v.get(pick) or {}).get("current") or {}).get("user_key"),
                    )
                    for v in obj["validities"]
                ]
                units[str(obj["uuid"])] = sorted(validities, key=lambda v: v.start)
            except (KeyError, TypeError) as exc:
                raise SourceFormatChanged(self.label, f"an org unit lacks {exc}") from None
        return units

    def _managers(self, client: SourceClient) -> list[_Manager]:
        managers = []
        extra = {"email_types": [self.mapping.email_address_type]}
        for obj in self._pages(client, MANAGERS_QUERY, "managers", extra):
            for v in obj.get("validities", []):
                try:
                    person = (v.get("person_response") or {}).get("current") or {}
                    addresses = [a.get("value") for a in person.get("addresses") or [] if a.get("value")]
                    managers.append(
                        _Manager(
                            unit=str(v["org_unit_response"]["uuid"]),
                            start=_day(v["validity"]["from"], end=False, source=self.label),  # type: ignore[arg-type]
                            end=_day(v["validity"]["to"], end=True, source=self.label),
                            email=sorted(addresses)[0] if addresses else None,
                            name=person.get("name"),
                        )
                    )
                except (KeyError, TypeError, AttributeError) as exc:
                    raise SourceFormatChanged(self.label, f"a manager lacks {exc}") from None
        return managers

    def _subtree(self, units: dict[str, list[_Validity]]) -> dict[str, int]:
        """The units under the mapping's root (every unit ever below it), or under the one top unit
        OS2mo has, with their depth below it (the kind of a unit whose level the mapping does not name)."""
        children: dict[str, set[str]] = defaultdict(set)
        roots = []
        for uuid, validities in units.items():
            for v in validities:
                if v.parent is None:
                    roots.append(uuid)
                else:
                    children[v.parent].add(uuid)
        roots = list(dict.fromkeys(roots))
        wanted = self.mapping.root
        if wanted:
            matches = [u for u in units if u == wanted or any(v.user_key == wanted for v in units[u])]
            if len(matches) != 1:
                raise SourceRefused(self.label, f"root {wanted!r} matches {len(matches)} units, not one")
            top = matches[0]
        elif len(roots) == 1:
            top = roots[0]
        else:
            names = ", ".join(f"{units[r][-1].name} ({r})" for r in roots)
            raise SourceRefused(self.label, f"OS2mo has {len(roots)} top units ({names}): name one as root")
        depth, todo = {top: 0}, [top]
        while todo:
            parent = todo.pop(0)
            for child in sorted(children.get(parent, ())):
                if child not in depth:
                    depth[child] = depth[parent] + 1
                    todo.append(child)
        return depth

    def _table(self, units: dict[str, list[_Validity]], managers: list[_Manager]) -> Table:
        depth = self._subtree(units)
        # Driftsblik's ids: OS2mo's uuids, or each unit's latest user key
        ids = {u: (u if self.mapping.unit_id == "uuid" else units[u][-1].user_key) for u in depth}
        by_unit: dict[str, list[_Manager]] = defaultdict(list)
        for m in managers:
            if m.unit in depth:
                by_unit[m.unit].append(m)
        table = Table(f"{self.label} org_units", COLUMNS)
        top = next(iter(depth))
        for uuid in sorted(depth, key=lambda u: ids[u]):
            fallback = UNIT_KINDS[min(depth[uuid], len(UNIT_KINDS) - 1)]
            pieces = []
            for v in units[uuid]:
                parent = ids.get(v.parent) if v.parent and uuid != top else None
                kind = self.mapping.kinds.get(v.level or "") or fallback
                pieces.append(_Piece(v.start, v.end, parent, v.name, kind, None))
            for piece in _split_by_manager(pieces, by_unit[uuid]):
                leader = piece.leader
                values = {
                    "unit_id": ids[uuid],
                    "parent_id": piece.parent,
                    "name": piece.name,
                    "kind": piece.kind,
                    "valid_from": piece.start,
                    "valid_to": piece.end,
                    "leader_email": leader.email if leader else None,
                    "leader_name": leader.name if leader else None,
                }
                table.rows.append(Row(len(table.rows) + 2, values, table))
        return table


@dataclass
class _Piece:
    """A stretch of a unit's history with one parent, name, kind and manager."""

    start: dt.date
    end: dt.date | None
    parent: str | None
    name: str
    kind: str
    leader: _Manager | None

    def continues(self, other: _Piece) -> bool:
        """Whether `other` follows this piece directly and differs in nothing Driftsblik keeps."""
        return (
            self.end is not None
            and self.end + dt.timedelta(days=1) == other.start
            and (self.parent, self.name, self.kind) == (other.parent, other.name, other.kind)
            and (self.leader.email if self.leader else None) == (other.leader.email if other.leader else None)
        )


def _leader(managers: list[_Manager], day: dt.date) -> _Manager | None:
    """The unit's manager with an e-mail on the day (the earliest appointed, then by e-mail)."""
    current = [m for m in managers if m.email and m.start <= day and (m.end is None or day <= m.end)]
    return min(current, key=lambda m: (m.start, m.email or "")) if current else None


def _split_by_manager(pieces: list[_Piece], managers: list[_Manager]) -> list[_Piece]:
    """The unit's validities cut where its manager changes, then joined where nothing kept differs."""
    points = {m.start for m in managers} | {m.end + dt.timedelta(days=1) for m in managers if m.end}
    spans: list[_Piece] = []
    for piece in pieces:
        inside = {p for p in points if piece.start < p and (piece.end is None or p <= piece.end)}
        starts = sorted({piece.start} | inside)
        for i, start in enumerate(starts):
            end = starts[i + 1] - dt.timedelta(days=1) if i + 1 < len(starts) else piece.end
            part = _Piece(start, end, piece.parent, piece.name, piece.kind, _leader(managers, start))
            if spans and spans[-1].continues(part):
                spans[-1].end = end
            else:
                spans.append(part)
    return spans
