"""The intermediate representation (IR) of a rule family, by its public names.

Everything the library does reads these immutable values: a :class:`Family` holds a
:class:`Vocabulary` of facts, the :class:`ContestedPoint` of the law and its
:class:`Version` objects; a version holds :class:`Rule` objects whose conditions are
structured (:class:`All`, :class:`Any_`, :class:`Not` over :class:`FactTest`), each with
its :class:`Citation`. Ruleset authors and tests build or inspect them here; the loader
builds them from YAML (:func:`disclosure.load`).

>>> from disclosure.ir import All, FactTest, Not, evaluate_condition
>>> written = All([FactTest("channel", {"request"}), Not(FactTest("request_form", {"oral"}))])
>>> evaluate_condition(written, {"channel": "request", "request_form": "written_reasoned"})
True
"""

from disclosure._ir.conditions import (
    TRUE,
    All,
    Any_,
    Condition,
    FactTest,
    Not,
    condition_facts,
    evaluate_condition,
    evaluate_condition_3v,
)
from disclosure._ir.defeasibility import (
    Settlement,
    combine_conclusions,
    find_cycle,
    override_cycle,
    settle,
)
from disclosure._ir.outcome import Outcome
from disclosure._ir.readings import resolve_readings
from disclosure._ir.ruleset import (
    Annulment,
    Citation,
    ContestedPoint,
    Family,
    Provision,
    Reading,
    ReadingTest,
    Rule,
    Version,
    content_hash,
)
from disclosure._ir.situation import Situation
from disclosure._ir.text import LANGUAGES, Text
from disclosure._ir.vocabulary import Fact, Impossible, Vocabulary

__all__ = [
    "LANGUAGES",
    "TRUE",
    "All",
    "Annulment",
    "Any_",
    "Citation",
    "Condition",
    "ContestedPoint",
    "Fact",
    "FactTest",
    "Family",
    "Impossible",
    "Not",
    "Outcome",
    "Provision",
    "Reading",
    "ReadingTest",
    "Rule",
    "Settlement",
    "Situation",
    "Text",
    "Version",
    "Vocabulary",
    "combine_conclusions",
    "condition_facts",
    "content_hash",
    "evaluate_condition",
    "evaluate_condition_3v",
    "find_cycle",
    "override_cycle",
    "resolve_readings",
    "settle",
]
