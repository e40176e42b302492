"""The application: one :class:`Service` (the rule family, the limits, the caches) behind
a Starlette router, inside the :class:`~disclosure._serve.security.Guard`.

:func:`create_app` builds it from a :class:`ServeConfig`; :func:`app_from_environment` is
the factory each uvicorn worker process calls (``--workers N``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
from collections.abc import AsyncIterator, Mapping, Sequence
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import disclosure
from disclosure._cli.serve import ServeConfig, read_token
from disclosure._cli.versions import versions_document
from disclosure._cli.vocabulary import vocabulary_document
from disclosure._serve import openapi as openapi_document
from disclosure._serve import routes
from disclosure._serve.answers import (
    PROVENANCE,
    dumps,
    next_question,
)
from disclosure._serve.errors import ApiError, RequestPaths, from_library
from disclosure._serve.limits import Runner
from disclosure._serve.security import Guard, bug_response, error_response, report_bug
from disclosure.errors import DisclosureError, did_you_mean, excerpt

__all__ = ["ROUTES", "Service", "app_from_environment", "create_app"]

#: the page's own files, served from the package
STATIC_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}

ROUTES: tuple[tuple[str, str, Any], ...] = (
    ("/v1/evaluate", "POST", routes.evaluate),
    ("/v1/compare", "POST", routes.compare),
    ("/v1/diff", "GET", routes.diff),
    ("/v1/versions", "GET", routes.versions),
    ("/v1/vocabulary", "GET", routes.vocabulary),
    ("/openapi.json", "GET", routes.openapi),
    ("/healthz", "GET", routes.healthz),
    ("/", "GET", routes.page),
    ("/static/{name}", "GET", routes.static),
)


def _static_files() -> dict[str, tuple[bytes, str]]:
    folder = resources.files("disclosure._serve").joinpath("static")
    files = {}
    for item in folder.iterdir():
        suffix = "." + item.name.rpartition(".")[2]
        if item.is_file() and suffix in STATIC_TYPES:
            files[item.name] = (item.read_bytes(), STATIC_TYPES[suffix])
    return files


class Service:
    """What the routes share: the settings, the rule family, the runner and the answers
    computed once (versions, vocabulary, OpenAPI document, the page's files)."""

    def __init__(self, config: ServeConfig, family: disclosure.Family | None = None) -> None:
        self.config = config
        self.family = family if family is not None else disclosure.load(config.rulesets)
        self.library_version = disclosure.__version__
        self.fact_names = self.family.vocabulary.names
        self._condition_facts = frozenset(f.name for f in self.family.vocabulary.condition_facts)
        self.version_names = [v.id for v in self.family.versions] + [
            alias for v in self.family.versions for alias in v.aliases
        ]
        self.runner = Runner(config.threads, config.max_in_flight, config.timeout)
        self.versions_body = dumps(versions_document(self.family))
        self.vocabulary_body = dumps(vocabulary_document(self.family))
        self.openapi_body = dumps(openapi_document.document(self.family))
        self.static = _static_files()
        self._diff = functools.lru_cache(maxsize=32)(self._compute_diff)

    # -- the page's files -----------------------------------------------------------------

    def static_file(self, name: str) -> Response:
        found = self.static.get(name)
        if found is None:
            raise ApiError(404, "not_found", "no such file", path=None)
        content, media_type = found
        return Response(content, media_type=media_type, headers={"Cache-Control": "no-cache"})

    # -- the work (in the runner's threads) ------------------------------------------------

    def is_complete(self, facts: Mapping[str, Any]) -> bool:
        """Whether ``facts`` gives every fact a rule may test (not null): its decision is
        then read from the version's tables, in bounded time."""
        given = {name for name, value in facts.items() if value is not None}
        return self._condition_facts <= given

    def evaluate(
        self,
        facts: Mapping[str, Any],
        on: dt.date | None,
        known_on: dt.date | None,
        version: str | None,
        readings: Mapping[str, str],
        lang: str | None,
        where: RequestPaths,
    ) -> dict[str, Any]:
        try:
            decision = disclosure.evaluate(
                facts,
                on=on,
                known_on=known_on,
                version=version,
                readings=readings or None,
                family=self.family,
            )
        except DisclosureError as error:
            raise from_library(error, self.family, where) from None
        document = decision.to_dict()
        document["next_question"] = next_question(document, self.family)
        if lang is not None:
            document["explanation"] = decision.explain(lang)
        return document

    def compare(
        self,
        facts: Mapping[str, Any],
        versions: Sequence[str] | None,
        known_on: dt.date | None,
        readings: Mapping[str, str],
        lang: str | None,
        where: RequestPaths,
    ) -> dict[str, Any]:
        try:
            comparison = disclosure.compare(
                facts,
                versions,
                known_on=known_on,
                readings=readings or None,
                family=self.family,
            )
        except DisclosureError as error:
            raise from_library(error, self.family, where) from None
        document = comparison.to_dict()
        if lang is not None:
            document["explanation"] = comparison.explain(lang)
        return document

    def check_version_names(self, where: RequestPaths) -> None:
        """Refuse a diff side that is not a version of the family (the library would also
        read a path to a ruleset folder or file: never from a request)."""
        for path, spec in where.versions:
            name = spec.partition("@")[0]
            if name not in self.version_names:
                raise ApiError(
                    422,
                    "unknown_version",
                    f"unknown version {excerpt(name)}; versions: {', '.join(self.version_names)}",
                    path=path,
                    suggestion=did_you_mean(name, self.version_names),
                    allowed=self.version_names,
                )

    def _compute_diff(
        self, a: str, b: str, known_on: dt.date | None, fmt: str, lang: str
    ) -> tuple[bytes, list[dict[str, Any]]]:
        result = disclosure.diff(a, b, known_on=known_on, family=self.family)
        document = result.to_dict()
        receipts = [document["sides"]["a"], document["sides"]["b"]]
        if fmt == "html":
            return result.to_html(lang).encode("utf-8"), receipts
        return dumps(document), receipts

    def diff(
        self,
        a: str,
        b: str,
        known_on: dt.date | None,
        fmt: str,
        lang: str,
        where: RequestPaths,
    ) -> tuple[bytes, list[dict[str, Any]]]:
        try:
            return self._diff(a, b, known_on, fmt, lang)
        except DisclosureError as error:
            raise from_library(error, self.family, where) from None


async def _refused(request: Request, error: Exception) -> Response:
    assert isinstance(error, ApiError)
    return error_response(error)


async def _bug(request: Request, error: Exception) -> Response:
    return bug_response(report_bug(error))


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    kinds = {404: "not_found", 405: "method_not_allowed"}
    reason = {
        404: "no such route; see /openapi.json",
        405: "this route does not take this method",
    }.get(error.status_code, str(error.detail))
    refusal = ApiError(
        error.status_code,
        kinds.get(error.status_code, "bad_request"),
        reason,
        headers=error.headers,
    )
    return error_response(refusal)


def create_app(config: ServeConfig | None = None, family: disclosure.Family | None = None) -> Any:
    """The ASGI application of ``disclosure serve`` (the bundled family by default)."""
    config = config or ServeConfig()
    token = read_token(config.token_file) if config.token_file else None
    service = Service(config, family)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # the rules and their tables live as long as the process: keep them out of the
        # collector's full passes, which would otherwise walk them again and again
        gc.freeze()
        yield
        service.runner.close()

    middleware = []
    if config.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(config.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type"],
                expose_headers=list(PROVENANCE),
                max_age=600,
            )
        )
    app = Starlette(
        routes=[Route(path, handler, methods=[method]) for path, method, handler in ROUTES],
        middleware=middleware,
        exception_handlers={ApiError: _refused, HTTPException: _http_error, Exception: _bug},
        lifespan=lifespan,
    )
    app.state.service = service
    own = {path for path, _, _ in ROUTES if "{" not in path}

    def known_path(path: str) -> bool:
        return path in own or path.removeprefix("/static/") in service.static

    return Guard(
        app,
        token=token,
        provenance={
            "Disclosure-Library-Version": service.library_version,
            "Disclosure-Ruleset": service.family.id,
        },
        known_path=known_path,
        cors=bool(config.cors_origins),
    )


def app_from_environment() -> Any:
    """The application of a worker process, from the settings the command passed on."""
    return create_app(ServeConfig.from_environment())
