"""The one HTTP client every connector talks to its public source through.

httpx with a timeout on every request, and retries with exponential backoff (stamina) when the
source times out, cannot be reached, or answers 429 or 5xx. What can go wrong ends in one of
three errors, each saying which source and what happened, in words an operator can act on:

- `SourceUnavailable`: the source is down or overloaded (after the last retry);
- `SourceRefused`: the source answered 4xx: a wrong key, table or query (never retried);
- `SourceFormatChanged`: the source answered, but not in the format the connector knows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import stamina
from django.conf import settings

MAX_WAIT = 60.0
USER_AGENT = "Driftsblik (https://github.com/driftsblik; results follow-up for Danish municipalities)"


class SourceError(Exception):
    """A fetch from a public source failed; nothing was stored."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        super().__init__(f"{source}: {message}")


class SourceUnavailable(SourceError):
    """The source could not be reached, timed out, or answered 429/5xx on every attempt."""


class SourceRefused(SourceError):
    """The source answered 4xx: the request (key, table, variables) is not one it accepts."""


class SourceFormatChanged(SourceError):
    """The source answered in a format other than the documented one the connector reads."""


class _Retryable(Exception):
    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        super().__init__(f"HTTP {response.status_code}")


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds the source asked us to wait (Retry-After: seconds or an HTTP date), capped."""
    raw = response.headers.get("Retry-After")
    if not raw:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        try:
            when = parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            return None
        seconds = (when - dt.datetime.now(dt.UTC)).total_seconds()
    return min(max(seconds, 0.0), MAX_WAIT)


def _retry_on(exc: Exception) -> bool | float:
    """Whether (and after how long, when the source says) an attempt that raised `exc` is retried."""
    if isinstance(exc, _Retryable):
        return _retry_after(exc.response) or True
    return isinstance(exc, httpx.TransportError)


def _describe(exc: Exception) -> str:
    if isinstance(exc, _Retryable):
        response = exc.response
        return f"answered HTTP {response.status_code} {response.reason_phrase}".rstrip()
    if isinstance(exc, httpx.TimeoutException):
        return "did not answer in time"
    if isinstance(exc, httpx.ConnectError):
        return f"could not be reached ({exc})"
    return f"failed ({exc.__class__.__name__}: {exc})"


def error_detail(response: httpx.Response) -> str:
    """The reason a source gives in an error body: its JSON `message`/`error` field, or the text."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:300]
    if isinstance(body, dict):
        for key in ("message", "Message", "error_description", "error", "detail"):
            if isinstance(body.get(key), str) and body[key].strip():
                return body[key].strip()[:300]
    return str(body)[:300]


class SourceClient:
    """An HTTP client for one source: base address, headers, timeout and retry policy.

    `request` returns the response of the first attempt that was not retried, or raises a
    `SourceError`. Use it as a context manager so the connections are closed.
    """

    def __init__(
        self,
        *,
        source: str,
        base_url: str,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        attempts: int | None = None,
        backoff: float | None = None,
    ) -> None:
        if not base_url:
            raise SourceRefused(source, "no address is configured for this source (see docs/sources.md)")
        self.source = source
        self.attempts = max(1, attempts if attempts is not None else settings.SOURCES_ATTEMPTS)
        self.backoff = backoff if backoff is not None else settings.SOURCES_BACKOFF
        seconds = timeout if timeout is not None else settings.SOURCES_TIMEOUT
        self._base = base_url.rstrip("/")
        self._client = httpx.Client(
            base_url=base_url.rstrip("/") + "/",
            headers={"User-Agent": USER_AGENT, **(headers or {})},
            timeout=httpx.Timeout(seconds),
            follow_redirects=False,
        )

    def __enter__(self) -> SourceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One request with the retry policy; 2xx comes back, anything else raises a SourceError."""
        response: httpx.Response | None = None
        try:
            for attempt in stamina.retry_context(
                on=_retry_on,
                attempts=self.attempts,
                timeout=None,
                wait_initial=self.backoff,
                wait_max=MAX_WAIT,
                wait_jitter=self.backoff,
            ):
                with attempt:
                    url = path.lstrip("/") or self._base  # an empty path is the base address itself
                    response = self._client.request(method, url, **kwargs)
                    if response.status_code == 429 or response.status_code >= 500:
                        raise _Retryable(response)
        except (_Retryable, httpx.TransportError) as exc:
            raise SourceUnavailable(
                self.source, f"{_describe(exc)} after {self.attempts} attempt(s); nothing was changed"
            ) from exc
        assert response is not None  # noqa: S101 - the loop either got a response or raised
        if response.status_code >= 400:
            raise SourceRefused(
                self.source,
                f"{method} {response.request.url.path} answered HTTP {response.status_code}: {error_detail(response)}",
            )
        if response.status_code >= 300:
            raise SourceFormatChanged(
                self.source,
                f"{method} {response.request.url.path} answered HTTP {response.status_code} "
                f"(a redirect to {response.headers.get('Location', '?')}): has the address moved?",
            )
        return response

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        """The response's JSON body; a body that is not JSON means the format changed."""
        response = self.request(method, path, **kwargs)
        try:
            return response.json()
        except ValueError:
            kind = response.headers.get("Content-Type", "no content type")
            raise SourceFormatChanged(
                self.source,
                f"{method} {response.request.url.path} answered {kind}, not JSON: {response.text.strip()[:120]!r}",
            ) from None
