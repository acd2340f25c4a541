"""Author-year citation styles: 'Sachs (2020)' in the text, '[Sachs 2020]' in the bibliography."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sphinxcontrib.bibtex.plugin
from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle


class AuthorYearLabels(BaseLabelStyle):
    """Bibliography labels such as 'Sachs 2020', 'Safran & Muran 2000', 'Eubanks et al. 2018a'."""

    def format_labels(self, sorted_entries: Any) -> Any:
        labels = [self._label(entry) for entry in sorted_entries]
        for i, label in enumerate(labels):
            same = [j for j, other in enumerate(labels) if other == label]
            yield label + ("abcdefghij"[same.index(i)] if len(same) > 1 else "")

    @staticmethod
    def _label(entry: Any) -> str:
        persons = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [" ".join(p.last_names).replace("{", "").replace("}", "") for p in persons]
        if not names:
            who = "Anon."
        elif len(names) <= 2:
            who = " & ".join(names)
        else:
            who = f"{names[0]} et al."
        return f"{who} {entry.fields.get('year', 'n.d.')}"


class AuthorYearStyle(PlainStyle):
    """The plain style, sorted by author and year, labelled author-year."""

    default_label_style = AuthorYearLabels


def _round() -> BracketStyle:
    return BracketStyle(left="(", right=")", sep="; ")


@dataclass
class RoundAuthorYearReferences(AuthorYearReferenceStyle):
    """In-text citations as 'Sachs (2020)' and '(Safran & Muran, 2000; Sachs, 2020)'."""

    bracket_textual: BracketStyle = field(default_factory=_round)
    bracket_parenthetical: BracketStyle = field(default_factory=_round)
    bracket_author: BracketStyle = field(default_factory=_round)
    bracket_label: BracketStyle = field(default_factory=_round)
    bracket_year: BracketStyle = field(default_factory=_round)


register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)
sphinxcontrib.bibtex.plugin.register_plugin(
    "sphinxcontrib.bibtex.style.referencing", "author_year_round", RoundAuthorYearReferences
)
