"""Multilingual text: every summary and explanation exists in French, Dutch and English."""

from __future__ import annotations

from typing import Literal

import attrs

Language = Literal["fr", "nl", "en"]
LANGUAGES: tuple[Language, ...] = ("fr", "nl", "en")


@attrs.frozen
class Text:
    """A text in the three languages of the library (French, Dutch, English)."""

    fr: str
    nl: str
    en: str

    def __getitem__(self, lang: str) -> str:
        if lang not in LANGUAGES:
            raise KeyError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
        value: str = getattr(self, lang)
        return value

    def as_dict(self) -> dict[str, str]:
        return {"fr": self.fr, "nl": self.nl, "en": self.en}

    @classmethod
    def same(cls, text: str) -> Text:
        """The same string in every language (names, numbers)."""
        return cls(fr=text, nl=text, en=text)
