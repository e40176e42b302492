"""The four outcomes of the law on a disclosure (a contract: names never change)."""

from __future__ import annotations

import enum

__all__ = ["UNDETERMINED", "Outcome"]


class Outcome(enum.Enum):
    """What the law says of disclosing the information in the situation."""

    #: must disclose
    OBLIGED = "obliged"
    #: may disclose, no duty to
    PERMITTED = "permitted"
    #: the secret holds: disclosing would be an offence
    FORBIDDEN = "forbidden"
    #: professional secrecy is not engaged
    NOT_APPLICABLE = "not_applicable"

    def __str__(self) -> str:
        return self.value


#: how files and reports name the answer when facts it depends on are missing (no Outcome)
UNDETERMINED = "undetermined"
