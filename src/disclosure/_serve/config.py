"""The service's settings: where it listens, what it accepts, how long it works.

One frozen value, built by ``disclosure serve`` from its options. Worker processes
(``--workers N``) each build their own application, so the settings travel to them in
one environment variable as JSON (never the token itself: its file's path).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any

import attrs

__all__ = ["ENVIRONMENT_VARIABLE", "ServeConfig"]

#: the variable that carries the settings to worker processes
ENVIRONMENT_VARIABLE = "DISCLOSURE_SERVE_CONFIG"


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
    that evaluate; ``cors_origins``: origins allowed to call the API from a browser (none
    by default: no CORS header at all); ``rulesets``: a rule family folder instead of the
    bundled one; ``token_file``: a file holding the bearer token every request must carry.
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
        """The settings a worker process was given (the defaults when none were)."""
        text = os.environ.get(ENVIRONMENT_VARIABLE)
        if not text:
            return cls()
        return cls(**json.loads(text))
