"""Decisions as plain text in French, Dutch or English."""

from __future__ import annotations

from typing import TYPE_CHECKING

from disclosure._ir.outcome import Outcome
from disclosure._ir.text import LANGUAGES

if TYPE_CHECKING:
    from disclosure._decide.decision import Decision

__all__ = ["LABELS", "label", "outcome_label", "render_decision"]

OUTCOME_LABELS: dict[Outcome, dict[str, str]] = {
    Outcome.OBLIGED: {
        "fr": "OBLIGÉ de communiquer",
        "nl": "VERPLICHT mee te delen",
        "en": "OBLIGED to disclose",
    },
    Outcome.PERMITTED: {
        "fr": "AUTORISÉ à communiquer (sans obligation)",
        "nl": "MAG meedelen (geen plicht)",
        "en": "PERMITTED to disclose (no duty)",
    },
    Outcome.FORBIDDEN: {
        "fr": "INTERDIT : le secret professionnel s'impose",
        "nl": "VERBODEN: het beroepsgeheim geldt",
        "en": "FORBIDDEN: the secret holds",
    },
    Outcome.NOT_APPLICABLE: {
        "fr": "NON APPLICABLE : le secret professionnel n'est pas en jeu",
        "nl": "NIET VAN TOEPASSING: het beroepsgeheim speelt niet",
        "en": "NOT APPLICABLE: professional secrecy is not engaged",
    },
}

LABELS: dict[str, dict[str, str]] = {
    "undetermined": {
        "fr": "INDÉTERMINÉ : des faits manquent",
        "nl": "ONBEPAALD: er ontbreken feiten",
        "en": "UNDETERMINED: facts are missing",
    },
    "version": {"fr": "Version", "nl": "Versie", "en": "Version"},
    "duty_bearer": {"fr": "Débiteur de l'obligation", "nl": "Plichtsdrager", "en": "Duty bearer"},
    "addressees": {"fr": "Destinataires", "nl": "Bestemmelingen", "en": "May go to"},
    "basis": {"fr": "Base légale", "nl": "Rechtsgrond", "en": "Legal basis"},
    "sanctions": {"fr": "Sanctions en jeu", "nl": "Sancties", "en": "Sanctions at stake"},
    "side_obligations": {
        "fr": "Obligations accessoires",
        "nl": "Bijkomende plichten",
        "en": "Side obligations",
    },
    "missing": {
        "fr": "Faits encore nécessaires",
        "nl": "Nog nodige feiten",
        "en": "Facts still needed",
    },
    "possible": {"fr": "Issues possibles", "nl": "Mogelijke uitkomsten", "en": "Possible outcomes"},
    "contested": {"fr": "Points controversés", "nl": "Betwiste punten", "en": "Contested points"},
    "reading": {"fr": "lecture retenue", "nl": "gekozen lezing", "en": "reading used"},
    "otherwise": {"fr": "sinon", "nl": "anders", "en": "otherwise"},
    "trace": {"fr": "Trace des règles", "nl": "Spoor van de regels", "en": "Rule trace"},
    "warnings": {"fr": "Avertissements", "nl": "Waarschuwingen", "en": "Warnings"},
    "receipt": {"fr": "Reçu", "nl": "Ontvangstbewijs", "en": "Receipt"},
    "as_enacted": {"fr": "tel qu'adopté", "nl": "zoals aangenomen", "en": "as enacted"},
    "known_on": {"fr": "droit connu au", "nl": "recht gekend op", "en": "law as known on"},
    "undetermined_short": {"fr": "indéterminé", "nl": "onbepaald", "en": "undetermined"},
}


def label(key: str, lang: str) -> str:
    return LABELS[key][lang]


def outcome_label(outcome: Outcome | None, lang: str) -> str:
    if outcome is None:
        return LABELS["undetermined"][lang]
    return OUTCOME_LABELS[outcome][lang]


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        from disclosure.errors import DisclosureError

        raise DisclosureError(f"unknown language {lang!r}; expected one of fr, nl, en")


def render_decision(decision: Decision, lang: str = "en") -> str:
    """The decision as readable text: outcome, basis, duties, sanctions, trace, receipt."""
    _check_lang(lang)
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
