"""A typed situation for the bundled Belgian vocabulary (fields may be left ``None``:
unknown). Its validators mirror the vocabulary, so ``hypothesis.strategies.builds`` can
infer it, and a misspelt value fails at construction with a :class:`FactError`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from disclosure._edge import parse_date
from disclosure.errors import FactError, did_you_mean, excerpt

__all__ = ["Situation"]


def _one_of(*values: str) -> Any:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None and value not in values:
            hint = did_you_mean(value, values) if isinstance(value, str) else None
            raise FactError(
                f"fact {attribute.name!r} cannot be {excerpt(value)}; allowed values: "
                + ", ".join(values),
                fact=attribute.name,
                value=value,
                allowed=values,
                suggestion=hint,
            )

    return check


def _boolean(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, bool):
        raise FactError(
            f"fact {attribute.name!r} must be true or false, not {excerpt(value)}",
            fact=attribute.name,
            value=value,
            allowed=(False, True),
        )


def _optional_date(value: Any) -> Any:
    if isinstance(value, str):
        return parse_date(value, "fact 'date'", fact="date")
    return value


@attrs.frozen(kw_only=True)
class Situation:
    """The facts of a situation under the Belgian vocabulary (see the vocabulary
    reference for each fact's meaning). ``None`` means "not known"."""

    date: dt.date | None = attrs.field(default=None, converter=_optional_date)
    holder: str | None = attrs.field(
        default=None,
        validator=_one_of(
            "cpas_staff", "cpas_council_member", "social_security_staff", "other_professional"
        ),
    )
    learned_through_profession: bool | None = attrs.field(default=None, validator=_boolean)
    channel: str | None = attrs.field(
        default=None,
        validator=_one_of("request", "hearing", "own_initiative", "case_consultation"),
    )
    authority: str | None = attrs.field(
        default=None,
        validator=_one_of(
            "procureur_du_roi",
            "federal_prosecutor",
            "investigating_judge",
            "police",
            "police_delegated_by_judge",
            "trial_court",
            "parliamentary_inquiry",
            "administrative_authority",
            "none",
        ),
    )
    request_form: str | None = attrs.field(
        default=None, validator=_one_of("written_reasoned", "written_unreasoned", "oral", "none")
    )
    offence: str | None = attrs.field(
        default=None,
        validator=_one_of(
            "terrorist_offence",
            "radicalisation_only",
            "offence_against_vulnerable",
            "other_offence",
            "none",
        ),
    )
    information: str | None = attrs.field(
        default=None,
        validator=_one_of("administrative", "social_report", "confidence", "medical", "other"),
    )
    serious_indications: bool | None = attrs.field(default=None, validator=_boolean)
    danger: str | None = attrs.field(
        default=None, validator=_one_of("none", "grave_imminent", "serious_risk_to_others")
    )
    only_means: bool | None = attrs.field(default=None, validator=_boolean)
    #: extension of the design's vocabulary: art. 422bis obliges only who can act safely
    safe_to_act: bool | None = attrs.field(default=None, validator=_boolean)
    victim_vulnerable: bool | None = attrs.field(default=None, validator=_boolean)
    consultation_basis: str | None = attrs.field(
        default=None, validator=_one_of("none", "statute", "prosecutor_authorisation")
    )
    consultation_purpose: str | None = attrs.field(
        default=None,
        validator=_one_of(
            "none", "integrity", "terrorism_prevention", "criminal_organisation", "other"
        ),
    )

    def as_facts(self) -> dict[str, Any]:
        """The known facts as a mapping (unknown ones left out)."""
        return {k: v for k, v in attrs.asdict(self).items() if v is not None}
