"""Reusable properties of a rule family, callable from any test.

Each ``check_*`` function takes the family and one situation (plus the question: version,
dates, readings), and raises :class:`AssertionError` with a readable message and the
counter-example when the property fails. Errors of the input itself (an unknown fact, an
impossible combination, an unknown version) are not failures of the property: they
propagate as :class:`disclosure.DisclosureError`.

Call them from your own Hypothesis tests::

    from hypothesis import given
    from disclosure.properties import check_total
    from disclosure.strategies import situations

    @given(situations(family))
    def test_total(situation):
        check_total(family, situation, version="prior")

or let :func:`for_all` write that test::

    test_total = for_all(check_total, family, version="prior")

===========================  ==============================================================
property                     holds when
===========================  ==============================================================
:func:`check_deterministic`  the same question always gets the same decision, whatever
                             the order of the facts
:func:`check_total`          every possible completion of the situation gets an outcome
                             (no gap, no conflict)
:func:`check_no_conflict`    no possible completion has two applicable, unordered rules
                             that disagree
:func:`check_engines_agree`  durable_rules and the compiled evaluator give the same
                             outcome, winners and trace
:func:`check_unchanged_outside`  two versions give the same outcome inside ``where``
:func:`check_monotone`       raising one fact's value never lowers the outcome
===========================  ==============================================================
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from disclosure._api import evaluate
from disclosure._decide.decision import Decision
from disclosure._engines.prepared import prepare
from disclosure._engines.symbolic import GAP, Conflict
from disclosure._ir.outcome import Outcome
from disclosure._ir.ruleset import Family, Version
from disclosure.errors import ConflictError, DisclosureError, EngineError, FactError, GapError

__all__ = [
    "DISCLOSURE_ORDER",
    "check_deterministic",
    "check_engines_agree",
    "check_monotone",
    "check_no_conflict",
    "check_total",
    "check_unchanged_outside",
    "durable_available",
    "for_all",
]

#: The default order of :func:`check_monotone`: from the secret holding to a duty to
#: disclose. ``NOT_APPLICABLE`` (secrecy not engaged) is not in it.
DISCLOSURE_ORDER: tuple[Outcome, ...] = (Outcome.FORBIDDEN, Outcome.PERMITTED, Outcome.OBLIGED)

VersionName = str | Version | None
DateLike = str | dt.date | None
Result = Decision | DisclosureError


# --------------------------------------------------------------------------- properties


def check_deterministic(
    family: Family,
    situation: Mapping[str, Any],
    *,
    version: VersionName = None,
    on: DateLike = None,
    known_on: DateLike = None,
    readings: Mapping[str, str] | None = None,
    engine: str = "compiled",
    repeat: int = 3,
) -> Result:
    """The same question gets the same decision every time (``repeat`` evaluations), and
    the order in which the facts are given does not matter; a gap or a conflict must be
    reported every time in the same words. Returns the decision (or that error)."""
    question = _Question(family, version, on, known_on, readings)
    first = question.run(situation, engine)
    reordered = dict(reversed(list(situation.items())))
    for attempt in range(max(repeat, 2)):
        facts = reordered if attempt % 2 else situation
        again = question.run(facts, engine)
        if _fingerprint(again) != _fingerprint(first):
            raise AssertionError(
                _message(
                    "not deterministic: the same question got two different answers",
                    situation,
                    question,
                    engine,
                    ("first answer", first),
                    (
                        f"answer {attempt + 2}" + (" (facts reordered)" if attempt % 2 else ""),
                        again,
                    ),
                )
            )
    return first


def _refute_completions(
    family: Family,
    situation: Mapping[str, Any],
    result: Decision,
    question: _Question,
    engine: str,
    is_defect: Callable[[Any], bool],
    headline: str,
) -> None:
    """Raise AssertionError, with the completion as counter-example, when a possible
    completion of a partial situation has a defect (exact, on the symbolic form)."""
    bad = _completion(family, situation, result, is_defect)
    if bad is not None:
        completion, value = bad
        raise AssertionError(
            _message(
                f"{headline} {value}",
                situation,
                question,
                engine,
                ("completion", completion),
                ("its answer", question.run(completion, engine)),
            )
        )


def check_total(
    family: Family,
    situation: Mapping[str, Any],
    *,
    version: VersionName = None,
    on: DateLike = None,
    known_on: DateLike = None,
    readings: Mapping[str, str] | None = None,
    engine: str = "compiled",
) -> Decision:
    """A complete possible situation always gets an outcome: no rule-less gap, no
    conflict. For a partial situation, every possible completion gets one (checked
    exactly on the symbolic form, with a completion that fails as the counter-example).
    Returns the decision."""
    question = _Question(family, version, on, known_on, readings)
    result = question.run(situation, engine)
    if isinstance(result, GapError | ConflictError):
        kind = "a gap: no rule applies" if isinstance(result, GapError) else "a conflict"
        raise AssertionError(
            _message(f"not total: {kind}", situation, question, engine, ("answer", result))
        )
    if isinstance(result, DisclosureError):
        raise result
    if result.outcome is None or not _is_complete(family, situation):
        _refute_completions(
            family,
            situation,
            result,
            question,
            engine,
            lambda v: v is GAP or isinstance(v, Conflict),
            "not total: a possible completion of this partial situation has",
        )
    return result


def check_no_conflict(
    family: Family,
    situation: Mapping[str, Any],
    *,
    version: VersionName = None,
    on: DateLike = None,
    known_on: DateLike = None,
    readings: Mapping[str, str] | None = None,
    engine: str = "compiled",
) -> Result:
    """No two applicable rules that neither overrides disagree: on a complete situation,
    no :class:`disclosure.ConflictError`; on a partial one, no possible completion
    conflicts (exact, on the symbolic form). A gap is not a conflict (see
    :func:`check_total`). Returns the decision (or the error, such as a gap)."""
    question = _Question(family, version, on, known_on, readings)
    result = question.run(situation, engine)
    if isinstance(result, ConflictError):
        raise AssertionError(
            _message("conflict", situation, question, engine, ("answer", result))
            + _describe_rules(family, question, result.rules)
        )
    if isinstance(result, Decision) and not _is_complete(family, situation):
        _refute_completions(
            family,
            situation,
            result,
            question,
            engine,
            lambda v: isinstance(v, Conflict),
            "conflict in a possible completion of this partial situation:",
        )
    return result


def check_engines_agree(
    family: Family,
    situation: Mapping[str, Any],
    *,
    version: VersionName = None,
    on: DateLike = None,
    known_on: DateLike = None,
    readings: Mapping[str, str] | None = None,
) -> Decision | DisclosureError:
    """The durable_rules engine and the compiled evaluator give the same decision: same
    outcome (or both undetermined, with the same facts still needed and outcomes still
    possible), same winning rules, same status of every rule in the trace; or the same
    error. Raises :class:`disclosure.EngineError` when durable_rules is not available here
    (see :func:`durable_available`). Returns the compiled decision (or error)."""
    question = _Question(family, version, on, known_on, readings)
    compiled = question.run(situation, "compiled")
    durable = question.run(situation, "durable")
    if isinstance(durable, EngineError):
        raise durable
    if _engine_view(compiled) != _engine_view(durable):
        raise AssertionError(
            _message(
                "the engines disagree",
                situation,
                question,
                None,
                ("compiled", compiled),
                ("durable", durable),
            )
            + _trace_differences(compiled, durable)
        )
    return compiled


def check_unchanged_outside(
    family: Family,
    situation: Mapping[str, Any],
    a: str | Version,
    b: str | Version,
    *,
    where: Mapping[str, Any] | None = None,
    known_on: DateLike = None,
    readings: Mapping[str, str] | None = None,
    engine: str = "compiled",
) -> bool:
    """Versions ``a`` and ``b`` give the same outcome for ``situation`` when it lies in
    ``where``: the part of the fact space outside the amendment's reach (a mapping of
    facts to a value or a collection of values; every fact it names must be given with
    one of them). E.g. the 2017 law on terrorism changes nothing where there is no
    terrorist offence and no serious indications::

        check_unchanged_outside(
            family, situation, "prior", "terrorism-2017",
            where={"offence": ["radicalisation_only", "offence_against_vulnerable",
                               "other_offence", "none"],
                   "serious_indications": False},
        )

    Undetermined answers must agree on the outcomes still possible; errors must be of the
    same kind. Returns ``False`` (nothing checked) for a situation outside ``where``, so
    draw situations inside it (``situations(family, where=...)``, or :func:`for_all`)."""
    if not _inside(family, situation, where):
        return False
    first = _Question(family, a, None, known_on, readings)
    second = _Question(family, b, None, known_on, readings)
    left, right = first.run(situation, engine), second.run(situation, engine)
    if _outcome_view(left) != _outcome_view(right):
        raise AssertionError(
            _message(
                f"{_name(family, a)} and {_name(family, b)} differ "
                f"inside where={dict(where or {})}",
                situation,
                None,
                engine,
                (_name(family, a), left),
                (_name(family, b), right),
            )
        )
    return True


def check_monotone(
    family: Family,
    situation: Mapping[str, Any],
    fact: str,
    *,
    values: Sequence[Any] | None = None,
    order: Sequence[Outcome] = DISCLOSURE_ORDER,
    decreasing: bool = False,
    version: VersionName = None,
    on: DateLike = None,
    known_on: DateLike = None,
    readings: Mapping[str, str] | None = None,
    engine: str = "compiled",
) -> list[tuple[Any, Outcome | None]]:
    """Raising ``fact`` along ``values`` (default: its domain's order, ``False`` before
    ``True``) never lowers the outcome along ``order`` (default :data:`DISCLOSURE_ORDER`:
    forbidden < permitted < obliged); with ``decreasing=True`` it never raises it.

    The situation is evaluated with ``fact`` set to each value in turn; values that make
    the situation impossible are skipped, and so are undetermined answers. Two different
    outcomes that ``order`` does not rank (e.g. ``not_applicable``) are a failure: pass an
    ``order`` that ranks every outcome that can occur. Returns the ``(value, outcome)``
    pairs compared."""
    if fact not in family.vocabulary:
        raise FactError(f"unknown fact {fact!r}", fact=fact)
    domain = tuple(values) if values is not None else family.vocabulary[fact].values
    rank = {outcome: index for index, outcome in enumerate(order)}
    question = _Question(family, version, on, known_on, readings)
    seen: list[tuple[Any, Outcome | None]] = []
    previous: tuple[Any, Decision] | None = None
    for value in domain:
        varied = {**situation, fact: value}
        if not family.vocabulary.is_possible(varied):
            continue
        result = question.run(varied, engine)
        if isinstance(result, DisclosureError):
            raise result
        seen.append((value, result.outcome))
        if result.outcome is None:
            continue
        if previous is not None:
            before = previous[1].outcome
            assert before is not None
            if before != result.outcome:
                low, high = rank.get(before), rank.get(result.outcome)
                broken = (
                    low is None or high is None or (high < low if not decreasing else high > low)
                )
                if broken:
                    how = (
                        "not ranked by the order"
                        if low is None or high is None
                        else ("goes down" if not decreasing else "goes up")
                    )
                    raise AssertionError(
                        _message(
                            f"not monotone in {fact!r}: the outcome {how} from "
                            f"{fact}={previous[0]!r} to {fact}={value!r} "
                            f"(order: {' < '.join(o.value for o in order)})",
                            situation,
                            question,
                            engine,
                            (f"with {fact}={previous[0]!r}", previous[1]),
                            (f"with {fact}={value!r}", result),
                        )
                    )
        previous = (value, result)
    return seen


def for_all(
    check: Callable[..., Any],
    family: Family,
    *,
    where: Mapping[str, Any] | None = None,
    complete: bool = True,
    settings: Any = None,
    **arguments: Any,
) -> Callable[[], None]:
    """A Hypothesis test that runs ``check(family, situation, **arguments)`` on possible
    situations drawn by :func:`disclosure.strategies.situations` (inside ``where``; partial
    ones when ``complete=False``). ``where`` is also passed to checks that take it
    (:func:`check_unchanged_outside`). ``settings`` is a :class:`hypothesis.settings`
    (default: 100 examples, no deadline). Assign it to a test name::

        test_total_prior = for_all(check_total, family, version="prior")
    """
    from hypothesis import given
    from hypothesis import settings as hypothesis_settings

    from disclosure.strategies import situations

    strategy = situations(family, where, complete=complete)
    takes_where = "where" in inspect.signature(check).parameters
    extra = {"where": where} if takes_where else {}

    def test(situation: dict[str, Any]) -> None:
        check(family, situation, **arguments, **extra)

    described = ", ".join(f"{k}={v!r}" for k, v in {**arguments, **extra}.items())
    test.__name__ = f"for_all_{check.__name__}"
    test.__qualname__ = test.__name__
    test.__doc__ = f"{check.__name__} on {family.id}" + (f" ({described})" if described else "")
    chosen = settings if settings is not None else hypothesis_settings(deadline=None)
    wrapped: Callable[[], None] = chosen(given(strategy)(test))
    return wrapped


def durable_available() -> bool:
    """Whether the durable_rules engine can evaluate here (it does not import on Python
    3.13+, where only the compiled evaluator serves)."""
    from disclosure._engines.durable import durable_available as available

    return available()


# --------------------------------------------------------------------------- internals


class _Question:
    """What is asked besides the facts: version, dates, readings."""

    def __init__(
        self,
        family: Family,
        version: VersionName,
        on: DateLike,
        known_on: DateLike,
        readings: Mapping[str, str] | None,
    ) -> None:
        self.family = family
        self.version = version
        self.on = on
        self.known_on = known_on
        self.readings = dict(readings) if readings else None

    def run(self, situation: Mapping[str, Any], engine: str) -> Result:
        try:
            return evaluate(
                dict(situation),
                on=self.on,
                known_on=self.known_on,
                version=self.version,
                readings=self.readings,
                engine=engine,
                family=self.family,
            )
        except (ConflictError, GapError, EngineError) as error:
            # defects of the ruleset (or a missing engine) are answers to compare; any
            # other error is the caller's (bad facts, unknown version): it propagates
            return error

    def describe(self) -> str:
        parts = []
        if self.version is not None:
            parts.append(f"version={_name(self.family, self.version)}")
        if self.on is not None:
            parts.append(f"on={self.on}")
        if self.known_on is not None:
            parts.append(f"known_on={self.known_on}")
        if self.readings:
            parts.append(f"readings={self.readings}")
        return ", ".join(parts) or "defaults (the version in force today, as known today)"


def _name(family: Family, version: str | Version | None) -> str:
    if version is None:
        return "the version in force"
    try:
        return family.version(version).name
    except DisclosureError:
        return str(version)


def _is_complete(family: Family, situation: Mapping[str, Any]) -> bool:
    return all(situation.get(name) is not None for name in family.vocabulary.domains)


def _inside(family: Family, situation: Mapping[str, Any], where: Mapping[str, Any] | None) -> bool:
    for fact, wanted in (where or {}).items():
        if fact not in family.vocabulary:
            raise FactError(f"where= names unknown fact {fact!r}", fact=fact)
        if isinstance(wanted, str | bool | dt.date) or not isinstance(
            wanted, Sequence | set | frozenset
        ):
            wanted = (wanted,)
        if fact not in situation or situation[fact] not in wanted:
            return False
    return True


def _completion(
    family: Family, situation: Mapping[str, Any], decision: Decision, bad: Callable[[Any], bool]
) -> tuple[dict[str, Any], Any] | None:
    """A possible completion of ``situation`` whose outcome terminal is ``bad``, exactly,
    on the symbolic form of the version and readings the decision used."""
    receipt = decision.receipt
    prepared = prepare(family, family.version(receipt.version), frozenset(receipt.annulled))
    symbolic = prepared.symbolic(receipt.readings)
    given = {
        name: value
        for name, value in situation.items()
        if name in family.vocabulary.domains and value is not None
    }
    found = symbolic.example(bad, where={name: (value,) for name, value in given.items()})
    if found is None:
        return None
    value = symbolic.outcome_of(found)
    ordered = {name: found[name] for name in family.vocabulary.domains}
    if "date" in situation:
        ordered = {"date": situation["date"], **ordered}
    return ordered, value


def _fingerprint(result: Result) -> Any:
    if isinstance(result, Decision):
        return result.to_json()
    return (type(result).__name__, str(result))


def _engine_view(result: Result) -> Any:
    if isinstance(result, DisclosureError):
        rules = tuple(sorted(result.rules)) if isinstance(result, ConflictError) else ()
        return (type(result).__name__, rules)
    return (
        result.outcome,
        tuple(result.winners),
        tuple((entry.rule, entry.status, entry.overridden_by) for entry in result.trace),
        tuple(result.missing_facts),
        tuple(result.possible_outcomes),
    )


def _outcome_view(result: Result) -> Any:
    if isinstance(result, DisclosureError):
        return type(result).__name__
    if result.outcome is None:
        return ("undetermined", frozenset(result.possible_outcomes))
    return result.outcome


def _show_situation(situation: Mapping[str, Any]) -> str:
    return ", ".join(f"{name}={value}" for name, value in situation.items()) or "(no facts)"


def _show_result(result: Any) -> list[str]:
    if isinstance(result, Mapping):
        return [_show_situation(result)]
    if isinstance(result, DisclosureError):
        return [f"{type(result).__name__}: {result}"]
    assert isinstance(result, Decision)
    outcome = result.outcome.value if result.outcome else "undetermined"
    head = f"{outcome} under {result.receipt.version}"
    if result.winners:
        head += f" (winners: {', '.join(result.winners)})"
    if result.outcome is None:
        head += (
            f"; possible: {', '.join(o.value for o in result.possible_outcomes)}"
            f"; still needed: {', '.join(result.missing_facts) or '-'}"
        )
    return [head, *(f"  {entry.rule}: {entry.reason}" for entry in result.trace)]


def _message(
    title: str,
    situation: Mapping[str, Any],
    question: _Question | None,
    engine: str | None,
    *answers: tuple[str, Any],
) -> str:
    lines = [title, f"  situation: {_show_situation(situation)}"]
    if question is not None:
        lines.append(f"  question: {question.describe()}")
    if engine is not None:
        lines.append(f"  engine: {engine}")
    for label, result in answers:
        shown = _show_result(result)
        lines.append(f"  {label}: {shown[0]}")
        lines.extend(f"    {line}" for line in shown[1:])
    return "\n".join(lines)


def _describe_rules(family: Family, question: _Question, rule_ids: Sequence[str]) -> str:
    lines = []
    for rule_id in rule_ids:
        for version in family.versions:
            if rule_id in version.rule_ids:
                rule = version.rule(rule_id)
                lines.append(
                    f"  {rule_id}: {rule.conclusion.value} ({rule.source.label}); "
                    f"overrides: {', '.join(rule.overrides) or 'nothing'}"
                )
                break
    return "\n" + "\n".join(lines) if lines else ""


def _trace_differences(compiled: Result, durable: Result) -> str:
    if not isinstance(compiled, Decision) or not isinstance(durable, Decision):
        return ""
    other = {entry.rule: entry for entry in durable.trace}
    lines = [
        f"  {entry.rule}: compiled {entry.status}, durable {other[entry.rule].status}"
        for entry in compiled.trace
        if entry.rule in other
        and (entry.status, entry.overridden_by)
        != (other[entry.rule].status, other[entry.rule].overridden_by)
    ]
    return "\n  rules whose status differs:\n" + "\n".join(lines) if lines else ""
