"""A real OpenID Connect provider on loopback for the sign-on tests: oidc-provider-mock (Authlib's
authorization server in a Flask app) served by werkzeug in a thread. Its authorization page asks
for the subject (we use the person's e-mail, which the provider also puts in the `email` claim, or
set claims with PUT /users/SUB).

`Provider.pretend_host` makes the provider see another host name on some paths: its discovery
document or its ID tokens then name another issuer, as a provider behind a misconfigured proxy or a
different tenant would.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import werkzeug.serving


@dataclass
class Provider:
    url: str
    pretend_host: dict[str, str] = field(default_factory=dict)  # path prefix -> Host header

    def set_claims(self, sub: str, claims: dict[str, Any]) -> None:
        httpx.put(f"{self.url}/users/{sub}", json=claims).raise_for_status()


class _HostRewrite:
    def __init__(self, app: Any, provider_ref: list[Provider]) -> None:
        self.app = app
        self.provider_ref = provider_ref

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        for prefix, host in self.provider_ref[0].pretend_host.items():
            if environ.get("PATH_INFO", "").startswith(prefix):
                environ["HTTP_HOST"] = host
        return self.app(environ, start_response)


@contextmanager
def running_provider(*, token_max_age: timedelta = timedelta(hours=1)) -> Iterator[Provider]:
    import oidc_provider_mock  # its deprecation warnings are let through in pyproject.toml

    ref: list[Provider] = []
    app = oidc_provider_mock.app(require_nonce=True, access_token_max_age=token_max_age)
    server = werkzeug.serving.make_server("127.0.0.1", 0, _HostRewrite(app, ref), threaded=True)
    ref.append(Provider(url=f"http://127.0.0.1:{server.server_port}"))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield ref[0]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
