"""Decisions as plain text in French, Dutch or English.

French and Dutch texts are wholly in their language: facts, values, rules, readings and
acts are named by the family's labels (:mod:`disclosure._render.names`). English texts
keep the ids of the rule family in the trace, where analysts look them up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from disclosure._formats import register
from disclosure._ir.outcome import Outcome
from disclosure._render.labels import check_lang, label, outcome_label
from disclosure._render.names import Names, names_of

if TYPE_CHECKING:
    from disclosure._decide.decision import Decision
    from disclosure._ir.ruleset import Citation

__all__ = ["decision_warnings", "render_decision"]


@register("decision", "text")
def render_decision(decision: Decision, lang: str = "en") -> str:
    """The decision as readable text: outcome, basis, duties, sanctions, trace, receipt."""
    check_lang(lang)
    names = names_of(decision, lang)
    english = lang == "en"
    receipt = decision.receipt
    version = names.version
    lines = [outcome_label(decision.outcome, lang)]
    when = (
        f"{label('known_on', lang)} {receipt.known_on}"
        if receipt.known_on
        else label("as_enacted", lang)
    )
    if english or version is None:
        shown = receipt.version + (f" ({', '.join(receipt.aliases)})" if receipt.aliases else "")
    else:
        shown = f"{receipt.version} ({version.title[lang]})"
    lines.append(f"{label('version', lang)}: {shown}, {when}")
    low = version is not None and version.confidence == "low" and version.confidence_note
    if low:
        assert version is not None
        assert version.confidence_note is not None
        lines.append(f"{label('low_confidence', lang)}: {version.confidence_note[lang]}")
    lines.extend(_known_then(decision, names))
    if decision.undetermined:
        missing = names.facts(decision.missing_facts)
        lines.append(f"{label('missing', lang)}: {missing}")
        possible = ", ".join(names.outcome(o) for o in decision.possible_outcomes)
        lines.append(f"{label('possible', lang)}: {possible}")
    if decision.duty_bearer:
        bearer = names.duty_bearer(decision.duty_bearer)
        lines.append(f"{label('duty_bearer', lang)}: {bearer}")
    if decision.addressees:
        addressees = names.values("authority", decision.addressees)
        lines.append(f"{label('addressees', lang)}: {addressees}")
    if decision.winners:
        lines.append(f"{label('basis', lang)}:")
        for entry in decision.trace:
            if entry.status == "applied":
                url = f" <{entry.citation.url}>" if entry.citation.url else ""
                lines.append(f"  - {_cited(entry.citation, names)}{url}")
                lines.append(f"    {entry.summary[lang]}")
    if decision.sanctions:
        lines.append(f"{label('sanctions', lang)}:")
        for sanction in decision.sanctions:
            penalty = f" ({sanction.penalty[lang]})" if sanction.penalty else ""
            cited = _cited(sanction.citation, names)
            lines.append(f"  - {sanction.summary[lang]}{penalty} [{cited}]")
    elif decision.outcome is Outcome.FORBIDDEN:
        lines.append(f"{label('sanctions', lang)}: {label('no_sanction', lang)}")
    if decision.side_obligations:
        lines.append(f"{label('side_obligations', lang)}:")
        for obligation in decision.side_obligations:
            cited = names.citation(obligation.citation)
            lines.append(f"  - {obligation.summary[lang]} [{cited}]")
    if decision.contested:
        lines.append(f"{label('contested', lang)}:")
        for point in decision.contested:
            others = "; ".join(
                f"{names.reading(point.point, reading)}: {names.outcome(o)}"
                for reading, o in point.alternatives.items()
            )
            used = names.reading(point.point, point.reading)
            lines.append(
                f"  - {point.question[lang]} ({label('reading', lang)}: {used}; "
                f"{label('otherwise', lang)} {others})"
            )
    warnings = decision_warnings(decision, names, skip_version=bool(low))
    if warnings:
        lines.append(f"{label('warnings', lang)}:")
        lines.extend(f"  - {w}" for w in warnings)
    lines.append(f"{label('trace', lang)}:")
    for entry in decision.trace:
        if english:
            lines.append(f"  {entry.status:<15} {entry.rule}: {entry.reason}")
        else:
            status = names.status(entry.status)
            lines.append(f"  {status:<19} {names.rule(entry.rule)} : {names.reason(entry)}")
    engine = (
        f"engine={receipt.engine}"
        if english
        else f"({label('engine', lang)} : {names.engine(receipt.engine)})"
    )
    lines.append(
        f"{label('receipt', lang)}: {receipt.family} {receipt.version} "
        f"sha256:{receipt.content_sha256[:12]} disclosure {receipt.library_version} {engine}"
    )
    return "\n".join(lines)


def _cited(citation: Citation, names: Names) -> str:
    """A citation, flagged when part of it rests on general knowledge (brief §11)."""
    text = names.citation(citation)
    if citation.general_knowledge:
        text += f" ({label('general_knowledge', names.lang)})"
    return text


def _known_then(decision: Decision, names: Names) -> list[str]:
    """The answer as known on the date of the facts, when it differs (one or two lines)."""
    then = decision.known_then
    if then is None:
        return []
    lang = names.lang
    basis = "; ".join(names.citation(c) for c in then.basis)
    line = (
        f"{label('known_then', lang).format(date=then.known_on)}: "
        f"{outcome_label(then.outcome, lang)}" + (f" [{basis}]" if basis else "")
    )
    if not then.annulled:
        return [line]
    annulled = (
        ", ".join(then.annulled)
        if lang == "en"
        else ", ".join(names.rule(rule) for rule in then.annulled)
    )
    return [line, f"  {label('annulled_since', lang)}: {annulled}"]


def decision_warnings(decision: Decision, names: Names, skip_version: bool = False) -> list[str]:
    """The decision's warnings in the names' language (English: as the decision holds
    them); ``skip_version`` leaves out the version's own, already shown."""
    version = names.version
    lang = names.lang
    if lang == "en" or version is None:
        found = list(decision.warnings)
        if skip_version and version is not None:
            found = [w for w in found if not w.startswith(f"version {version.name} is ")]
        return found
    found = []
    if version.confidence != "high" and not skip_version:
        note = version.confidence_note[lang] if version.confidence_note else ""
        found.append(
            label("version_warning", lang).format(
                name=version.id, level=names.confidence(version.confidence), note=note
            )
        )
    rules = {rule.id: rule for rule in version.rules}
    for rule_id in decision.winners:
        rule = rules.get(rule_id)
        if rule is None or rule.confidence == "high":
            continue
        note = rule.note[lang] if rule.note else ""
        found.append(
            label("rule_warning", lang).format(
                rule=names.rule(rule_id), level=names.confidence(rule.confidence), note=note
            )
        )
    return found
