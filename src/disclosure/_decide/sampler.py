"""Realistic synthetic situations of a rule family, to try bulk evaluation and the batch
on: ``disclosure sample`` writes them, the benchmarks and tests draw them.

The population (relative weights of each fact's values, some depending on the channel
or on another fact) is documented in ``disclosure sample --help`` and
docs/how-to/batch-impact-analysis.md. Only combinations the vocabulary deems possible
are drawn; the same seed gives the same situations.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from disclosure._ir.ruleset import Family
from disclosure._ir.vocabulary import DATE_FACT, Vocabulary
from disclosure.errors import DisclosureError

__all__ = ["Sampler", "sample_situations"]

# Relative weights of each fact's values in the synthetic population (see the help of
# `disclosure sample` and docs/how-to/batch-impact-analysis.md). A value of the vocabulary
# not listed here gets weight 1; a fact not listed is drawn uniformly.
_WEIGHTS: dict[str, dict[Any, float]] = {
    "holder": {
        "cpas_staff": 70,
        "social_security_staff": 15,
        "other_professional": 10,
        "cpas_council_member": 5,
    },
    "learned_through_profession": {True: 95, False: 5},
    "channel": {"request": 75, "hearing": 10, "own_initiative": 8, "case_consultation": 7},
    "offence": {
        "other_offence": 40,
        "terrorist_offence": 25,
        "none": 15,
        "offence_against_vulnerable": 10,
        "radicalisation_only": 10,
    },
    "information": {
        "administrative": 50,
        "social_report": 20,
        "confidence": 15,
        "medical": 10,
        "other": 5,
    },
    "danger": {"none": 85, "grave_imminent": 10, "serious_risk_to_others": 5},
    "safe_to_act": {True: 80, False: 20},
}
# weights that depend on the channel
_BY_CHANNEL: dict[str, dict[str, dict[Any, float]]] = {
    "request": {
        "authority": {
            "procureur_du_roi": 45,
            "police": 30,
            "investigating_judge": 8,
            "administrative_authority": 8,
            "federal_prosecutor": 5,
            "police_delegated_by_judge": 4,
        },
        "request_form": {"written_reasoned": 50, "oral": 30, "written_unreasoned": 20},
    },
    "hearing": {
        "authority": {
            "trial_court": 40,
            "investigating_judge": 30,
            "police": 20,
            "police_delegated_by_judge": 5,
            "parliamentary_inquiry": 5,
        },
        "request_form": {"written_reasoned": 60, "written_unreasoned": 20, "oral": 20},
    },
    "own_initiative": {
        "authority": {"procureur_du_roi": 60, "police": 35, "administrative_authority": 5},
        "request_form": {"none": 1},
    },
    "case_consultation": {
        "authority": {"none": 70, "police": 15, "procureur_du_roi": 15},
        "request_form": {"none": 1},
        "consultation_basis": {"statute": 60, "prosecutor_authorisation": 25, "none": 15},
        "consultation_purpose": {
            "terrorism_prevention": 40,
            "integrity": 30,
            "criminal_organisation": 15,
            "other": 15,
        },
    },
}
_OUTSIDE_CONSULTATION: dict[str, dict[Any, float]] = {
    "consultation_basis": {"none": 1},
    "consultation_purpose": {"none": 1},
}
# P(serious_indications) by offence, P(victim_vulnerable) by offence, P(only_means) by danger
_SERIOUS_INDICATIONS = {"terrorist_offence": 0.6, "radicalisation_only": 0.0}
_VULNERABLE = {"offence_against_vulnerable": 0.8}
#: years of dates drawn before the second version starts (the first one may be ancient)
_YEARS_BEFORE = 4


_RESOLUTION = 256  # weights are quantised to 1/256: one random byte draws one value


def _byte_table(values: Sequence[Any], weights: Mapping[Any, float] | None) -> list[Any]:
    """A list of 256 values, each appearing in proportion to its weight (largest
    remainders; every positive weight gets at least one slot), so that a random byte
    draws a value. Values without a weight are never drawn; no weights (or none for any
    value) means uniform."""
    pairs = [(v, float(weights.get(v, 0))) for v in values] if weights else []
    if not any(w > 0 for _, w in pairs):
        pairs = [(v, 1.0) for v in values]
    pairs = [(v, w) for v, w in pairs if w > 0]
    total = sum(w for _, w in pairs)
    exact = [w * _RESOLUTION / total for _, w in pairs]
    slots = [max(1, int(x)) for x in exact]
    order = sorted(range(len(pairs)), key=lambda i: exact[i] - int(exact[i]), reverse=True)
    index = 0
    while sum(slots) < _RESOLUTION:
        slots[order[index % len(order)]] += 1
        index += 1
    while sum(slots) > _RESOLUTION:
        largest = max(range(len(slots)), key=lambda i: slots[i])
        slots[largest] -= 1
    table: list[Any] = []
    for (value, _), count in zip(pairs, slots, strict=True):
        table.extend([value] * count)
    return table


def _chance(probability: float) -> list[bool]:
    true = round(probability * _RESOLUTION)
    return [True] * true + [False] * (_RESOLUTION - true)


class Sampler:
    """Draws possible situations of a vocabulary with the documented weights: one random
    byte per fact, looked up in a table of 256 values."""

    def __init__(self, family: Family, seed: int, today: dt.date) -> None:
        self.vocabulary: Vocabulary = family.vocabulary
        self.rng = random.Random(seed)
        facts = self.vocabulary.condition_facts
        self.names = [fact.name for fact in facts]
        position = {name: i for i, name in enumerate(self.names)}
        self.tables = [_byte_table(fact.values, _WEIGHTS.get(fact.name)) for fact in facts]
        count = len(self.names)
        # channel-specific facts: (position, table per channel), each with its own byte
        self.channel = position.get("channel")
        self.specific: list[tuple[int, int, dict[Any, list[Any]]]] = []
        if self.channel is not None:
            specific_names = sorted(
                {name for table in _BY_CHANNEL.values() for name in table}
                | set(_OUTSIDE_CONSULTATION)
            )
            for name in specific_names:
                if name not in position:
                    continue
                per_channel = {}
                for value in self.vocabulary["channel"].values:
                    merged: dict[str, dict[Any, float]] = {
                        **_OUTSIDE_CONSULTATION,
                        **_BY_CHANNEL.get(value, {}),
                    }
                    weights = merged.get(name)
                    per_channel[value] = _byte_table(self.vocabulary[name].values, weights)
                self.specific.append((position[name], count, per_channel))
                count += 1
        # facts drawn with a probability that depends on another fact's value
        self.conditional: list[tuple[int, int, int, dict[Any, list[bool]], list[bool]]] = []
        for name, given, chances, default in (
            ("serious_indications", "offence", _SERIOUS_INDICATIONS, 0.03),
            ("victim_vulnerable", "offence", _VULNERABLE, 0.1),
            ("only_means", "danger", {"none": 0.0}, 0.5),
        ):
            if name in position and given in position and self.vocabulary[name].kind == "bool":
                tables = {value: _chance(p) for value, p in chances.items()}
                self.conditional.append(
                    (position[name], position[given], count, tables, _chance(default))
                )
                count += 1
        self.bytes = count
        self.possible: dict[tuple[Any, ...], bool] = {}
        self.dated = DATE_FACT in self.vocabulary
        versions = family.versions
        start = versions[0].valid_from
        if len(versions) > 1:
            second = versions[1].valid_from
            start = max(start, second.replace(year=second.year - _YEARS_BEFORE))
        last = versions[-1]
        end = max(today, last.valid_until or last.valid_from)
        self.days = [
            dt.date.fromordinal(day).isoformat()
            for day in range(start.toordinal(), end.toordinal() + 1)
        ]

    def _draw_values(self) -> list[Any]:
        noise = self.rng.randbytes(self.bytes)
        values = list(map(list.__getitem__, self.tables, noise))
        if self.channel is not None:
            channel = values[self.channel]
            for at, byte, tables in self.specific:
                values[at] = tables[channel][noise[byte]]
        for at, given, byte, tables, default in self.conditional:
            values[at] = tables.get(values[given], default)[noise[byte]]
        return values

    def _is_possible(self, values: list[Any]) -> bool:
        key = tuple(values)
        found = self.possible.get(key)
        if found is None:
            if len(self.possible) >= 1 << 16:
                self.possible.clear()
            situation = dict(zip(self.names, values, strict=True))
            found = self.possible[key] = self.vocabulary.is_possible(situation)
        return found

    def draw(self) -> dict[str, Any]:
        """One possible situation, its facts in vocabulary order (the date first)."""
        for _ in range(1000):
            values = self._draw_values()
            if self._is_possible(values):
                break
        else:  # the weights do not fit this vocabulary: fall back to uniform draws
            for _ in range(100_000):
                values = [self.rng.choice(self.vocabulary[n].values) for n in self.names]
                if self._is_possible(values):
                    break
            else:
                raise DisclosureError("no possible situation found by sampling this vocabulary")
        if not self.dated:
            return dict(zip(self.names, values, strict=True))
        situation = {DATE_FACT: self.days[int(self.rng.random() * len(self.days))]}
        situation.update(zip(self.names, values, strict=True))
        return situation


def sample_situations(
    family: Family, n: int, seed: int = 0, *, today: dt.date | None = None
) -> Iterator[dict[str, Any]]:
    """``n`` realistic synthetic situations of ``family`` (see ``disclosure sample
    --help`` for the distribution), reproducible from ``seed``; only combinations the
    vocabulary deems possible. ``today`` (default: today) bounds the dates."""
    sampler = Sampler(family, seed, today or dt.date.today())
    for _ in range(n):
        yield sampler.draw()
