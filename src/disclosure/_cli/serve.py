"""``disclosure serve``: the HTTP API and the web page, on uvicorn.

A standalone click command, registered on the ``disclosure`` group by
:mod:`disclosure.cli`. It imports the service (Starlette, uvicorn) only when it runs, so
the command line works without the ``serve`` extra and says how to install it.
"""

from __future__ import annotations

import copy
import ipaddress
import os
from typing import Any

import click

__all__ = ["is_loopback", "serve_command"]

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
    help="Address to listen on. The default answers this machine only; behind a reverse "
    "proxy keep it, elsewhere use --token-file.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
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
    try:
        import uvicorn

        from disclosure._serve.app import create_app
        from disclosure._serve.config import ENVIRONMENT_VARIABLE, ServeConfig
    except ImportError:
        raise click.ClickException(EXTRA_MISSING) from None

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
    app = create_app(config)  # fails here, once, on a bad token file or ruleset folder
    if not is_loopback(host) and token_file is None:
        click.echo(
            f"disclosure: warning: listening on {host} without --token-file: anyone who can "
            "reach this port can ask",
            err=True,
        )
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_config": _log_config(log_level),
        "log_level": log_level,
        "access_log": False,
        "server_header": False,
        "timeout_graceful_shutdown": 10,
    }
    if workers == 1:
        uvicorn.run(app, **options)
        return
    os.environ[ENVIRONMENT_VARIABLE] = config.to_environment()
    uvicorn.run(
        "disclosure._serve.app:app_from_environment", factory=True, workers=workers, **options
    )
