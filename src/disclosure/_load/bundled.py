"""The bundled rule family, loaded once per process.

Kept apart from the loader so that importing the library does not import the YAML and
JSON Schema machinery: the loader is imported the first time the family is needed.
"""

from __future__ import annotations

import threading

from disclosure._ir.ruleset import Family

__all__ = ["bundled_family"]

_bundled: Family | None = None
_lock = threading.Lock()


def bundled_family() -> Family:
    """The bundled family (the Belgian law), loaded on first use and shared by every
    thread."""
    global _bundled
    with _lock:
        if _bundled is None:
            from disclosure._load.loader import load_family

            _bundled = load_family(None)
        return _bundled
