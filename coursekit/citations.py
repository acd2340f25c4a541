"""APA-like author-year citations: 'Sachs (2020)' in the text, APA 7 reference entries in the bibliography.

Two styles are registered under the names the book's _config.yml uses:

* the pybtex formatting style ``authoryear`` (``bibtex_default_style``) sorts the bibliography by
  author list, year and title, gives each entry a label such as 'Eubanks et al. 2018a' and formats
  it as APA 7 does: 'Eubanks, C. F., Muran, J. C., & Safran, J. D. (2018a). Title. *Journal*,
  *55*(4), 508–519. https://doi.org/...';
* the sphinxcontrib-bibtex referencing style ``author_year_round`` (``bibtex_reference_style``)
  writes 'Sachs (2020)', '(Sachs, 2020; Safran and Muran, 2000)' and, without brackets, 'Sachs, 2020'
  ('et al.' in roman, as APA sets it). Several works in one citation come in the order of the list,
  which is APA's order too (that is sphinxcontrib-bibtex's doing).

The year in the text is read from the label the bibliography gave the entry, so the letters that
tell two works apart ('2018a', '2018b') are the same in the text and in the list. A letter is given
whenever two cited works would otherwise be cited alike in the text (same cited authors, same year),
in the order of the list. The label itself is for anchors and tools; the stylesheet hides it, so an
entry visibly begins with its authors, as an APA reference list does.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any, Iterable, Iterator

import sphinxcontrib.bibtex.plugin
from pybtex.plugin import find_plugin, register_plugin
from pybtex.richtext import BaseMultipartText, HRef, Protected, String, Tag, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import FieldIsMissing, first_of, node, optional, tag
from sphinxcontrib.bibtex.style.referencing import BracketStyle, GroupReferenceStyle, PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.referencing.basic_author_year import (
    BasicAuthorYearParentheticalReferenceStyle,
    BasicAuthorYearTextualReferenceStyle,
)
from sphinxcontrib.bibtex.style.referencing.extra_author import ExtraAuthorReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_empty import ExtraEmptyReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_label import ExtraLabelReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_year import ExtraYearReferenceStyle
from sphinxcontrib.bibtex.style.template import join, join2, names, post_text, pre_text, reference

NDASH = "\u2013"
MONTHS = {m[:3].lower(): m for m in (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December")}
EMPHASIS = {"emph", "textit", "textsl", "mkbibemph", "em", "it", "itshape", "sl"}
STRONG = {"textbf", "mkbibbold", "bf", "bfseries"}
_COMMAND_AT_END = re.compile(r"\\([A-Za-z]+)\s*$")
_SWITCH_AT_START = re.compile(r"^\\([A-Za-z]+)\b\s*")
_ANY_COMMAND = re.compile(r"\\([A-Za-z]+\s*|.)")


# ---------------------------------------------------------------------------------------------
# BibTeX markup: \emph{...} becomes italics; no brace or backslash reaches the page
# ---------------------------------------------------------------------------------------------

def _strip_commands(s: str) -> str:
    """Drop any LaTeX command latexcodec left (its argument, in braces, is kept elsewhere)."""
    return _ANY_COMMAND.sub("", s).replace("{", "").replace("}", "")


def _wrap(command: str, parts: list[Any]) -> list[Any]:
    if command in EMPHASIS:
        return [Tag("em", *parts)]
    if command in STRONG:
        return [Tag("strong", *parts)]
    return parts  # \textsc{...}, \mbox{...}, \url{...}: keep the words


def _markup_parts(parts: Iterable[Any]) -> list[Any]:
    parts = list(parts)
    out: list[Any] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        if isinstance(part, String):
            value = part.value
            m = _COMMAND_AT_END.search(value)
            if m and i + 1 < len(parts) and isinstance(parts[i + 1], Protected):
                # \emph{When Hurt Remains} is parsed as '\emph ' followed by a protected group
                before = _strip_commands(value[: m.start()])
                if before:
                    out.append(String(before))
                out.extend(_wrap(m.group(1), _markup_parts(parts[i + 1].parts)))
                i += 2
                continue
            cleaned = _strip_commands(value)
            if cleaned:
                out.append(String(cleaned))
        elif isinstance(part, Protected):
            inner = list(part.parts)
            first = inner[0] if inner else None
            m = _SWITCH_AT_START.match(first.value) if isinstance(first, String) else None
            if m:  # {\em When Hurt Remains}
                rest = first.value[m.end():]
                inner = ([String(rest)] if rest else []) + inner[1:]
                out.extend(_wrap(m.group(1), _markup_parts(inner)) if m.group(1) in EMPHASIS | STRONG
                           else [Protected(*_markup_parts(inner))])
            else:
                out.append(Protected(*_markup_parts(inner)))
        elif isinstance(part, Tag):
            out.append(Tag(part.name, *_markup_parts(part.parts)))
        elif isinstance(part, HRef):
            out.append(HRef(part.url, *_markup_parts(part.parts)))
        elif isinstance(part, BaseMultipartText):
            out.append(type(part)(*_markup_parts(part.parts)))
        else:
            out.append(part)
        i += 1
    return out


def rich(latex: str) -> Text:
    """A BibTeX field as rich text: accents and dashes decoded, \\emph{...} in italics, no markup left."""
    return Text(*_markup_parts(Text.from_latex(latex).parts))


_BACKEND: list[Any] = []


def _as_text(text: Any) -> str:
    """Plain text of rich text (``render_as`` looks its backend up in the entry points each time)."""
    if not _BACKEND:
        _BACKEND.append(find_plugin("pybtex.backends", "text")())
    return text.render(_BACKEND[0])


def plain(latex: str) -> str:
    """A BibTeX field as plain text, for labels and sorting."""
    return re.sub(r"\s+", " ", _as_text(rich(latex))).strip()


def _fold(s: str) -> str:
    """Sort key for text: no accents, no case, no punctuation other than spaces."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^\w ]+", "", s.casefold()).strip()


# ---------------------------------------------------------------------------------------------
# Names, years and the label both lists share
# ---------------------------------------------------------------------------------------------

def _rich_parts(texts: Iterable[Text]) -> list[Text]:
    return [Text(*_markup_parts(t.parts)) for t in texts]


def surname(person: Any) -> Text:
    """'Rolef Ben-Shahar', 'de Jong', 'British Association for Counselling and Psychotherapy'."""
    return Text(" ").join(_rich_parts(person.rich_prelast_names + person.rich_last_names))


_LINEAGE = re.compile(r"^(jr|sr|ii|iii|iv|v)\.?$", re.I)


def _given_and_lineage(person: Any) -> tuple[list[Text], list[Text]]:
    """Given names and lineage ('Jr.'). BibTeX writes 'Lane, Jr., William B.'; an entry written
    'Lane, William B., Jr.' is read by pybtex with the two swapped, so swap them back."""
    given = _rich_parts(person.rich_first_names + person.rich_middle_names)
    lineage = _rich_parts(person.rich_lineage_names)
    if lineage and given and all(_LINEAGE.match(_as_text(g)) for g in given) \
            and not any(_LINEAGE.match(_as_text(x)) for x in lineage):
        given, lineage = lineage, given
    return given, lineage


def initials(person: Any) -> Text:
    """'J. C.' for 'J. Christopher', 'J.-P.' for 'Jean-Paul'."""
    given, _ = _given_and_lineage(person)
    return Text(" ").join([g.abbreviate() for g in given if g])


def _lineage(person: Any) -> Text:
    return Text(" ").join(_given_and_lineage(person)[1])


def name_inverted(person: Any) -> Text:
    """'Safran, J. D.', 'Worthington, E. L., Jr.'; a group author as it is written."""
    result = surname(person)
    if initials(person):
        result = Text(result, ", ", initials(person))
    if _lineage(person):
        result = Text(result, ", ", _lineage(person))
    return result


def name_direct(person: Any) -> Text:
    """'M. J. Lambert', as editors of a book are named in a chapter's entry."""
    pieces = [initials(person), surname(person)]
    result = Text(" ").join([p for p in pieces if p])
    if _lineage(person):
        result = Text(result, ", ", _lineage(person))
    return result


def name_list(formatted: list[Text]) -> Text:
    """APA 7: 'A', 'A, & B', 'A, B, & C'; from 21 names, the first 19, '. . .' and the last."""
    if len(formatted) <= 1:
        return Text(*formatted)
    if len(formatted) > 20:
        return Text(Text(", ").join(formatted[:19]), ", . . . ", formatted[-1])
    return Text(Text(", ").join(formatted[:-1]), ", & ", formatted[-1])


def name_list_direct(formatted: list[Text]) -> Text:
    """Editors in a chapter's entry: 'A', 'A & B', 'A, B, & C'."""
    if len(formatted) == 2:
        return Text(formatted[0], " & ", formatted[1])
    return name_list(formatted)


def year_of(entry: Any) -> str:
    """The entry's year as printed: '2018', 'in press', or 'n.d.' when it has none."""
    year = entry.fields.get("year", "")
    return plain(year) if year.strip() else "n.d."


def cited_authors(entry: Any) -> str:
    """Who the text names: 'Sachs', 'Safran & Muran', 'Eubanks et al.'; a work without author or
    editor by its ``key`` field (an Act's short title) or its title."""
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    last = [_as_text(surname(p)) for p in persons]
    if not last:
        return plain(entry.fields.get("key") or entry.fields.get("title") or entry.key)
    if len(last) <= 2:
        return " & ".join(last)
    return f"{last[0]} et al."


def _letters(n: int) -> str:
    """0 -> 'a', 25 -> 'z', 26 -> 'aa'."""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def dated(year: str, index: int) -> str:
    """'2018a', or 'n.d.-a' and 'in press-a' as APA writes them."""
    return year + ("" if year[-1:].isdigit() else "-") + _letters(index)


def label_year(label: str, entry: Any) -> str:
    """The year with its letter, read back from a label 'Eubanks et al. 2018a' (whatever prefix
    the bibliography directive put before it), so text and list always agree."""
    year = year_of(entry)
    at = label.rfind(" " + year)
    return label[at + 1:] if at >= 0 else year


class AuthorYearLabels(BaseLabelStyle):
    """Labels 'Sachs 2020', 'Safran & Muran 2000', 'Eubanks et al. 2018a': works that the text would
    cite alike get letters a, b, ... in the order of the (sorted) bibliography."""

    def format_labels(self, sorted_entries: Any) -> Iterator[str]:
        entries = list(sorted_entries)
        bases = [(cited_authors(e), year_of(e)) for e in entries]
        counts = Counter(bases)
        seen: Counter = Counter()
        for base in bases:
            who, year = base
            if counts[base] > 1:
                yield f"{who} {dated(year, seen[base])}"
                seen[base] += 1
            else:
                yield f"{who} {year}"


# ---------------------------------------------------------------------------------------------
# Sorting: first author's surname (and initials), the other authors, year, title
# ---------------------------------------------------------------------------------------------

_ARTICLE = re.compile(r"^(a|an|the)\s+", re.I)


def _title_key(entry: Any) -> str:
    return _fold(_ARTICLE.sub("", plain(entry.fields.get("title", ""))))


def _year_key(entry: Any) -> tuple:
    year = year_of(entry)
    m = re.match(r"\d+", year)
    if m:
        return (1, int(m.group()), year)
    if year == "n.d.":
        return (0, 0, "")
    return (2, 0, _fold(year))  # 'in press' after the dated works


class AuthorYearTitleSorting(BaseSortingStyle):
    """APA order. A one-author work precedes the works that author wrote with others; a work without
    author or editor is filed under its short title (``key``) or its title, ignoring 'A', 'An', 'The'."""

    def sorting_key(self, entry: Any) -> tuple:
        persons = entry.persons.get("author") or entry.persons.get("editor") or []
        if persons:
            who = tuple((_fold(_as_text(surname(p))), _fold(_as_text(initials(p))))
                        for p in persons)
        else:
            short = entry.fields.get("key") or entry.fields.get("title", "")
            who = ((_fold(_ARTICLE.sub("", plain(short))), ""),)
        return (who, _year_key(entry), _title_key(entry), entry.key)


# ---------------------------------------------------------------------------------------------
# The reference entry
# ---------------------------------------------------------------------------------------------

def _pages(entry: Any) -> Text | None:
    pages = entry.fields.get("pages", "").strip()
    if not pages:
        return None
    open_range = re.fullmatch(r"(\w+)\s*(-+|\u2013|\u2014)", pages)
    if open_range:  # only the first page is known ("549--"): say so rather than print a dangling dash
        return Text(String(f"{open_range.group(1)} ff."))
    return Text(*[p if not isinstance(p, String) else String(re.sub(r"\s*(-+|\u2013|\u2014)\s*", NDASH, p.value))
                  for p in rich(pages).parts])


def _is_range(entry: Any) -> bool:
    return bool(re.search(r"[-\u2013,]", entry.fields.get("pages", "").strip().rstrip("-\u2013\u2014")))


def _ordinal(edition: str) -> str:
    if edition.isdigit():
        n = int(edition)
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    return edition


def _field(entry: Any, name: str) -> Text | None:
    value = entry.fields.get(name, "")
    return rich(value) if value.strip() else None


def _sentence(*parts: Any) -> Text | None:
    """Join the parts that exist and end with a full stop (not after '?' or '!')."""
    present = [p for p in parts if p]
    if not present:
        return None
    return Text(*present).add_period()


class AuthorYearStyle(BaseStyle):
    """APA 7-like reference entries, sorted by author, year and title, labelled author-year.

    Authors 'Surname, I. I.' ('Safran, J. D., & Muran, J. C.'), then '(2018a).', the title (plain for
    a part of something, italic for a book, report, manual or thesis), the source ('*Journal*,
    *6*(2), 54–60.', 'Publisher.', 'In I. Editor (Ed.), *Book* (pp. x–y). Publisher.'), any note, and
    the DOI as https://doi.org/... or else the URL. Place of publication, series and ISBN are left
    out, as APA 7 does."""

    default_label_style = AuthorYearLabels
    default_sorting_style = AuthorYearTitleSorting

    PART_TYPES = {"article", "incollection", "inbook", "inproceedings", "conference", "misc", "unpublished"}
    THESES = {"phdthesis": "Doctoral thesis", "mastersthesis": "Master's thesis"}

    def format_entry(self, label: str, entry: Any, bib_data: Any = None) -> FormattedEntry:
        blocks = [
            self._responsibility(entry),
            self._date(label, entry),
            self._title(entry),
            self._source(entry),
            self._note(entry),
            self._link(entry),
        ]
        text = Text(" ").join([b for b in blocks if b])
        return FormattedEntry(entry.key, text, label)

    KNOWN = PART_TYPES | set(THESES) | {"book", "booklet", "proceedings", "manual", "techreport"}

    def _kind(self, entry: Any) -> str:
        """The entry type as formatted: an @inbook without booktitle is a book; an unknown type
        with a journal is an article."""
        if entry.type == "inbook" and not entry.fields.get("booktitle"):
            return "book"
        if entry.type not in self.KNOWN and entry.fields.get("journal"):
            return "article"
        return entry.type

    # -- who and when ---------------------------------------------------------------------------

    def _responsibility(self, entry: Any) -> Text | None:
        if entry.persons.get("author"):
            return _sentence(name_list([name_inverted(p) for p in entry.persons["author"]]))
        editors = entry.persons.get("editor")
        if editors:
            role = "(Eds.)" if len(editors) > 1 else "(Ed.)"
            return Text(name_list([name_inverted(p) for p in editors]), " ", role, ".")
        return self._title(entry, moved=True)  # APA: the title moves to the author's place

    def _date(self, label: str, entry: Any) -> Text:
        when = label_year(label, entry)
        month = entry.fields.get("month", "").strip()
        if month:
            month = plain(month)
            name = list(MONTHS.values())[int(month) - 1] if month.isdigit() and 1 <= int(month) <= 12 \
                else MONTHS.get(month[:3].lower(), month)
            day = entry.fields.get("day", "").strip()
            when += f", {name}" + (f" {plain(day)}" if day else "")
        return Text(f"({when}).")

    # -- what -----------------------------------------------------------------------------------

    def _title(self, entry: Any, moved: bool = False) -> Text | None:
        """The title and what APA puts right after it: '(6th ed.)', '(A. Goldberg, Ed.)',
        '[Doctoral thesis, University]'."""
        no_author = not (entry.persons.get("author") or entry.persons.get("editor"))
        if no_author and not moved:
            return None  # already in the author's place
        title = _field(entry, "title")
        if title is None:
            return None
        standalone = self._kind(entry) not in self.PART_TYPES
        if standalone:
            title = Text(Tag("em", title))
        after: list[Any] = []
        if standalone:
            bits = []
            if entry.persons.get("author") and entry.persons.get("editor"):
                eds = entry.persons["editor"]
                bits.append(Text(name_list_direct([name_direct(p) for p in eds]),
                                 ", Eds." if len(eds) > 1 else ", Ed."))
            edition = entry.fields.get("edition", "").strip()
            if edition:
                bits.append(Text(_ordinal(plain(edition)), " ed."))
            if entry.fields.get("volume", "").strip() and not entry.fields.get("series", "").strip():
                bits.append(Text("Vol. ", rich(entry.fields["volume"])))  # not a number in a series
            if entry.type == "techreport" and entry.fields.get("number", "").strip():
                bits.append(Text("Report No. ", rich(entry.fields["number"])))
            if bits:
                after.append(Text(" (", Text("; ").join(bits), ")"))
        if entry.type in self.THESES:
            kind = plain(entry.fields.get("type", "")) or self.THESES[entry.type]
            school = _field(entry, "school")
            after.append(Text(" [", kind, ", ", school, "]") if school else Text(" [", kind, "]"))
        return _sentence(title, *after)

    # -- where ----------------------------------------------------------------------------------

    def _publisher(self, entry: Any, *names: str) -> Text | None:
        """The publisher, left out when it is the (group) author, as APA does."""
        authors = {_fold(_as_text(surname(p))) for p in entry.persons.get("author", [])}
        for name in names:
            value = _field(entry, name)
            if value is not None and _fold(_as_text(value)) not in authors:
                return _sentence(value)
        return None

    def _source(self, entry: Any) -> Text | None:
        kind = self._kind(entry)
        if kind == "article":  # also a magazine, a newsletter
            journal = _field(entry, "journal")
            volume = _field(entry, "volume")
            number = _field(entry, "number")
            pages = _pages(entry)
            parts: list[Any] = [Tag("em", journal)] if journal else []
            if volume:
                parts += [", " if parts else "", Tag("em", volume)]
                if number:
                    parts += ["(", number, ")"]
            elif number:
                parts += [", " if parts else "", "No. ", number]
            if pages:
                parts += [", " if parts else "", pages]
            return _sentence(*parts)
        if kind in ("incollection", "inbook", "inproceedings", "conference"):
            book = _field(entry, "booktitle")
            editors = entry.persons.get("editor")
            parts = ["In "]
            if editors:
                parts += [name_list_direct([name_direct(p) for p in editors]),
                          " (Eds.)" if len(editors) > 1 else " (Ed.)", ", " if book else ""]
            if book:
                parts.append(Tag("em", book))
            bits = []
            edition = entry.fields.get("edition", "").strip()
            if edition:
                bits.append(Text(_ordinal(plain(edition)), " ed."))
            if entry.fields.get("volume", "").strip():
                bits.append(Text("Vol. ", rich(entry.fields["volume"])))
            pages = _pages(entry)
            if pages:
                bits.append(Text("pp. " if _is_range(entry) else "p. ", pages))
            if bits:
                parts.append(Text(" (", Text(", ").join(bits), ")"))
            return Text(" ").join([t for t in (_sentence(*parts) if book or editors else None,
                                               self._publisher(entry, "publisher", "organization")) if t]) or None
        if kind in self.THESES:
            return None
        if kind in ("manual", "techreport"):
            return self._publisher(entry, "institution", "organization", "publisher")
        if kind in ("book", "booklet", "proceedings"):
            return self._publisher(entry, "publisher", "organization", "institution")
        # misc, unpublished and anything else: how it was published, then a publisher if any
        found = [t for t in (_sentence(_field(entry, "howpublished")),
                             self._publisher(entry, "publisher", "organization", "institution")) if t]
        return Text(" ").join(found) if found else None

    def _note(self, entry: Any) -> Text | None:
        note = entry.fields.get("note", "").strip()
        if not note:
            return None
        if entry.type in self.THESES and _fold(plain(note)) == _fold(
                plain(entry.fields.get("type", "")) or self.THESES[entry.type]):
            return None  # 'Doctoral thesis' is already in brackets after the title
        return _sentence(rich(note))

    def _link(self, entry: Any) -> Text | None:
        doi = entry.fields.get("doi", "").strip()
        if doi:
            doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.I)
            url = "https://doi.org/" + doi
            return Text(HRef(url, url))
        url = entry.fields.get("url", "").strip()
        if url:
            url = re.sub(r"^\\url\{(.*)\}$", r"\1", url)
            return Text(HRef(url, url))
        return None


# ---------------------------------------------------------------------------------------------
# In-text citations
# ---------------------------------------------------------------------------------------------

@node
def cited_year(children: Any, data: dict) -> Text:
    """The year with its letter, taken from the label of the entry in the bibliography."""
    assert not children
    return Text(label_year(data["formatted_entry"].label, data["entry"]))


@node
def rich_field(children: Any, data: dict, name: str) -> Text:
    """A field of the entry as :func:`rich` text (pybtex's ``field`` would keep '\\emph')."""
    assert not children
    value = data["entry"].fields.get(name, "")
    if not value.strip():
        raise FieldIsMissing(name, data["entry"])
    return rich(value)


def cited_names(person: PersonStyle, full: bool) -> Any:
    """Authors, else editors, else an Act's short title (``key``), else the title in italics."""
    other = None if full else person.other
    kwargs = dict(sep=person.sep, sep2=person.sep2, last_sep=person.last_sep, other=other)
    return first_of[
        optional[names("author", **kwargs)],
        optional[names("editor", **kwargs)],
        optional[rich_field("key")],
        tag("em")[rich_field("title")],
    ]


@dataclass
class LabelYearParenthetical(BasicAuthorYearParentheticalReferenceStyle):
    """'(Eubanks et al., 2018a)', and without brackets for the 'al' roles."""

    def inner(self, role_name: str) -> Any:
        return join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
            pre_text,
            reference[join(sep=self.author_year_sep)[cited_names(self.person, "s" in role_name), cited_year]],
            post_text,
        ]


@dataclass
class LabelYearTextual(BasicAuthorYearTextualReferenceStyle):
    """'Eubanks et al. (2018a)'."""

    def inner(self, role_name: str) -> Any:
        return join(sep=self.text_reference_sep)[
            cited_names(self.person, "s" in role_name),
            join[
                self.bracket.left,
                join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[pre_text, reference[cited_year], post_text],
                self.bracket.right,
            ],
        ]


@dataclass
class LabelYear(ExtraYearReferenceStyle):
    """':cite:year:' as '2018a'."""

    def inner(self, role_name: str) -> Any:
        return reference[cited_year]


@dataclass
class LabelAuthor(ExtraAuthorReferenceStyle):
    """':cite:author:' with the same fallbacks as the other roles."""

    def inner(self, role_name: str) -> Any:
        return reference[cited_names(self.person, "s" in role_name)]


def _round() -> BracketStyle:
    return BracketStyle(left="(", right=")", sep="; ")


def _persons() -> PersonStyle:
    return PersonStyle(other=" et al.")  # APA sets 'et al.' in roman


@dataclass
class RoundAuthorYearReferences(AuthorYearReferenceStyle):
    """In-text citations as 'Sachs (2020)', '(Sachs, 2020; Safran and Muran, 2000)' and, for
    ':cite:alp:', 'Sachs, 2020'; the year and its letter come from the bibliography's label."""

    bracket_textual: BracketStyle = dc_field(default_factory=_round)
    bracket_parenthetical: BracketStyle = dc_field(default_factory=_round)
    bracket_author: BracketStyle = dc_field(default_factory=_round)
    bracket_label: BracketStyle = dc_field(default_factory=_round)
    bracket_year: BracketStyle = dc_field(default_factory=_round)
    person: PersonStyle = dc_field(default_factory=_persons)

    def __post_init__(self) -> None:
        self.styles.extend([
            LabelYearParenthetical(bracket=self.bracket_parenthetical, person=self.person,
                                   author_year_sep=self.author_year_sep, pre_text_sep=self.pre_text_sep,
                                   post_text_sep=self.post_text_sep),
            LabelYearTextual(bracket=self.bracket_textual, person=self.person,
                             text_reference_sep=self.text_reference_sep, pre_text_sep=self.pre_text_sep,
                             post_text_sep=self.post_text_sep),
            LabelAuthor(bracket=self.bracket_author, person=self.person),
            ExtraLabelReferenceStyle(bracket=self.bracket_label),
            LabelYear(bracket=self.bracket_year),
            ExtraEmptyReferenceStyle(),
        ])
        GroupReferenceStyle.__post_init__(self)  # not AuthorYearReferenceStyle's: it would add its own


register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)
sphinxcontrib.bibtex.plugin.register_plugin(
    "sphinxcontrib.bibtex.style.referencing", "author_year_round", RoundAuthorYearReferences
)


def _remember_entry_points() -> None:
    """pybtex and sphinxcontrib-bibtex look up their plugins' entry points again for every citation
    (about 10 ms a time, seconds per build): the installed entry points do not change during a
    build, so remember each answer."""
    import functools
    import importlib.metadata

    import pybtex.plugin

    cached = functools.cache(importlib.metadata.entry_points)
    pybtex.plugin.entry_points = cached
    sphinxcontrib.bibtex.plugin.entry_points = cached


_remember_entry_points()
