"""disclosure: professional-secrecy law as versioned, testable rulesets.

Evaluate a situation under any version of the law, explain the answer with its legal
basis, and compare versions:

>>> import disclosure
>>> decision = disclosure.evaluate(
...     {"holder": "cpas_staff", "learned_through_profession": True, "channel": "request",
...      "authority": "police", "request_form": "oral", "offence": "other_offence",
...      "information": "confidence", "danger": "none"},
...     on="2018-05-02",
... )
>>> decision.outcome
<Outcome.FORBIDDEN: 'forbidden'>
>>> decision.basis[0].label
'Code pénal, art. 458'
"""

from typing import TYPE_CHECKING, Any

# the renderers register their formats on import; results find them through
# disclosure._formats, never by importing the render stage themselves
import disclosure._render  # noqa: F401
from disclosure._analysis.compare import Comparison, Contrast, Side
from disclosure._analysis.diff import Diff, DiffRegion, RuleDelta
from disclosure._api import VersionInfo, compare, diff, evaluate, evaluate_each, load, versions
from disclosure._decide.bulk import (
    BulkComparison,
    BulkDecision,
    BulkError,
    Impact,
    ImpactRow,
    compare_many,
    evaluate_many,
    impact,
)
from disclosure._decide.decision import (
    ContestedDependency,
    Decision,
    Receipt,
    RuleTrace,
    Sanction,
    SideObligation,
)
from disclosure._ir.outcome import Outcome
from disclosure._ir.ruleset import Family, Rule, Version
from disclosure._ir.situation import Situation
from disclosure._version import __version__
from disclosure.errors import (
    ConflictError,
    DisclosureError,
    EngineError,
    FactError,
    GapError,
    InputError,
    MutationError,
    ReadingError,
    RulesetError,
    VersionError,
)

__all__ = [
    "BulkComparison",
    "BulkDecision",
    "BulkError",
    "Comparison",
    "ConflictError",
    "ContestedDependency",
    "Contrast",
    "Decision",
    "Diff",
    "DiffRegion",
    "DisclosureError",
    "EngineError",
    "FactError",
    "Family",
    "GapError",
    "Impact",
    "ImpactRow",
    "InputError",
    "MutationError",
    "MutationReport",
    "Outcome",
    "ReadingError",
    "Receipt",
    "Rule",
    "RuleDelta",
    "RuleTrace",
    "RulesetError",
    "Sanction",
    "Side",
    "SideObligation",
    "Situation",
    "Version",
    "VersionError",
    "VersionInfo",
    "__version__",
    "compare",
    "compare_many",
    "diff",
    "evaluate",
    "evaluate_each",
    "evaluate_many",
    "impact",
    "load",
    "mutate",
    "versions",
]


if TYPE_CHECKING:
    from disclosure._analysis.mutate import MutationReport, mutate


def __getattr__(name: str) -> Any:
    # mutation testing is imported on first use: most programs never need it, and it is
    # the largest module to import at start-up
    if name in ("mutate", "MutationReport"):
        from disclosure._analysis import mutate as module

        return getattr(module, name)
    raise AttributeError(f"module 'disclosure' has no attribute {name!r}")
