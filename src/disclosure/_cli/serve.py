"""``disclosure serve``: the HTTP API and the web page, on uvicorn.

A standalone click command, registered on the ``disclosure`` group by
:mod:`disclosure.cli`, with the service's settings (:class:`ServeConfig`) and its token
file reader. It checks what it was given (the extra installed, the token file, the
ruleset folder) and hands uvicorn the import path of the application factory,
``disclosure._serve.app:app_from_environment``, with the settings in one environment
variable: the service stage sits above the command line and is never imported from here,
so the command line works without the ``serve`` extra and says how to install it.
"""

from __future__ import annotations

import copy
import importlib.util
import ipaddress
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
import click

import disclosure
from disclosure._cli.failure import fail
from disclosure.errors import DisclosureError

__all__ = [
    "ENVIRONMENT_VARIABLE",
    "EXTRA_MISSING",
    "ServeConfig",
    "is_loopback",
    "read_token",
    "serve_command",
]

#: the variable that carries the settings to the service's processes
ENVIRONMENT_VARIABLE = "DISCLOSURE_SERVE_CONFIG"

#: the largest token file read (a token is a line; a bigger file is a mistake)
MAX_TOKEN_FILE = 4096


def _positive(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value <= 0:
        raise ValueError(f"{attribute.name} must be positive, not {value!r}")


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class ServeConfig:
    """Settings of one service.

    ``max_body``: the largest request body accepted, in bytes (a larger one gets a 413);
    ``max_depth``: the deepest nesting of a JSON body; ``timeout``: seconds a request may
    take before it is answered with a 503; ``max_in_flight``: requests worked on at once
    by one process before others get a 503 with ``Retry-After``; ``threads``: the threads
    that work on partial situations, comparisons and diffs; ``cors_origins``: origins
    allowed to call the API from a browser (none by default: no CORS header at all);
    ``rulesets``: a rule family folder instead of the bundled one; ``token_file``: a file
    holding the bearer token every request must carry.
    """

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = attrs.field(default=1, validator=_positive)
    token_file: str | None = None
    rulesets: str | None = None
    max_body: int = attrs.field(default=64 * 1024, validator=_positive)
    max_depth: int = attrs.field(default=16, validator=_positive)
    timeout: float = attrs.field(default=5.0, validator=_positive)
    max_in_flight: int = attrs.field(default=64, validator=_positive)
    threads: int = attrs.field(default=2, validator=_positive)
    cors_origins: tuple[str, ...] = attrs.field(default=(), converter=_strings)

    def to_environment(self) -> str:
        """The settings as the JSON text of :data:`ENVIRONMENT_VARIABLE`."""
        return json.dumps(attrs.asdict(self), sort_keys=True)

    @classmethod
    def from_environment(cls) -> ServeConfig:
        """The settings a service process was given (the defaults when none were)."""
        text = os.environ.get(ENVIRONMENT_VARIABLE)
        if not text:
            return cls()
        return cls(**json.loads(text))


def read_token(path: str) -> str:
    """The bearer token in a file (its first line, stripped): a clear error when the file
    cannot be read or holds no token."""
    try:
        with Path(path).open("rb") as handle:
            raw = handle.read(MAX_TOKEN_FILE + 1)
    except OSError as error:
        raise DisclosureError(
            f"cannot read the token file {path}: {error.strerror or error}"
        ) from None
    if len(raw) > MAX_TOKEN_FILE:
        raise DisclosureError(f"the token file {path} is larger than {MAX_TOKEN_FILE} bytes")
    try:
        lines = raw.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise DisclosureError(f"the token file {path} is not UTF-8 text") from None
    token = lines[0].strip() if lines else ""
    if len(token) < 16:
        raise DisclosureError(
            f"the token file {path} must hold a token of at least 16 characters on its first "
            "line (e.g. from: python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
    return token


EXTRA_MISSING = (
    "disclosure serve needs the 'serve' extra (Starlette and uvicorn): "
    "pip install 'disclosure[serve]'"
)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _log_config(level: str) -> dict[str, Any]:
    """uvicorn's logging, plus the service's access and error logs (uvicorn's own access
    log is off: it would print query strings)."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["service"] = {
        "()": "logging.Formatter",
        "fmt": "%(asctime)s %(levelname)s %(name)s: %(message)s",
    }
    config["handlers"]["service"] = {
        "formatter": "service",
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stderr",
    }
    for name in ("disclosure.serve.access", "disclosure.serve.error"):
        config["loggers"][name] = {
            "handlers": ["service"],
            "level": level.upper(),
            "propagate": False,
        }
    return config


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    metavar="ADDRESS",
    help="Address to listen on. The default answers this machine only; behind a reverse "
    "proxy keep it, elsewhere use --token-file.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    metavar="PORT",
    help="Port to listen on (0 to 65535).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    metavar="N",
    help="Worker processes (each loads the rules once; one per core is a good start).",
)
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="PATH",
    help="A file whose first line is the bearer token every request must carry "
    "(Authorization: Bearer TOKEN; 16 characters at least).",
)
@click.option(
    "--rulesets",
    "rulesets",
    metavar="PATH",
    default=None,
    help="A rule family folder (default: the bundled Belgian law).",
)
@click.option(
    "--max-body",
    type=click.IntRange(256, 16 * 1024 * 1024),
    default=64 * 1024,
    show_default=True,
    metavar="BYTES",
    help="Largest request body accepted; larger ones get a 413.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 600),
    default=5.0,
    show_default=True,
    metavar="SECONDS",
    help="Time limit of one request; slower ones get a 503 with Retry-After.",
)
@click.option(
    "--max-in-flight",
    type=click.IntRange(1, 10_000),
    default=64,
    show_default=True,
    metavar="N",
    help="Requests worked on at once by a worker; more get a 503 with Retry-After.",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    metavar="ORIGIN",
    help="An origin (https://app.example) whose pages may call the API (repeatable; "
    "none by default: no CORS).",
)
@click.option(
    "--log-level",
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
    default="info",
    show_default=True,
    help="Logs never hold facts: the access log has method, path, status, size, time.",
)
def serve_command(
    host: str,
    port: int,
    workers: int,
    token_file: str | None,
    rulesets: str | None,
    max_body: int,
    timeout: float,
    max_in_flight: int,
    cors_origins: tuple[str, ...],
    log_level: str,
) -> None:
    """Serve the library over HTTP: a JSON API (/v1/evaluate, /v1/compare, /v1/diff,
    /v1/versions, /v1/vocabulary, /openapi.json, /healthz) and, at /, an intake form in
    French, Dutch and English that asks one question at a time.

    Example: disclosure serve --port 8000, then open http://127.0.0.1:8000/.
    """
    if any(importlib.util.find_spec(name) is None for name in ("starlette", "uvicorn")):
        fail(EXTRA_MISSING)
    import uvicorn

    config = ServeConfig(
        host=host,
        port=port,
        workers=workers,
        token_file=os.path.abspath(token_file) if token_file else None,
        rulesets=os.path.abspath(rulesets) if rulesets else None,
        max_body=max_body,
        timeout=timeout,
        max_in_flight=max_in_flight,
        cors_origins=cors_origins,
    )
    # what the service will read, read once here: a mistake ends with one line, not a trace
    if config.token_file is not None:
        read_token(config.token_file)
    if config.rulesets is not None:
        disclosure.load(config.rulesets)
    if not is_loopback(host) and token_file is None:
        click.echo(
            f"disclosure: warning: listening on {host} without --token-file: anyone who can "
            "reach this port can ask",
            err=True,
        )
    os.environ[ENVIRONMENT_VARIABLE] = config.to_environment()
    uvicorn.run(
        "disclosure._serve.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=_log_config(log_level),
        log_level=log_level,
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=10,
    )
