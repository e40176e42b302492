"""disclosure: professional-secrecy law as versioned, testable rulesets."""

from disclosure._outcome import Outcome
from disclosure._version import __version__
from disclosure.errors import DisclosureError

__all__ = ["DisclosureError", "Outcome", "__version__"]
