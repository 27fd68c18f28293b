"""The metric lexicons: indicators with their surface forms, rates, cues and terms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from jjnlp.resources import load_lines, load_toml


@dataclass(frozen=True, slots=True)
class Lexicon:
    surfaces: re.Pattern[str]  # any indicator surface form, longest first
    canonical: dict[str, str]  # surface form → canonical indicator
    rates: dict[str, tuple[str, str]]  # rate → (numerator, denominator)
    terms: re.Pattern[str]  # numeral-bearing names that are not figures
    part_cues: tuple[str, ...]
    share_cues: tuple[str, ...]
    heads: tuple[str, ...]
    value_words: tuple[str, ...]
    filler: frozenset[str]
    verbs: frozenset[str]
    forms: tuple[str, ...]
    family: dict[str, str]  # indicator → the family of parts it belongs to
    roles: dict[str, str]  # role (increase, done, found …) → the indicator that plays it

    @property
    def changes(self) -> tuple[str, str]:
        """The indicators of a change against the comparison period (同比增长, 同比下降)."""
        return self.roles["increase"], self.roles["decrease"]


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def lexicon() -> Lexicon:
    config = load_toml("indicators.toml")
    canonical = {
        surface: name for name, surfaces in config["indicators"].items() for surface in surfaces
    }
    rates = {name: (r["numerator"], r["denominator"]) for name, r in config["rates"].items()}
    return Lexicon(
        surfaces=re.compile(_alternation(list(canonical))),
        canonical=canonical,
        rates=rates,
        terms=re.compile(_alternation(list(load_lines("terms.txt")))),
        part_cues=tuple(config["cues"]["part"]),
        share_cues=tuple(config["cues"]["share"]),
        heads=tuple(config["cues"]["heads"]),
        value_words=tuple(config["cues"]["value_words"]),
        filler=frozenset(config["cues"]["filler"]),
        verbs=frozenset(config["cues"]["verbs"]),
        forms=tuple(config["cues"]["forms"]),
        family={m: name for name, members in config["families"].items() for m in members},
        roles=dict(config["roles"]),
    )
