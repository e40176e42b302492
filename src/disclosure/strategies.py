"""Hypothesis strategies for property-based tests of rule families.

Every strategy is derived from a family's vocabulary, so it works for the bundled Belgian
law and for any ruleset you write::

    from hypothesis import given
    import disclosure
    from disclosure.strategies import situations

    family = disclosure.load()

    @given(situations(family, where={"authority": "procureur_du_roi"}))
    def test_the_prosecutor_always_gets_an_answer(situation):
        assert disclosure.evaluate(situation, version="prior", family=family).determined

* :func:`situations` draws *possible* situations: a combination the vocabulary declares
  impossible is never generated (values are drawn fact by fact, each among the values that
  still leave a possible completion, so nothing is rejected after the fact).
* :func:`partial_situations` leaves some facts out, as an intake form would.
* :func:`invalid_values` draws a fact name and a value that the vocabulary must reject.
* :func:`versions` draws the name of one of the family's versions.

Examples shrink to readable minimal ones: facts come in the vocabulary's order, each value
shrinks towards the first value of its domain, and a partial situation shrinks towards
giving fewer facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

from hypothesis import strategies as st

from disclosure._ir.ruleset import Family, Version
from disclosure._ir.vocabulary import Vocabulary
from disclosure.errors import DisclosureError, FactError, did_you_mean

__all__ = ["invalid_values", "partial_situations", "situations", "versions"]

#: What a strategy may be derived from: a family, its vocabulary, or a version (or version
#: name) of the bundled family.
Source = Family | Vocabulary | Version | str
Where = Mapping[str, Any]


def situations(
    family_or_version: Source,
    where: Where | None = None,
    *,
    complete: bool = True,
) -> st.SearchStrategy[dict[str, Any]]:
    """Possible situations of the family's vocabulary, as ``{fact: value}`` dicts.

    ``where`` restricts the sub-space: it maps a fact to one value or to a collection of
    values (``{"authority": "procureur_du_roi", "offence": ["terrorist_offence", "none"]}``).
    A fact it names is always given. The ``date`` fact is left out unless ``where`` names
    it (then with one of the dates given).

    With ``complete=True`` (the default) every fact the rules may test is given; with
    ``complete=False`` the others may be left out (see :func:`partial_situations`).

    Raises :class:`disclosure.FactError` at once when ``where`` names an unknown fact or a
    value outside a domain, or when no possible situation satisfies it.
    """
    space = _space(_vocabulary_of(family_or_version), where)
    return _draw_situation(space, complete)


def partial_situations(
    family_or_version: Source, where: Where | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """Possible situations that may leave facts out (the facts of ``where`` are always
    given). Every one can be completed into a possible complete situation. Shrinks towards
    giving no fact at all."""
    return situations(family_or_version, where, complete=False)


def invalid_values(family_or_version: Source) -> st.SearchStrategy[tuple[str, Any]]:
    """``(name, value)`` pairs the vocabulary must reject, for error tests.

    Each pair is one of: a value just outside an enumerated domain (a misspelling, another
    fact's value, a different case, surrounding spaces); a wrong type (a number, a list, a
    mapping, a string for a bool); an invalid date; or an unknown fact name (a misspelling
    of a real one) with a valid-looking value. Put one into a possible situation::

        @given(situations(family), invalid_values(family))
        def test_rejected(situation, bad):
            name, value = bad
            with pytest.raises(disclosure.FactError):
                disclosure.evaluate({**situation, name: value}, version="prior", family=family)
    """
    vocabulary = _vocabulary_of(family_or_version)
    return _invalid_values(vocabulary)


def versions(family: Family | None = None) -> st.SearchStrategy[str]:
    """The name of one of the family's versions (its first alias, else its id; the bundled
    family by default). Names keep falsifying examples short; ``family.version(name)``
    gives the :class:`disclosure.Version`. Shrinks towards the oldest version."""
    family = family if family is not None else _bundled()
    if not family.versions:
        raise DisclosureError(f"family {family.id} has no version to draw from")
    return st.sampled_from([version.name for version in family.versions])


# --------------------------------------------------------------------------- internals


def _bundled() -> Family:
    from disclosure._api import default_family

    return default_family()


def _vocabulary_of(source: object) -> Vocabulary:
    if isinstance(source, Vocabulary):
        return source
    if isinstance(source, Family):
        return source.vocabulary
    if isinstance(source, Version | str):
        family = _bundled()
        if isinstance(source, Version) and source not in family.versions:
            raise DisclosureError(
                f"version {source.id} is not a version of the bundled family {family.id}; "
                "pass its Family (from disclosure.load(path)) instead"
            )
        family.version(source)  # VersionError for an unknown name
        return family.vocabulary
    raise DisclosureError(
        "strategies are derived from a Family, a Vocabulary, a Version or a version name, "
        f"not {type(source).__name__}"
    )


class _Space:
    """The possible situations of a vocabulary within a sub-space, as a decision diagram
    over the facts in vocabulary order: walking it fact by fact gives, at each step, exactly
    the values that still leave a possible completion."""

    def __init__(
        self,
        vocabulary: Vocabulary,
        domains: dict[str, tuple[Any, ...]],
        dates: tuple[dt.date, ...] | None,
        fixed: frozenset[str],
    ) -> None:
        from disclosure._engines.mdd import MDD

        self.vocabulary = vocabulary
        self.domains = domains  # condition facts, in vocabulary order, restricted by where
        self.dates = dates
        self.fixed = fixed
        self.manager = manager = MDD.for_vocabulary(vocabulary)  # vocabulary order
        possible = manager.not_(
            manager.disjunction(manager.condition(item.when) for item in vocabulary.impossible)
        )
        restricted = {
            name: values
            for name, values in domains.items()
            if len(values) < len(vocabulary[name].values)
        }
        self.root = manager.and_(possible, manager.cube(restricted)) if restricted else possible
        self._steps: dict[tuple[int, str], tuple[tuple[Any, int], ...]] = {}

    @property
    def empty(self) -> bool:
        from disclosure._engines.mdd import FALSE

        return self.root == FALSE

    def step(self, node: int, name: str) -> tuple[tuple[Any, int], ...]:
        """The values of ``name`` allowed at ``node``, each with the node it leads to."""
        key = (node, name)
        found = self._steps.get(key)
        if found is None:
            from disclosure._engines.mdd import FALSE

            manager = self.manager
            domain = self.domains[name]
            if manager.is_terminal(node) or manager.variable(node) != name:
                found = tuple((value, node) for value in domain)
            else:
                full = self.vocabulary[name].values
                kids = manager.children(node)
                found = tuple(
                    (value, kids[full.index(value)])
                    for value in domain
                    if kids[full.index(value)] != FALSE
                )
            self._steps[key] = found
        return found


def _as_values(value: Any) -> list[Any]:
    """One value, or a collection of values (a string is one value)."""
    if isinstance(value, str | bool | dt.date) or not isinstance(value, Collection):
        return [value]
    if isinstance(value, Mapping):
        raise FactError(f"where= gives a mapping {value!r}; give a value or a list of values")
    return list(value)


def _space(vocabulary: Vocabulary, where: Where | None) -> _Space:
    if where is not None and not isinstance(where, Mapping):
        raise FactError("where= must map fact names to a value or a list of values")
    where = dict(where or {})
    domains = {fact.name: fact.values for fact in vocabulary.condition_facts}
    dates: tuple[dt.date, ...] | None = None
    for name, wanted in where.items():
        if name not in vocabulary:
            raise FactError(
                f"where= names unknown fact {name!r}; known facts: {', '.join(vocabulary.names)}",
                fact=str(name),
                suggestion=did_you_mean(name, vocabulary.names),
            )
        values = _as_values(wanted)
        if not values:
            raise FactError(f"where= gives no value for {name!r}", fact=name)
        normalised = [vocabulary.validate({name: value})[name] for value in values]
        if vocabulary[name].is_date:
            dates = tuple(dict.fromkeys(normalised))
        else:
            allowed = set(normalised)
            domains[name] = tuple(v for v in domains[name] if v in allowed)
    space = _Space(vocabulary, domains, dates, frozenset(where))
    if space.empty:
        raise FactError(
            f"no possible situation satisfies where={where!r}: every combination it leaves "
            "is declared impossible by the vocabulary"
        )
    return space


def _draw_situation(space: _Space, complete: bool) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def draw(pick: st.DrawFn) -> dict[str, Any]:
        situation: dict[str, Any] = {}
        node = space.root
        for name, domain in space.domains.items():
            # One draw over the whole domain for every fact, whatever is still allowed, so
            # that every example makes the same number of choices and shrinking (which
            # prefers fewer, then smaller choices) lands on the first allowed values.
            allowed = space.step(node, name)
            index = pick(st.integers(0, len(domain) - 1))
            value, node = next(
                (pair for pair in allowed if domain.index(pair[0]) >= index), allowed[0]
            )
            situation[name] = value
        if space.dates is not None:
            situation = _with_date(space, situation, pick(st.sampled_from(space.dates)))
        if complete:
            return situation
        result: dict[str, Any] = {}
        for name, value in situation.items():
            if name in space.fixed or pick(st.booleans()):
                result[name] = value
        return result

    return draw()


def _with_date(space: _Space, situation: dict[str, Any], day: dt.date) -> dict[str, Any]:
    """The situation with its date fact, in the vocabulary's order."""
    date_name = next(fact.name for fact in space.vocabulary.facts if fact.is_date)
    ordered = {}
    for fact in space.vocabulary.facts:
        if fact.name == date_name:
            ordered[date_name] = day
        elif fact.name in situation:
            ordered[fact.name] = situation[fact.name]
    return ordered


_NOT_A_DATE = ("2017-02-30", "2017-13-01", "01/09/2017", "yesterday", "", "2017-9-1x")
_WRONG_TYPES: tuple[Any, ...] = (0, 1, 2.5, [], {}, b"x")


def _outside(vocabulary: Vocabulary, name: str) -> st.SearchStrategy[Any]:
    """Values the fact ``name`` must reject."""
    fact = vocabulary[name]
    if fact.kind == "bool":
        return st.sampled_from((*("true", "false", "yes", "no", "1", ""), *_WRONG_TYPES))
    if fact.is_date:
        return st.sampled_from((*_NOT_A_DATE, 20170901, 2017.0, [2017, 9, 1], {}))
    domain = tuple(str(v) for v in fact.values)
    others = tuple(
        str(v)
        for other in vocabulary.condition_facts
        if other.kind == "enum"
        for v in other.values
        if v not in fact.values
    )
    near = st.sampled_from(domain).flatmap(_misspellings)
    candidates = st.one_of(
        near,
        st.sampled_from(others) if others else near,
        st.sampled_from(domain).map(lambda v: [v]),  # a list: one fact, one value
        st.sampled_from((*_WRONG_TYPES, True, False)),
    )
    return candidates.filter(lambda v: not (isinstance(v, str) and v in fact.values))


def _misspellings(value: str) -> st.SearchStrategy[str]:
    variants = [value.upper(), f" {value}", f"{value} ", f"{value}_", value.replace("_", "-")]
    if len(value) > 1:
        variants += [value[:-1], value[1:], value[0] + value]
    return st.sampled_from([v for v in dict.fromkeys(variants) if v != value])


def _unknown_name(vocabulary: Vocabulary) -> st.SearchStrategy[str]:
    names = vocabulary.names
    return (
        st.sampled_from(names)
        .flatmap(_misspellings)
        .filter(lambda candidate: candidate not in vocabulary)
    )


def _invalid_values(vocabulary: Vocabulary) -> st.SearchStrategy[tuple[str, Any]]:
    facts = [fact.name for fact in vocabulary.facts]
    if not facts:
        raise DisclosureError("the vocabulary has no fact to draw invalid values for")
    bad_value = st.sampled_from(facts).flatmap(
        lambda name: _outside(vocabulary, name).map(lambda value: (name, value))
    )
    first_values = [fact.values[0] for fact in vocabulary.condition_facts if fact.values]
    unknown = st.tuples(_unknown_name(vocabulary), st.sampled_from(first_values or ["x"]))
    return st.one_of(bad_value, unknown)
