"""Driftsblik's settings: one typed place, read from the environment.

Every setting has a name, a default that works on the embedded default (SQLite, no services),
and a description. `docs/operator.md` lists them, and a test fails when one is undocumented.
A bad value stops start-up with a message naming the variable.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit


class ConfigurationError(Exception):
    """An environment variable holds a value Driftsblik cannot use."""


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError("expected true or false")


def _int(raw: str) -> int:
    return int(raw.strip())


def _float(raw: str) -> float:
    return float(raw.strip())


def _list(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


def _str(raw: str) -> str:
    return raw


def _optional_bool(raw: str) -> bool | None:
    """true or false, or None when empty (the setting then follows another)."""
    return None if not raw.strip() else _bool(raw)


def _url(raw: str) -> str:
    value = raw.strip().rstrip("/")
    if value and urlsplit(value).scheme not in {"https", "http"}:
        raise ValueError("expected an https:// address")
    return value


def _pairs(raw: str) -> dict[str, list[str]]:
    """`name=value,name=value` (a name may repeat) as {name: [values]}."""
    pairs: dict[str, list[str]] = {}
    for part in _list(raw):
        name, sep, val = part.partition("=")
        if not sep or not name.strip() or not val.strip():
            raise ValueError(f"expected name=value, not {part!r}")
        pairs.setdefault(name.strip(), []).append(val.strip())
    return pairs


def _positive_int(raw: str) -> int:
    number = _int(raw)
    if number < 1:
        raise ValueError("expected a whole number of at least 1")
    return number


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, parser, default and what it is for."""

    name: str
    parse: Callable[[str], Any]
    default: str
    description: str

    def read(self, environ: os._Environ[str] | dict[str, str] | None = None) -> Any:
        env = os.environ if environ is None else environ
        raw = env.get(self.name, self.default)
        try:
            return self.parse(raw)
        except ValueError as exc:
            raise ConfigurationError(f"{self.name}={raw!r}: {exc}") from exc


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        _str,
        "",
        "Database URL, e.g. postgresql://user@host:5432/driftsblik. Empty: a SQLite file "
        "var/driftsblik.sqlite3 in the working directory.",
    ),
    Setting(
        "DRIFTSBLIK_VAR_DIR", _str, "var", "Folder for the SQLite file, the generated secret key and demo registers."
    ),
    Setting(
        "DRIFTSBLIK_SECRET_KEY",
        _str,
        "",
        "Django's secret key. Empty: one is generated once and kept in VAR_DIR/secret_key.",
    ),
    Setting("DRIFTSBLIK_DEBUG", _bool, "false", "Django debug pages. Never in production."),
    Setting(
        "DRIFTSBLIK_ALLOWED_HOSTS",
        _list,
        "localhost,127.0.0.1,[::1]",
        "Comma-separated host names the web app answers to.",
    ),
    Setting(
        "DRIFTSBLIK_DEMO",
        _bool,
        "false",
        "Demo mode: the login page lists the demo leaders to log in as without a password. "
        "Set by `driftsblik demo`; never set it on real data.",
    ),
    Setting(
        "DRIFTSBLIK_VISIBILITY_RADIUS", _int, "2", "How many levels up and down a leader sees (the rule's radius)."
    ),
    Setting(
        "DRIFTSBLIK_SUPPRESSION_LIMIT",
        _int,
        "5",
        "Person-based figures with a numerator or denominator from 1 to this minus one are "
        "shown as '<N' to everyone but analysts.",
    ),
    Setting(
        "DRIFTSBLIK_ROLLUP_CACHE",
        _bool,
        "true",
        "Keep rolled-up monthly figures in the database, once for every worker and server, rolled "
        "up again by each import (the months it changed) and organisation change; a worker keeps "
        "none of them in memory. Off: every request rolls up from the observations.",
    ),
    Setting(
        "DRIFTSBLIK_REGISTERS",
        _str,
        "",
        "The person-level registers the pathway pages read: a folder of Parquet or CSV files, or db: / "
        "db:SCHEMA for tables in the register backend's database. Empty: VAR_DIR/demo-data/registers "
        "(written by `driftsblik demo`).",
    ),
    Setting(
        "DRIFTSBLIK_REGISTERS_BACKEND",
        _str,
        "duckdb",
        "The engine backend the pathway pages compute on: duckdb, postgres (DATABASE_URL) or pyspark.",
    ),
    Setting(
        "DRIFTSBLIK_PATHWAY_WORKERS",
        _int,
        "2",
        "How many different cohorts one web process computes at once; more wait their turn. A request "
        "for a cohort being computed waits for that computation, and a cached cohort never waits.",
    ),
    Setting("DRIFTSBLIK_LANGUAGE", _str, "da", "Language of the user interface: da or en."),
    Setting("DRIFTSBLIK_TIME_ZONE", _str, "Europe/Copenhagen", "Time zone of timestamps."),
    Setting(
        "DRIFTSBLIK_EMAIL_URL",
        _str,
        "console:",
        "Where e-mail goes: console: (printed), or smtp://user:password@host:port (smtp+tls:// for STARTTLS).",
    ),
    Setting("DRIFTSBLIK_EMAIL_FROM", _str, "driftsblik@localhost", "Sender address of e-mail."),
    Setting(
        "DRIFTSBLIK_BASE_URL",
        _str,
        "http://localhost:8000",
        "The app's public address, for the links in e-mails (https://driftsblik.example.dk).",
    ),
    Setting(
        "DRIFTSBLIK_REMINDER_GRACE_DAYS",
        _int,
        "7",
        "Days after a due date before an unanswered challenge, an overdue action or missing report "
        "commentary is shown to the owner's own leader (the owner is reminded the day after the due date).",
    ),
    Setting(
        "DRIFTSBLIK_CSRF_TRUSTED_ORIGINS",
        _list,
        "",
        "Comma-separated origins (https://driftsblik.example.dk) trusted for form posts behind a proxy.",
    ),
    Setting(
        "DRIFTSBLIK_HTTPS",
        _bool,
        "false",
        "Served over HTTPS by a TLS proxy in front: trust its X-Forwarded-Proto header, redirect http to "
        "https, send HSTS for a year (subdomains included) and mark the session and CSRF cookies secure. "
        "Set it in production.",
    ),
    Setting(
        "DRIFTSBLIK_SESSION_HOURS",
        _positive_int,
        "10",
        "Hours a sign-in lasts; after that the person signs in again.",
    ),
    Setting(
        "DRIFTSBLIK_PASSWORD_LOGIN",
        _optional_bool,
        "",
        "Log in with e-mail and password on /login/: true or false. Empty: on when no single sign-on is "
        "configured (DRIFTSBLIK_OIDC_ISSUER), off when it is.",
    ),
    Setting(
        "DRIFTSBLIK_LOGIN_FAILURE_LIMIT",
        _positive_int,
        "5",
        "Wrong passwords for one account from one address before that account is locked for that address.",
    ),
    Setting(
        "DRIFTSBLIK_LOGIN_LOCKOUT_MINUTES",
        _positive_int,
        "30",
        "Minutes a locked account stays locked for the address; a successful sign-in "
        "after that starts the count again.",
    ),
    Setting(
        "DRIFTSBLIK_OIDC_ISSUER",
        _url,
        "",
        "Single sign-on with OpenID Connect: the identity provider's issuer "
        "(https://login.microsoftonline.com/TENANT/v2.0, https://keycloak.example.dk/realms/REALM); its "
        "/.well-known/openid-configuration is read at the first sign-on. Empty: no single sign-on.",
    ),
    Setting(
        "DRIFTSBLIK_OIDC_CLIENT_ID",
        _str,
        "",
        "The client (application) id Driftsblik is registered with at the provider.",
    ),
    Setting(
        "DRIFTSBLIK_OIDC_CLIENT_SECRET",
        _str,
        "",
        "That client's secret. Secret: set it in the environment only.",
    ),
    Setting(
        "DRIFTSBLIK_OIDC_SCOPES",
        _str,
        "openid email profile",
        "The scopes asked for at sign-on (space-separated; openid is always among them).",
    ),
    Setting(
        "DRIFTSBLIK_OIDC_EMAIL_CLAIM",
        _str,
        "email",
        "The ID token's claim holding the person's e-mail, matched to the people of the organisation import "
        "(email; upn or preferred_username for Entra ID).",
    ),
    Setting(
        "DRIFTSBLIK_OIDC_GROUPS_CLAIM",
        _str,
        "",
        "The ID token's claim listing the person's groups (groups, roles). Set: membership of the role "
        "groups directorate, analysts and secretaries follows it at every sign-on. Empty: the groups are "
        "kept in Driftsblik (org import, admin).",
    ),
    Setting(
        "DRIFTSBLIK_OIDC_GROUPS",
        _pairs,
        "",
        "Which values of the groups claim mean which role group, as group=value pairs "
        "(directorate=5f1c...,analysts=9a0b...: Entra ID's group object ids). Empty: a value equal to the "
        "group's name (a leading / of Keycloak's group paths ignored).",
    ),
    Setting(
        "DRIFTSBLIK_SIGNON_CONTACT",
        _str,
        "",
        "Whom a person signed on at the provider but unknown to Driftsblik should ask to be added "
        '("Økonomi og Analyse, driftsblik@kommune.dk"). Empty: the page names Driftsblik\'s administrators.',
    ),
    Setting(
        "SPARK_MASTER",
        _str,
        "",
        "The Spark master the engine's pyspark backend runs on (spark://host:7077, yarn, local[4]). "
        "Empty: an already configured spark.master, else local[2].",
    ),
    Setting(
        "SPARK_SHUFFLE_PARTITIONS",
        _int,
        "8",
        "spark.sql.shuffle.partitions of the engine's Spark session: about two to three per core of the cluster.",
    ),
    Setting(
        "SPARK_DRIVER_MEMORY",
        _str,
        "4g",
        "spark.driver.memory of the engine's Spark session (the driver collects the aggregated figures).",
    ),
    Setting(
        "DRIFTSBLIK_ENGINE_MEMORY_LIMIT",
        _str,
        "1GB",
        "DuckDB's memory_limit for the engine's own connection (beyond it DuckDB spills to its temporary "
        "directory); empty for DuckDB's default of 80 % of the machine's memory.",
    ),
    Setting(
        "DRIFTSBLIK_MUNICIPALITY_CODE",
        _str,
        "",
        "The municipality's three-digit code (Danmarks Statistik's OMRÅDE, e.g. 860 for Hjørring): whose "
        "figures the comparison with similar municipalities is about. Empty: the municipality of the one "
        "stored peer group (the demo sets one).",
    ),
    Setting(
        "DRIFTSBLIK_SOURCES_DIR",
        _str,
        "",
        "Folder of the municipality's source mapping files (*.yaml, see docs/sources.md), usually kept in "
        "its own repository. Empty: no sources are configured (the shipped examples are in "
        "driftsblik/sources/mappings/).",
    ),
    Setting(
        "DRIFTSBLIK_STATBANK_URL",
        _str,
        "https://api.statbank.dk/v1",
        "Base address of Danmarks Statistik's Statistikbank API, version 1.",
    ),
    Setting(
        "DRIFTSBLIK_JOBINDSATS_URL",
        _str,
        "https://api.jobindsats.dk/v2",
        "Base address of STAR's Jobindsats API, version 2.",
    ),
    Setting(
        "DRIFTSBLIK_JOBINDSATS_API_KEY",
        _str,
        "",
        "The municipality's Jobindsats API key (sent in the Authorization header). Secret: set it in the "
        "environment only.",
    ),
    Setting(
        "DRIFTSBLIK_OS2MO_URL",
        _str,
        "",
        "Base address of the municipality's OS2mo (https://os2mo.example.dk); its GraphQL endpoint is "
        "/graphql/v29 under it.",
    ),
    Setting(
        "DRIFTSBLIK_OS2MO_TOKEN_URL",
        _str,
        "",
        "OS2mo's Keycloak token endpoint for client credentials "
        "(https://os2mo.example.dk/auth/realms/mo/protocol/openid-connect/token).",
    ),
    Setting("DRIFTSBLIK_OS2MO_CLIENT_ID", _str, "", "The Keycloak client Driftsblik reads OS2mo as."),
    Setting(
        "DRIFTSBLIK_OS2MO_CLIENT_SECRET",
        _str,
        "",
        "That client's secret. Secret: set it in the environment only.",
    ),
    Setting(
        "DRIFTSBLIK_SOURCES_TIMEOUT",
        _float,
        "60",
        "Seconds to wait for a public source to connect or answer before the attempt counts as failed.",
    ),
    Setting(
        "DRIFTSBLIK_SOURCES_ATTEMPTS",
        _int,
        "4",
        "How many times a request to a public source is tried when it times out, cannot connect or answers 429 or 5xx.",
    ),
    Setting(
        "DRIFTSBLIK_IMPORT_MAX_UNPACKED_MB",
        _int,
        "200",
        "An .xlsx import file whose parts unpack to more than this many megabytes is refused before it "
        "is read (a workbook is a zip file: a small one can unpack to gigabytes).",
    ),
    Setting(
        "DRIFTSBLIK_SOURCES_BACKOFF",
        _float,
        "2",
        "Seconds before the first retry of a public source; each further wait doubles (with jitter), "
        "at most 60 seconds.",
    ),
    Setting(
        "DRIFTSBLIK_API_RATE",
        _str,
        "600/m",
        "How many API calls one token may make: a number per s, m, h or d (600/m); more are answered 429.",
    ),
    Setting(
        "DRIFTSBLIK_API_TOKEN_MAX_DAYS",
        _int,
        "365",
        "The longest a personal access token to the API may live, in days; a token is chosen with an expiry.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def read_all(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """All settings parsed, keyed by name; raises ConfigurationError on the first bad value."""
    return {s.name: s.read(environ) for s in SETTINGS}


def value(name: str, environ: dict[str, str] | None = None) -> Any:
    """One setting, parsed: for code that runs without Django's settings (the engine)."""
    return _BY_NAME[name].read(environ)


ROLE_GROUPS = ("directorate", "analysts", "secretaries")


def check_oidc(env: dict[str, Any]) -> None:
    """Single sign-on needs its client id with its issuer, and maps claim values only to role groups."""
    if env["DRIFTSBLIK_OIDC_ISSUER"] and not env["DRIFTSBLIK_OIDC_CLIENT_ID"]:
        raise ConfigurationError("DRIFTSBLIK_OIDC_ISSUER is set but DRIFTSBLIK_OIDC_CLIENT_ID is empty")
    unknown = sorted(set(env["DRIFTSBLIK_OIDC_GROUPS"]) - set(ROLE_GROUPS))
    if unknown:
        raise ConfigurationError(
            f"DRIFTSBLIK_OIDC_GROUPS: {', '.join(unknown)} is not a role group ({', '.join(ROLE_GROUPS)})"
        )


def secret_key(var_dir: Path, configured: str) -> str:
    """The configured secret key, or one generated once and kept beside the SQLite file."""
    if configured:
        return configured
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


def email_settings(url: str) -> dict[str, Any]:
    """Django's e-mail settings for DRIFTSBLIK_EMAIL_URL. The user name and password are
    percent-decoded, as in any URL (`p%40ss` is the password `p@ss`)."""
    parsed = urlsplit(url)
    if parsed.scheme in {"console", ""}:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme in {"smtp", "smtp+tls", "smtps"}:
        try:
            port = parsed.port
        except ValueError as exc:
            raise ConfigurationError(f"DRIFTSBLIK_EMAIL_URL: {exc}") from exc
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parsed.hostname or "localhost",
            "EMAIL_PORT": port or 25,
            "EMAIL_HOST_USER": unquote(parsed.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
            "EMAIL_USE_TLS": parsed.scheme == "smtp+tls",
            "EMAIL_USE_SSL": parsed.scheme == "smtps",
        }
    if parsed.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    raise ConfigurationError(
        f"DRIFTSBLIK_EMAIL_URL: unknown scheme {parsed.scheme!r} (console:, smtp://, smtp+tls://, smtps://)"
    )
