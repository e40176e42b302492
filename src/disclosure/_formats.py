"""The registry of output formats: which function renders which kind of result.

Results (a decision, a comparison, a diff, a timeline) live in stages below the renderers
and must not import them; a renderer registers itself here under a kind and a format
name when its module is imported, and a result's ``explain()`` or ``to_html()`` asks
this registry. The render stage imports all of its modules when the package is imported
(:mod:`disclosure` does so), so adding a format is adding one module to
``disclosure/_render``; the command line lists the formats from here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from disclosure.errors import DisclosureError

__all__ = ["Renderer", "UnknownFormatError", "formats", "register", "render"]

#: a renderer takes the result and a language code and returns the text
Renderer = Callable[[Any, str], Any]
F = TypeVar("F", bound=Renderer)

_renderers: dict[tuple[str, str], Renderer] = {}


class UnknownFormatError(DisclosureError, ValueError):
    """No renderer is registered for this kind of result and format."""


def register(kind: str, name: str) -> Callable[[F], F]:
    """Decorator: register the function as the ``name`` format of results of ``kind``
    (``"decision"``, ``"comparison"``, ``"diff"``, ``"timeline"``). Registering the same
    pair twice is a programming error."""

    def add(function: F) -> F:
        key = (kind, name)
        if key in _renderers and _renderers[key] is not function:
            raise RuntimeError(f"two renderers for the {name!r} format of {kind!r}")
        _renderers[key] = function
        return function

    return add


def formats(kind: str) -> tuple[str, ...]:
    """The names of the formats registered for ``kind``, in registration order."""
    return tuple(name for (each, name) in _renderers if each == kind)


def render(kind: str, name: str, result: Any, lang: str = "en") -> Any:
    """``result`` rendered in the ``name`` format, in ``lang``."""
    renderer = _renderers.get((kind, name))
    if renderer is None:
        known = ", ".join(formats(kind)) or "none"
        raise UnknownFormatError(f"no {name!r} format for a {kind}; the formats are: {known}")
    return renderer(result, lang)
