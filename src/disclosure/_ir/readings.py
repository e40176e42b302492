"""Readings of contested points: which reading of each point the law is read under.

The one place that turns a caller's choice of readings (from the library, the command
line, a batch line, an HTTP body or a scenario file) into the complete choice, the
defaults filled in, or refuses it with a :class:`~disclosure.ReadingError` that names the
points or readings that exist.
"""

from __future__ import annotations

from collections.abc import Mapping

from disclosure._ir.ruleset import Family
from disclosure.errors import ReadingError, did_you_mean, excerpt

__all__ = ["resolve_readings"]


def resolve_readings(family: Family, readings: Mapping[str, str] | None) -> dict[str, str]:
    """The chosen reading of every contested point: the defaults, with ``readings`` over
    them. Unknown points or readings are a :class:`ReadingError`."""
    chosen = {point.id: point.default for point in family.contested}
    if readings is not None and not isinstance(readings, Mapping):
        raise ReadingError(
            "readings must map contested points to readings, e.g. "
            f"{{'{next(iter(chosen), 'point')}': '...'}}, not {type(readings).__name__}"
        )
    for point_id, reading in (readings or {}).items():
        if point_id not in chosen:
            hint = did_you_mean(point_id, chosen)
            raise ReadingError(
                f"unknown contested point {excerpt(point_id)}; contested points: "
                + ", ".join(chosen)
                + (f"; did you mean {hint!r}?" if hint else "")
            )
        point = family.contested_point(point_id)
        if reading not in point.reading_ids:
            hint = did_you_mean(reading, point.reading_ids)
            raise ReadingError(
                f"unknown reading {excerpt(reading)} of {point_id!r}; readings: "
                + ", ".join(point.reading_ids)
                + (f"; did you mean {hint!r}?" if hint else "")
            )
        chosen[point_id] = reading
    return chosen
