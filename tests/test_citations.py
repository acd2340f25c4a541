"""The bibliography as psychology trainees expect it: APA-like entries, APA order, and letters
(2018a, 2018b) that are the same in the text and in the list.

A small Sphinx project is built once, in a temporary folder, with sphinxcontrib-bibtex and the
course's two styles (coursekit.citations), and its HTML is read back. The expected strings are
written out by hand."""

from __future__ import annotations

import html as htmllib
import re
from io import StringIO
from pathlib import Path

import pytest
from pybtex.database import parse_string
from pybtex.plugin import find_plugin
from sphinx.testing.util import SphinxTestApp

import coursekit.citations  # noqa: F401  (registers the styles)

REPO = Path(__file__).resolve().parent.parent

BIB = r"""
@article{eubanks2018working,
  author  = {Eubanks, Catherine F. and Muran, J. Christopher and Safran, Jeremy D.},
  title   = {Working with ruptures: A second paper for the test},
  journal = {Journal of Test Data},
  volume  = {3},
  pages   = {1--10},
  year    = {2018}
}

@article{eubanks2018alliance,
  author  = {Eubanks, Catherine F. and Muran, J. Christopher and Safran, Jeremy D.},
  title   = {Alliance rupture repair: A meta-analysis},
  journal = {Psychotherapy},
  volume  = {55},
  number  = {4},
  pages   = {508--519},
  year    = {2018},
  doi     = {10.1037/pst0000185}
}

@article{rolefbenshahar2016column,
  author  = {Rolef Ben-Shahar, Asaf},
  title   = {Reflection on \emph{When Hurt Remains: Relational Perspectives on Therapeutic Failure}},
  journal = {Somatic Psychotherapy Today},
  volume  = {6},
  number  = {2},
  year    = {2016},
  note    = {Summer 2016 issue}
}

@book{rolefbenshahar2016when,
  editor    = {Rolef Ben-Shahar, Asaf and Shalit, Rachel},
  title     = {When Hurt Remains: Relational Perspectives on Therapeutic Failure},
  publisher = {Karnac},
  address   = {London},
  year      = {2016}
}

@incollection{lambert2013efficacy,
  author    = {Lambert, Michael J.},
  title     = {The efficacy and effectiveness of psychotherapy},
  editor    = {Lambert, Michael J.},
  booktitle = {Bergin and Garfield's Handbook of Psychotherapy and Behavior Change},
  edition   = {6th},
  pages     = {169--218},
  publisher = {Wiley},
  address   = {Hoboken, NJ},
  year      = {2013}
}

@book{casement1985learning,
  author    = {Casement, Patrick},
  title     = {On Learning from the Patient},
  publisher = {Tavistock},
  address   = {London},
  year      = {1985}
}

@book{safran2000negotiating,
  author    = {Safran, Jeremy D. and Muran, J. Christopher},
  title     = {Negotiating the Therapeutic Alliance: A Relational Treatment Guide},
  publisher = {Guilford Press},
  address   = {New York},
  year      = {2000}
}

@misc{sachs2020importance,
  author       = {Sachs, Brad E.},
  title        = {On the importance of treatment failure},
  howpublished = {PESI UK blog},
  year         = {2020},
  month        = {jan},
  url          = {https://www.pesi.co.uk/blog/2020/january/on-the-importance-of-treatment-failure}
}

@phdthesis{symons2012complaints,
  author = {Symons, Clare Mary},
  title  = {Complaints and Complaining in Counselling and Psychotherapy},
  school = {University of Leicester},
  year   = {2012},
  url    = {https://lra.le.ac.uk/handle/2381/27640}
}

@misc{ukpga2006compensation,
  key          = {Compensation Act 2006},
  title        = {Compensation Act 2006, section 2 (Apologies, offers of treatment or other redress)},
  howpublished = {2006 c. 29},
  year         = {2006},
  url          = {https://www.legislation.gov.uk/ukpga/2006/29/section/2}
}

@book{notcited2099,
  author    = {Nobody, Ann},
  title     = {A Book Nobody Cites},
  publisher = {Nowhere Press},
  year      = {2099}
}
"""

CONF = """\
import coursekit.citations  # registers the course's styles

project = "citations test"
extensions = ["sphinxcontrib.bibtex"]
bibtex_bibfiles = ["references.bib"]
bibtex_reference_style = "author_year_round"
bibtex_default_style = "authoryear"
"""

INDEX = """\
Reading
=======

T1 :cite:t:`sachs2020importance`.

T2 :cite:p:`safran2000negotiating,sachs2020importance`.

T3 as :cite:alp:`sachs2020importance` argues.

T4 :cite:t:`eubanks2018working` and :cite:t:`eubanks2018alliance`.

T5 :cite:p:`eubanks2018alliance`.

T6 :cite:t:`rolefbenshahar2016column` on :cite:t:`rolefbenshahar2016when`.

T7 :cite:p:`lambert2013efficacy,casement1985learning,symons2012complaints`.

T8 :cite:p:`ukpga2006compensation`.

T9 :cite:year:`eubanks2018alliance`.

.. toctree::

   bibliography
"""

BIBLIOGRAPHY = """\
Bibliography
============

.. bibliography::
"""

# The whole list, in order, as a reader sees it (the hidden label left out).
EXPECTED = [
    "Casement, P. (1985). On Learning from the Patient. Tavistock.",
    "Compensation Act 2006, section 2 (Apologies, offers of treatment or other redress). (2006). 2006 c. 29. "
    "https://www.legislation.gov.uk/ukpga/2006/29/section/2",
    "Eubanks, C. F., Muran, J. C., & Safran, J. D. (2018a). Alliance rupture repair: A meta-analysis. "
    "Psychotherapy, 55(4), 508\u2013519. https://doi.org/10.1037/pst0000185",
    "Eubanks, C. F., Muran, J. C., & Safran, J. D. (2018b). Working with ruptures: A second paper for the test. "
    "Journal of Test Data, 3, 1\u201310.",
    "Lambert, M. J. (2013). The efficacy and effectiveness of psychotherapy. In M. J. Lambert (Ed.), "
    "Bergin and Garfield's Handbook of Psychotherapy and Behavior Change (6th ed., pp. 169\u2013218). Wiley.",
    "Rolef Ben-Shahar, A. (2016). Reflection on When Hurt Remains: Relational Perspectives on Therapeutic Failure. "
    "Somatic Psychotherapy Today, 6(2). Summer 2016 issue.",
    "Rolef Ben-Shahar, A., & Shalit, R. (Eds.). (2016). When Hurt Remains: Relational Perspectives on "
    "Therapeutic Failure. Karnac.",
    "Sachs, B. E. (2020, January). On the importance of treatment failure. PESI UK blog. "
    "https://www.pesi.co.uk/blog/2020/january/on-the-importance-of-treatment-failure",
    "Safran, J. D., & Muran, J. C. (2000). Negotiating the Therapeutic Alliance: A Relational Treatment Guide. "
    "Guilford Press.",
    "Symons, C. M. (2012). Complaints and Complaining in Counselling and Psychotherapy "
    "[Doctoral thesis, University of Leicester]. https://lra.le.ac.uk/handle/2381/27640",
]


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


class Page:
    def __init__(self, path: Path) -> None:
        self.html = path.read_text(encoding="utf-8")
        self.text = text_of(self.html)


class Built:
    def __init__(self, out: Path, warnings: str) -> None:
        self.index = Page(out / "index.html")
        self.bib = Page(out / "bibliography.html")
        self.warnings = warnings
        # each entry of the list: (id, label, the entry's HTML)
        self.entries = re.findall(
            r'<div class="citation" id="([^"]+)"[^>]*>\s*<span class="label">(.*?)</span>\s*<p>(.*?)</p>\s*</div>',
            self.bib.html, re.S)

    def entry(self, starts: str) -> str:
        found = [html for _, _, html in self.entries if text_of(html).startswith(starts)]
        assert len(found) == 1, (starts, [text_of(h) for _, _, h in self.entries])
        return found[0]

    def sentence(self, tag: str) -> str:
        """The text of the paragraph of index.rst that begins with *tag* (T1, T2, ...)."""
        m = re.search(rf"<p>{tag} (.*?)</p>", self.index.html, re.S)
        assert m, tag
        return text_of(m.group(1))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    src = tmp_path_factory.mktemp("citations")
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "references.bib").write_text(BIB, encoding="utf-8")
    (src / "index.rst").write_text(INDEX, encoding="utf-8")
    (src / "bibliography.rst").write_text(BIBLIOGRAPHY, encoding="utf-8")
    warning = StringIO()
    app = SphinxTestApp("html", srcdir=src, status=StringIO(), warning=warning, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    return Built(Path(app.outdir), warning.getvalue())


def test_the_build_is_clean(built: Built) -> None:
    assert "WARNING" not in built.warnings and "ERROR" not in built.warnings, built.warnings


def test_entries_are_apa_like_and_in_apa_order(built: Built) -> None:
    assert [text_of(html) for _, _, html in built.entries] == EXPECTED


def test_no_bibtex_markup_is_left(built: Built) -> None:
    for _, label, html in built.entries:
        assert not re.search(r"[{}\\]", text_of(label) + text_of(html)), html
    for tag in ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"):
        assert not re.search(r"[{}\\]", built.sentence(tag)), built.sentence(tag)


def test_same_authors_same_year_get_letters_that_match_the_text(built: Built) -> None:
    labels = [text_of(label) for _, label, _ in built.entries]
    assert "[Eubanks et al. 2018a]" in labels and "[Eubanks et al. 2018b]" in labels
    assert built.sentence("T4") == "Eubanks et al. (2018b) and Eubanks et al. (2018a)."
    assert built.sentence("T5") == "(Eubanks et al., 2018a)."
    assert built.sentence("T9") == "2018a."
    # each in-text citation links to the entry carrying its letter
    ids = {text_of(label): ident for ident, label, _ in built.entries}
    link = re.search(r'<a [^>]*href="bibliography.html#([^"]+)"[^>]*>2018a</a>', built.index.html)
    assert link and link.group(1) == ids["[Eubanks et al. 2018a]"], built.index.html
    assert "Eubanks et al. 2018" not in [label.strip("[]") for label in labels]


def test_in_text_forms_are_kept(built: Built) -> None:
    assert built.sentence("T1") == "Sachs (2020)."
    # several works in one citation come in the order of the list, as APA has them
    assert built.sentence("T2") == "(Sachs, 2020; Safran and Muran, 2000)."
    assert built.sentence("T3") == "as Sachs, 2020 argues."
    assert built.sentence("T6") == "Rolef Ben-Shahar (2016) on Rolef Ben-Shahar and Shalit (2016)."
    assert built.sentence("T7") == "(Casement, 1985; Lambert, 2013; Symons, 2012)."
    assert built.sentence("T8") == "(Compensation Act 2006, 2006)."
    assert "<em>et al.</em>" not in built.index.html  # APA sets 'et al.' in roman


def test_titles_journals_and_volumes_are_italic_where_apa_puts_italics(built: Built) -> None:
    column = built.entry("Rolef Ben-Shahar, A. (2016).")
    # the book's title inside the column's (plain) title is italic; so are the magazine and its volume
    assert "Reflection on <em>When Hurt Remains: Relational Perspectives on Therapeutic Failure</em>." in column
    assert "<em>Somatic Psychotherapy Today</em>, <em>6</em>(2)." in column
    review_of = built.entry("Rolef Ben-Shahar, A., & Shalit, R. (Eds.). (2016).")
    assert "<em>When Hurt Remains: Relational Perspectives on Therapeutic Failure</em>. Karnac." in review_of
    article = built.entry("Eubanks, C. F., Muran, J. C., & Safran, J. D. (2018a).")
    assert "Alliance rupture repair: A meta-analysis. <em>Psychotherapy</em>, <em>55</em>(4), 508\u2013519." in article
    assert "<em>Alliance" not in article  # an article's title is not italic
    assert '<a class="reference external" href="https://doi.org/10.1037/pst0000185">' in article
    chapter = built.entry("Lambert, M. J. (2013).")
    assert ("The efficacy and effectiveness of psychotherapy. In M. J. Lambert (Ed.), <em>Bergin and Garfield's "
            "Handbook of Psychotherapy and Behavior Change</em> (6th ed., pp. 169\u2013218). Wiley.") in chapter
    book = built.entry("Casement, P. (1985).")
    assert "<em>On Learning from the Patient</em>. Tavistock." in book
    thesis = built.entry("Symons, C. M. (2012).")
    assert "<em>Complaints and Complaining in Counselling and Psychotherapy</em> [Doctoral thesis" in thesis


def test_uncited_works_are_not_listed(built: Built) -> None:
    assert "Nobody" not in built.bib.text


# ---------------------------------------------------------------------------------------------
# The formatting style on its own, without Sphinx
# ---------------------------------------------------------------------------------------------

def format_all(bibtex: str) -> list[tuple[str, str, str]]:
    """(label, plain text, HTML) for every entry, in the bibliography's order."""
    style = find_plugin("pybtex.style.formatting", "authoryear")()
    entries = style.sort(parse_string(bibtex, "bibtex").entries.values())
    return [(f.label, f.text.render_as("text"), f.text.render_as("html"))
            for f in (style.format_entry(label, e) for label, e in zip(style.format_labels(entries), entries))]


def test_works_the_text_would_cite_alike_get_letters_in_list_order() -> None:
    bib = BIB + r"""
@article{eubanks2018clinical,
  author  = {Eubanks, Catherine F. and Burckell, Lisa A. and Goldfried, Marvin R.},
  title   = {Clinical consensus strategies to repair ruptures in the therapeutic alliance},
  journal = {Journal of Psychotherapy Integration},
  volume  = {28},
  number  = {1},
  pages   = {60--76},
  year    = {2018}
}
"""
    formatted = format_all(bib)
    eubanks = [(label, text) for label, text, _ in formatted if label.startswith("Eubanks")]
    # 'Eubanks et al. (2018)' would name all three: letters follow the list, which goes by co-authors
    assert [label for label, _ in eubanks] == ["Eubanks et al. 2018a", "Eubanks et al. 2018b", "Eubanks et al. 2018c"]
    assert eubanks[0][1].startswith("Eubanks, C. F., Burckell, L. A., & Goldfried, M. R. (2018a). Clinical")
    assert eubanks[1][1].startswith("Eubanks, C. F., Muran, J. C., & Safran, J. D. (2018b). Alliance")
    assert eubanks[2][1].startswith("Eubanks, C. F., Muran, J. C., & Safran, J. D. (2018c). Working")


def test_names_accents_group_authors_and_juniors() -> None:
    bib = r"""
@article{a, author = {Lambert, Michael J. and Whipple, J. L. and Kleinst{\"a}uber, M.},
  title = {Collecting and delivering progress feedback}, journal = {Psychotherapy}, year = {2018}}
@manual{b, author = {{British Association for Counselling and Psychotherapy}},
  title = {Ethical Framework for the Counselling Professions},
  organization = {British Association for Counselling and Psychotherapy}, year = {2018}}
@article{c, author = {Hook, Joshua N. and Worthington, Jr., Everett L.}, title = {Cultural humility},
  journal = {Journal of Counseling Psychology}, year = {2013}}
@article{d, author = {Lane, William B., Jr.}, title = {Integration}, journal = {Teaching and Supervision in Counseling},
  pages = {Article 4}, volume = {2}, number = {1}, year = {2020}}
@book{e, author = {Kohut, Heinz}, editor = {Goldberg, Arnold}, title = {How Does Analysis Cure?},
  publisher = {University of Chicago Press}, year = {1984}}
"""
    texts = [text for _, text, _ in format_all(bib)]
    assert texts == [
        "British Association for Counselling and Psychotherapy. (2018). Ethical Framework for the Counselling "
        "Professions.",
        "Hook, J. N., & Worthington, E. L., Jr. (2013). Cultural humility. Journal of Counseling Psychology.",
        "Kohut, H. (1984). How Does Analysis Cure? (A. Goldberg, Ed.). University of Chicago Press.",
        "Lambert, M. J., Whipple, J. L., & Kleinst\u00e4uber, M. (2018). Collecting and delivering progress feedback. "
        "Psychotherapy.",
        "Lane, W. B., Jr. (2020). Integration. Teaching and Supervision in Counseling, 2(1), Article 4.",
    ]


def test_a_range_whose_end_page_is_not_known_does_not_dangle() -> None:
    bib = r"""
@article{a, author = {Chemtob, C. M.}, title = {Patients' suicides}, journal = {American Journal of Psychiatry},
  volume = {145}, number = {2}, pages = {224--}, year = {1988}}
@incollection{b, author = {Eubanks, Catherine F.}, title = {Repairing alliance ruptures}, editor = {Norcross, John C.},
  booktitle = {Psychotherapy Relationships That Work}, publisher = {Oxford University Press}, pages = {549--}, year = {2019}}
"""
    texts = [text for _, text, _ in format_all(bib)]
    assert texts[0] == "Chemtob, C. M. (1988). Patients' suicides. American Journal of Psychiatry, 145(2), 224 ff."
    assert "(p. 549 ff.)" in texts[1] and "\u2013" not in texts[1], texts[1]


BIBFILES = [p for p in (REPO / "references.bib", REPO.parent / "shared" / "references.bib") if p.is_file()]


@pytest.mark.parametrize("path", BIBFILES, ids=lambda p: p.parent.name + "/" + p.name)
def test_the_course_bibliography_formats_without_markup(path: Path) -> None:
    """Every entry of the course's list (and of ../shared's, when it is there) formats with no BibTeX
    markup left; the magazine entries show 6(2), and a title's \\emph{...} is in italics."""
    bib = path.read_text(encoding="utf-8")
    entries = parse_string(bib, "bibtex").entries
    style = find_plugin("pybtex.style.formatting", "authoryear")()
    ordered = style.sort(entries.values())
    formatted = {e.key: style.format_entry(label, e) for label, e in zip(style.format_labels(ordered), ordered)}
    assert formatted
    for key, f in formatted.items():
        text = f.text.render_as("text")
        assert not re.search(r"[{}\\]", f.label + text), (key, text)
        assert re.match(r"\S.*? \((\d{4}[a-z]?|n\.d\.(-[a-z])?)(, \w+)?\)\. ", text), (key, text)
    for key, entry in entries.items():
        if entry.fields.get("journal") == "Somatic Psychotherapy Today":
            html = formatted[key].text.render_as("html")
            assert "<em>Somatic Psychotherapy Today</em>, <em>6</em>(2)" in html, html
            emphasised = re.findall(r"\\emph\{([^{}]*)\}", entry.fields["title"])
            for words in emphasised:
                assert f"<em>{words}</em>" in html, html
