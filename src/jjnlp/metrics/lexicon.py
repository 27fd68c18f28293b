"""The metric lexicons: indicators with their surface forms, rates, cues and terms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from jjnlp.resources import load_lines, load_toml
from jjnlp.zh.text import expand


@dataclass(frozen=True, slots=True)
class Lexicon:
    surfaces: re.Pattern[str]  # any indicator surface form, longest first
    canonical: dict[str, str]  # surface form → canonical indicator
    rates: dict[str, tuple[str, str]]  # rate → (numerator, denominator)
    terms: re.Pattern[str]  # numeral-bearing names that are not figures
    quoted_slogans: re.Pattern[str]  # “两个一以贯之”: any quoted slogan that opens with a numeral
    part_cues: tuple[str, ...]
    share_cues: tuple[str, ...]
    heads: tuple[str, ...]
    value_words: tuple[str, ...]
    filler: frozenset[str]
    verbs: frozenset[str]
    forms: tuple[str, ...]
    family: dict[str, str]  # indicator → the family of parts it belongs to
    roles: dict[str, str]  # role (increase, done, found …) → the indicator that plays it
    method_cues: tuple[str, ...]  # a bracket after a rate opening with these states its method
    frame_cues: tuple[str, ...]  # a count followed by these frames the parts after it
    sum_words: re.Pattern[str]  # the words that join the addends of a stated method
    scope_word: re.Pattern[str]  # the scope a named whole gives (全市 in 占全市立案数的)

    respectively: str  # 分别占63.5%、27.1%…: the shares of the items named before it

    def families_listed(self, text: str) -> str | None:
        """The family every member of which ``text`` names (四种形态's four forms), if any."""
        for family in set(self.family.values()):
            members = [m for m, f in self.family.items() if f == family]
            if all(m in text for m in members):
                return family
        return None

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
        quoted_slogans=re.compile(expand(config["cues"]["quoted_slogan"])),
        part_cues=tuple(config["cues"]["part"]),
        share_cues=tuple(config["cues"]["share"]),
        heads=tuple(config["cues"]["heads"]),
        value_words=tuple(config["cues"]["value_words"]),
        filler=frozenset(config["cues"]["filler"]),
        verbs=frozenset(config["cues"]["verbs"]),
        forms=tuple(config["cues"]["forms"]),
        family={m: name for name, members in config["families"].items() for m in members},
        roles=dict(config["roles"]),
        method_cues=tuple(config["cues"]["method"]),
        frame_cues=tuple(config["cues"]["frame"]),
        sum_words=re.compile(_alternation(config["cues"]["sum"])),
        scope_word=re.compile(config["cues"]["scope_word"]),
        respectively=config["cues"]["respectively"],
    )
