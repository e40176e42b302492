"""Decisions as plain text in French, Dutch or English."""

from __future__ import annotations

from typing import TYPE_CHECKING

from disclosure._formats import register
from disclosure._render.labels import check_lang, label, outcome_label

if TYPE_CHECKING:
    from disclosure._decide.decision import Decision

__all__ = ["render_decision"]


@register("decision", "text")
def render_decision(decision: Decision, lang: str = "en") -> str:
    """The decision as readable text: outcome, basis, duties, sanctions, trace, receipt."""
    check_lang(lang)
    receipt = decision.receipt
    lines = [outcome_label(decision.outcome, lang)]
    when = (
        f"{label('known_on', lang)} {receipt.known_on}"
        if receipt.known_on
        else label("as_enacted", lang)
    )
    version = receipt.version + (f" ({', '.join(receipt.aliases)})" if receipt.aliases else "")
    lines.append(f"{label('version', lang)}: {version}, {when}")
    if decision.undetermined:
        lines.append(f"{label('missing', lang)}: {', '.join(decision.missing_facts)}")
        lines.append(
            f"{label('possible', lang)}: " + ", ".join(o.value for o in decision.possible_outcomes)
        )
    if decision.duty_bearer:
        lines.append(f"{label('duty_bearer', lang)}: {decision.duty_bearer}")
    if decision.addressees:
        lines.append(f"{label('addressees', lang)}: {', '.join(decision.addressees)}")
    if decision.winners:
        lines.append(f"{label('basis', lang)}:")
        for entry in decision.trace:
            if entry.status == "applied":
                url = f" <{entry.citation.url}>" if entry.citation.url else ""
                lines.append(f"  - {entry.citation.label}{url}")
                lines.append(f"    {entry.summary[lang]}")
    if decision.sanctions:
        lines.append(f"{label('sanctions', lang)}:")
        for sanction in decision.sanctions:
            penalty = f" ({sanction.penalty[lang]})" if sanction.penalty else ""
            lines.append(f"  - {sanction.summary[lang]}{penalty} [{sanction.citation.label}]")
    if decision.side_obligations:
        lines.append(f"{label('side_obligations', lang)}:")
        for obligation in decision.side_obligations:
            lines.append(f"  - {obligation.summary[lang]} [{obligation.citation.label}]")
    if decision.contested:
        lines.append(f"{label('contested', lang)}:")
        for point in decision.contested:
            others = "; ".join(
                f"{reading}: {o.value if o else label('undetermined_short', lang)}"
                for reading, o in point.alternatives.items()
            )
            lines.append(
                f"  - {point.question[lang]} ({label('reading', lang)}: {point.reading}; "
                f"{label('otherwise', lang)} {others})"
            )
    if decision.warnings:
        lines.append(f"{label('warnings', lang)}:")
        lines.extend(f"  - {w}" for w in decision.warnings)
    lines.append(f"{label('trace', lang)}:")
    for entry in decision.trace:
        lines.append(f"  {entry.status:<15} {entry.rule}: {entry.reason}")
    lines.append(
        f"{label('receipt', lang)}: {receipt.family} {receipt.version} "
        f"sha256:{receipt.content_sha256[:12]} disclosure {receipt.library_version} "
        f"engine={receipt.engine}"
    )
    return "\n".join(lines)
