"""Real HTTP servers on loopback that answer like the public sources, from the fixture files.

Each fake implements just enough of its service to answer the documented requests the way the
fixtures' README describes (where each format fact comes from), and has knobs for what goes
wrong: `fail` (answer the next N requests with a status, 503 by default), `delay` (seconds before
answering, for timeouts) and, per fake, a changed format. `requests` records what was asked.
"""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

FIXTURES = Path(__file__).resolve().parent / "fixtures"


class Fake:
    """What every fake shares: recorded requests, injected failures and delays."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.requests: list[Request] = []
        self.failures: list[int] = []
        self.delay = 0.0

    def fail(self, times: int = 1, status: int = 503) -> None:
        self.failures.extend([status] * times)

    def _trouble(self, request: Request) -> Response | None:
        self.requests.append(request)
        if self.delay:
            time.sleep(self.delay)
        if self.failures:
            status = self.failures.pop(0)
            return Response("Service Unavailable", status=status, headers={"Retry-After": "0"})
        return None


def json_response(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, content_type="application/json; charset=utf-8")


class StatbankFake(Fake):
    """Statistikbank API v1: `GET /v1/tableinfo` and `POST /v1/data` (CSV), from fixtures/statbank."""

    def __init__(self, server: HTTPServer, fixtures: Path = FIXTURES / "statbank") -> None:
        super().__init__(server)
        self.fixtures = fixtures
        self.renamed: dict[str, str] = {}  # a changed format: CSV column renamed in the answer
        self.replace_value: tuple[str, str] | None = None  # a changed format: a value written differently
        server.expect_request("/v1/tableinfo", method="GET").respond_with_handler(self.tableinfo)
        server.expect_request("/v1/data", method="POST").respond_with_handler(self.data)

    @property
    def url(self) -> str:
        return self.server.url_for("/v1")

    def _info(self, table: str) -> dict[str, Any] | None:
        path = self.fixtures / f"tableinfo-{table.upper()}.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None

    def tableinfo(self, request: Request) -> Response:
        trouble = self._trouble(request)
        if trouble:
            return trouble
        info = self._info(request.args.get("id", ""))
        if info is None:
            return json_response({"errorTypeCode": "TABLE_NOT_FOUND", "message": "Tabellen blev ikke fundet"}, 400)
        return json_response(info)

    def data(self, request: Request) -> Response:
        trouble = self._trouble(request)
        if trouble:
            return trouble
        body = request.get_json()
        info = self._info(str(body.get("table", "")))
        if info is None:
            return json_response({"errorTypeCode": "TABLE_NOT_FOUND", "message": "Tabellen blev ikke fundet"}, 400)
        if body.get("format") != "CSV" or body.get("valuePresentation") != "Code" or body.get("lang") != "da":
            return json_response({"message": "format, lang or valuePresentation not as the test expects"}, 400)
        asked = {str(v["code"]).upper(): [str(x) for x in v["values"]] for v in body.get("variables", [])}
        variables = {v["id"].upper(): v for v in info["variables"]}
        unknown = [code for code in asked if code not in variables]
        if unknown:
            return json_response({"message": f"Ukendt variabel: {', '.join(unknown)}"}, 400)
        keep, fixed = [], {}
        for code, variable in variables.items():
            ids = [v["id"] for v in variable["values"]]
            if code in asked:
                values = ids if asked[code] == ["*"] else asked[code]
                bad = [v for v in values if v not in ids]
                if bad:
                    return json_response({"message": f"Ukendt værdi for {variable['id']}: {', '.join(bad)}"}, 400)
                keep.append(code)
                fixed[code] = set(values)
            elif not variable["elimination"]:
                return json_response({"message": f"Der skal vælges værdier for {variable['id']}"}, 400)
            else:
                fixed[code] = {ids[0]}  # eliminated: the total, and the column left out
        source = self.fixtures / f"data-{info['id']}.csv"
        reader = csv.DictReader(io.StringIO(source.read_text(encoding="utf-8")), delimiter=";")
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerow([self.renamed.get(c, c) for c in [*keep, "INDHOLD"]])
        for row in reader:
            if all(row[code] in fixed[code] for code in variables):
                value = row["INDHOLD"]
                if self.replace_value and value == self.replace_value[0]:
                    value = self.replace_value[1]
                writer.writerow([*(row[c] for c in keep), value])
        return Response(out.getvalue(), content_type="text/csv; charset=utf-8")


class JobindsatsFake(Fake):
    """Jobindsats API v2: `GET /v2/tables/<t>/json/` and `POST /v2/data/<t>/json`, from fixtures/jobindsats."""

    KEY = "test-key-0123"
    FILTERS = {"_kon": "Køn"}  # filter key -> the column it filters (what the real service knows itself)

    def __init__(self, server: HTTPServer, fixtures: Path = FIXTURES / "jobindsats") -> None:
        super().__init__(server)
        self.fixtures = fixtures
        self.renamed: dict[str, str] = {}
        for table in ("y36a02", "y38a02"):
            server.expect_request(f"/v2/tables/{table}/json/", method="GET").respond_with_handler(self.tables)
            server.expect_request(f"/v2/data/{table}/json", method="POST").respond_with_handler(self.data)

    @property
    def url(self) -> str:
        return self.server.url_for("/v2")

    def _denied(self, request: Request) -> Response | None:
        if request.headers.get("Authorization") != self.KEY:
            return json_response({"Message": "Authorization has been denied for this request."}, 401)
        return None

    def tables(self, request: Request) -> Response:
        trouble = self._trouble(request) or self._denied(request)
        if trouble:
            return trouble
        table = request.path.split("/")[3]
        return json_response(json.loads((self.fixtures / f"tables-{table}.json").read_text(encoding="utf-8")))

    def data(self, request: Request) -> Response:
        trouble = self._trouble(request) or self._denied(request)
        if trouble:
            return trouble
        table = request.path.split("/")[3]
        body = request.get_json()
        answer = json.loads((self.fixtures / f"data-{table}.json").read_text(encoding="utf-8"))
        labels = [v["Label"] for v in answer[0]["Variables"]]
        periods = set(body.get("period", []))
        wanted = {labels.index(self.FILTERS[key]): set(values) for key, values in body.items() if key in self.FILTERS}
        answer[0]["Data"] = [
            row
            for row in answer[0]["Data"]
            if row[1] in periods and all(row[i] in values for i, values in wanted.items())
        ]
        for variable in answer[0]["Variables"]:
            variable["Label"] = self.renamed.get(variable["Label"], variable["Label"])
        return json_response(answer)


class OS2moFake(Fake):
    """OS2mo: a Keycloak token endpoint and `POST /graphql/v29`, paging from fixtures/os2mo."""

    TOKEN = "token-abc"
    CLIENT = ("driftsblik", "s3cret")

    def __init__(self, server: HTTPServer, fixtures: Path = FIXTURES / "os2mo") -> None:
        super().__init__(server)
        self.fixtures = fixtures
        self.errors: list[str] = []  # a changed schema: GraphQL errors instead of data
        self.edit: dict[str, Any] = {}  # per collection, a function changing its pages
        server.expect_request("/auth/realms/mo/protocol/openid-connect/token", method="POST").respond_with_handler(
            self.token
        )
        server.expect_request("/graphql/v29", method="POST").respond_with_handler(self.graphql)

    @property
    def url(self) -> str:
        return self.server.url_for("/").rstrip("/")

    @property
    def token_url(self) -> str:
        return self.server.url_for("/auth/realms/mo/protocol/openid-connect/token")

    def token(self, request: Request) -> Response:
        trouble = self._trouble(request)
        if trouble:
            return trouble
        form = request.form
        if form.get("grant_type") != "client_credentials" or (form.get("client_id"), form.get("client_secret")) != (
            self.CLIENT
        ):
            return json_response({"error": "unauthorized_client", "error_description": "Invalid client secret"}, 401)
        return json_response({"access_token": self.TOKEN, "expires_in": 300, "token_type": "Bearer"})

    def graphql(self, request: Request) -> Response:
        trouble = self._trouble(request)
        if trouble:
            return trouble
        if request.headers.get("Authorization") != f"Bearer {self.TOKEN}":
            return json_response({"detail": "Not authenticated"}, 401)
        body = request.get_json()
        if self.errors:
            return json_response({"data": None, "errors": [{"message": m} for m in self.errors]})
        query, variables = body["query"], body.get("variables") or {}
        field = "org_units" if "org_units(" in query else "managers"
        if not isinstance(variables.get("limit"), int) or "$cursor: Cursor" not in query:
            return json_response({"data": None, "errors": [{"message": "limit and cursor as the schema says"}]})
        pages = json.loads((self.fixtures / f"{field}.json").read_text(encoding="utf-8"))
        if field in self.edit:
            pages = self.edit[field](pages)
        cursor = variables.get("cursor")
        index = 0 if cursor is None else int(str(cursor).split("-")[1])
        return json_response({"data": {field: pages[index]}})
