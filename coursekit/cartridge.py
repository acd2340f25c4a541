"""The course as an IMS Common Cartridge 1.1, one file per edition: ``_build/<edition>/<slug>.imscc``.

What goes in, and why each way (the README's "Importing into an LMS" says it for programmes):

- every page of the built site as LMS content under ``web_resources/`` (folder structure kept): the
  page's article only (title and content), with the course's small stylesheet (``_static/lms.css``)
  and, where the page has answer boxes, the workbook script; no theme navigation, header or
  scripts, which inside an LMS would be a second navigation inside the first. The search and
  index pages are left out (they cannot work inside an LMS) and links to them become plain text.
  Only the files the pages use are packaged; every link to a file in the package is written
  ``$IMS-CC-FILEBASE$/...`` (the token standing for ``web_resources/``), the form LMS exports use
  and importers rewrite to the imported file; a link that would name no file in the package stops
  the export;
- one ``webcontent`` resource per page (its ``href`` the page); an exercise's page resource also
  holds its notebook, which the page links as a file to download; the shared files (the
  stylesheet, scripts, images, downloads) are one resource the pages depend on;
- per module: a discussion topic (``imsdt_xmlv1p1``) with every discussion question, a web link
  (``imswl_xmlv1p1``) for each further-reading work that has a DOI or URL, each in a folder of its
  own (the profile's rule for a Learning Application Object), and a generated page
  listing every further-reading work with its full reference (those without a web address are
  found through a library by that reference, and are not web links);
- the organisation: one root item; under it one item per module in the programme's order (its
  pages, exercises, topic and reading), then "Reference" (home page, exercise index, portfolio,
  glossary, bibliography, help) and, in the instructor cartridge, "Instructor guide" with the
  handouts to print;
- in the instructor cartridge, every resource of a file under ``instructor/``, and every page,
  notebook or zip that holds instructor-only cells (the client's card of a role-play), carries
  ``<lom:intendedEndUserRole>`` Instructor in its resource metadata: Moodle hides such items
  from students, Canvas locks such files and leaves such topics unpublished.

The manifest is written by hand (not by ElementTree) so the default namespace is the first
attribute of ``<manifest>``: Moodle recognises a 1.1 cartridge only by finding
``xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"`` in the first 500 bytes."""

from __future__ import annotations

import html as htmllib
import json
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote, urlsplit

from . import citations  # noqa: F401  (the APA style, and pybtex plugin lookups remembered)
from . import markdown
from .project import CourseError

# --- the specification's names ----------------------------------------------------------------
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOMM_NS = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
LOMR_NS = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource"
DT_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imsdt_v1p1"
WL_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_PROFILE = "http://www.imsglobal.org/profile/cc/ccv1p1/"
SCHEMA_LOCATIONS = {
    CP_NS: _PROFILE + "ccv1p1_imscp_v1p2_v1p0.xsd",
    LOMM_NS: _PROFILE + "LOM/ccv1p1_lommanifest_v1p0.xsd",
    LOMR_NS: _PROFILE + "LOM/ccv1p1_lomresource_v1p0.xsd",
    DT_NS: _PROFILE + "ccv1p1_imsdt_v1p1.xsd",
    WL_NS: _PROFILE + "ccv1p1_imswl_v1p1.xsd",
}
SCHEMA = "IMS Common Cartridge"
SCHEMA_VERSION = "1.1.0"
WEBCONTENT, DISCUSSION, WEBLINK = "webcontent", "imsdt_xmlv1p1", "imswl_xmlv1p1"
RESOURCE_TYPES = (WEBCONTENT, DISCUSSION, WEBLINK)
ROLE_SOURCE = "IMSGLC_CC_Rolesv1p1"
INSTRUCTOR_ROLE = "Instructor"

# --- where things go in the package -----------------------------------------------------------
MANIFEST = "imsmanifest.xml"
WEB = "web_resources"
READING_DIR = f"{WEB}/further-reading"
TOPICS_DIR = "discussions"
LINKS_DIR = "weblinks"
# Files of the built site that are not packaged: the search and index pages cannot work inside
# an LMS; the rest are Sphinx's own (search index, inventory, build info) or build-time only
# (the theme's page templates and translation catalogues under _static).
LEFT_OUT_FILES = {"search.html", "genindex.html", "searchindex.js", "objects.inv", ".buildinfo"}
LEFT_OUT_PAGES = ("search.html", "genindex.html")
# Links to files in the package, as LMS exports write them and importers rewrite them: the token stands
# for the package's web_resources/ folder (Canvas's files area; the CC implementation guide's
# "resource base"), so $IMS-CC-FILEBASE$/_static/lms.css is web_resources/_static/lms.css.
FILEBASE = "$IMS-CC-FILEBASE$"
LMS_CSS = "_static/lms.css"
WORKBOOK_FILES = ("_static/workbook.js", "_static/workbook.css", "_static/workbook-catalogue.json")
NO_WEB_ADDRESS = "No web address: find it through a library, by the reference above."
CONTENT_LICENCE = ("Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0): "
                   "https://creativecommons.org/licenses/by-sa/4.0/ (see LICENSE-CONTENT.md)")
ZIP_DATE = (2000, 1, 1, 0, 0, 0)  # every member gets this date, so the same site gives the same file
LINK_ATTRS = ("href", "src", "action", "data", "poster")


@dataclass
class Resource:
    identifier: str
    type: str
    files: list[str]
    href: str | None = None
    dependencies: list[str] = field(default_factory=list)
    instructor: bool = False


@dataclass
class Item:
    title: str
    ref: str | None = None
    children: list["Item"] = field(default_factory=list)


@dataclass(frozen=True)
class Reading:
    """One work of a module's further reading."""

    key: str
    title: str        # 'Tangney and Dearing (2002): Shame and Guilt'
    reference: str    # the full reference, as HTML
    note: str         # the course's note on it, plain text
    url: str | None   # https://doi.org/... or the entry's url; None when it has neither


# --- the command ------------------------------------------------------------------------------
def export(course_root: Path, editions: list[str], programme, build: bool = True) -> dict[str, tuple[Path, str]]:
    """Build the editions (unless ``build`` is false), then write a cartridge of each; per edition:
    its path and a summary."""
    from .course import Course
    from .editions import build_many

    results = build_many(course_root, list(editions), programme.path) if build else {}
    failed = [name for name, (code, _, _) in results.items() if code != 0]
    if failed:
        output = "\n".join(results[name][2].rstrip() for name in failed)
        raise CourseError(f"{output}\nthe {' and '.join(failed)} edition(s) did not build "
                          "(warnings are errors): no cartridge was written")
    course = Course(course_root, programme)
    bib = read_bibliography(course_root)
    written = {}
    for edition in editions:
        html = course_root / "_build" / edition / "html"
        target = course_root / "_build" / edition / f"{programme.slug}.imscc"
        for old in target.parent.glob("*.imscc"):  # another programme's cartridge would be mistaken for this one
            old.unlink()
        written[edition] = (target, write_cartridge(course, edition, html, target, bib))
    return written


def write_cartridge(course, edition: str, html: Path, target: Path, bib: dict[str, Any]) -> str:
    """Package one built edition as a cartridge at ``target``; return a one-line summary."""
    if not (html / "index.html").is_file():
        raise CourseError(f"{html}: no built site (index.html is missing): build the {edition} edition first")
    files = site_files(html)
    lang = _language(files.get(f"{WEB}/index.html", b""))
    cart = _Cartridge(course, edition, files, lang)
    for module in course.modules:
        cart.add_module(module, bib)
    cart.add_rest()
    problems = dangling_links(cart.files)
    if problems:
        site = lambda name: name[len(WEB) + 1:] if name.startswith(WEB + "/") else name  # noqa: E731
        shown = "\n".join(f"  {site(name)}: {ref} (no file {site(resolve(name, ref) or ref)} in the package)"
                          for name, ref in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise CourseError(f"{html}: {len(problems)} link(s) from the built pages and style sheets to files that "
                          f"are not in the package, so no cartridge was written:\n{shown}{more}")
    cart.finish()
    manifest = manifest_xml(cart.identifier, cart.metadata(), cart.root, cart.resource_list)
    packaged = {name: with_filebase(name, data) for name, data in cart.files.items()}
    try:
        _write_zip(target, manifest, packaged)
    except OSError as exc:
        raise CourseError(f"{target}: cannot be written ({exc.strerror or exc})") from None
    return cart.summary()


# --- the site's files ---------------------------------------------------------------------------
_ARTICLE = re.compile(r'<article class="bd-article"[^>]*>(.*)</article>', re.S)
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
_SCRIPT = re.compile(r"<script\b.*?</script>\s*", re.S)  # the notebook pages' kernel settings: no use in an LMS
_WORKBOOK_MARKS = ('class="answer-box', 'id="workbook-tools"', 'id="portfolio"')


def site_files(html: Path) -> dict[str, bytes]:
    """The files to package, by their path in the package: every page as LMS content (see
    ``lms_page``), the notebooks, and what the pages use; links still relative to each page."""
    built = {}
    for path in sorted(p for p in html.rglob("*") if p.is_file()):
        rel = path.relative_to(html).as_posix()
        if not _left_out(rel):
            built[rel] = path.read_bytes()
    built[LMS_CSS] = (Path(__file__).parent / "static" / "lms.css").read_bytes()
    out: dict[str, bytes] = {}
    for rel, data in built.items():
        if rel.endswith(".html") and not rel.startswith("_static/"):
            text = data.decode("utf-8", "surrogateescape")  # a stray non-UTF-8 byte passes through unchanged
            page = lms_page(text, rel)
            out[f"{WEB}/{rel}"] = without_links_to_left_out(page if page is not None else text).encode(
                "utf-8", "surrogateescape")
        elif rel.endswith(".ipynb"):
            out[f"{WEB}/{rel}"] = data
    # what the pages use, and what that uses in turn (images, style sheets and their url()s)
    wanted = list(out)
    while wanted:
        name = wanted.pop()
        for ref in references(name, out[name]):
            target = resolve(name, ref)
            if target is None or not target.startswith(WEB + "/"):
                continue
            rel = target[len(WEB) + 1:]
            if target not in out and rel in built:
                out[target] = built[rel]
                wanted.append(target)
    if f"{WEB}/{WORKBOOK_FILES[0]}" in out:  # the script reads the catalogue of exercises when it starts
        rel = WORKBOOK_FILES[2]
        if rel in built:
            out[f"{WEB}/{rel}"] = built[rel]
    return out


def _left_out(rel: str) -> bool:
    parts = rel.split("/")
    return rel in LEFT_OUT_FILES or (parts[0] == "_static" and (rel.endswith(".html") or parts[1:2] == ["locales"]))


def lms_page(page: str, rel: str) -> str | None:
    """A built page as LMS content: its article alone, with the course's small stylesheet and, where it
    has answer boxes or the workbook's tools, the workbook script. None for a page without the site's
    article (a printable handout, which is a whole document already and is packaged as it is)."""
    found = _ARTICLE.search(page)
    if found is None:
        return None
    body = _SCRIPT.sub("", _HEADERLINK.sub("", found.group(1))).strip()
    parsed = _parse(page.encode("utf-8", "surrogateescape"))
    title = " ".join(parsed.title.split()) or page_title(page.encode("utf-8", "surrogateescape"))
    up = "../" * rel.count("/")
    head = [f'<link rel="stylesheet" href="{up}{LMS_CSS}">']
    if any(mark in body for mark in _WORKBOOK_MARKS):
        head += [f'<link rel="stylesheet" href="{up}{WORKBOOK_FILES[1]}">',
                 f'<script defer src="{up}{WORKBOOK_FILES[0]}"></script>']
    e = htmllib.escape
    return (f'<!DOCTYPE html>\n<html lang="{e(parsed.lang or "en")}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{e(title)}</title>\n" + "\n".join(head) + "\n</head>\n<body>\n"
            f'<main class="lms-page">\n{body}\n</main>\n</body>\n</html>\n')


_LINK_TO_LEFT_OUT = re.compile(r'<a\b[^>]*\bhref="(?:[^"/]*/)*(?:search|genindex)\.html[^"]*"[^>]*>(.*?)</a>', re.S)


def without_links_to_left_out(page: str) -> str:
    """Links to the search and index pages, which are not packaged, as plain text."""
    return _LINK_TO_LEFT_OUT.sub(lambda m: m.group(1), page)


_REF_ATTR = re.compile(r"""(\s(?:href|src|action|data|poster)=(["']))(.*?)(\2)""")


def with_filebase(name: str, data: bytes) -> bytes:
    """Every link of a packaged page to a file under web_resources/ written as $IMS-CC-FILEBASE$/path
    (query strings dropped, fragments kept); other links as they are."""
    if not name.endswith((".html", ".htm")):
        return data

    def swap(m: re.Match[str]) -> str:
        ref = htmllib.unescape(m.group(3))
        target = resolve(name, ref)
        if target is None or ref.startswith(FILEBASE) or not target.startswith(WEB + "/"):
            return m.group(0)
        fragment = urlsplit(ref).fragment
        new = f"{FILEBASE}/{target[len(WEB) + 1:]}" + (f"#{fragment}" if fragment else "")
        return m.group(1) + htmllib.escape(new, quote=True) + m.group(4)

    return _REF_ATTR.sub(swap, data.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []
        self.h1: list[str] | None = None
        self.title = ""
        self.lang = ""
        self._in_h1 = 0
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for key in LINK_ATTRS:
            if a.get(key) and not (tag == "link" and a.get("rel") in ("canonical", "alternate")):
                self.refs.append(a[key])
        if a.get("srcset"):
            self.refs += [c.strip().split()[0] for c in a["srcset"].split(",") if c.strip()]
        if tag == "html" and a.get("lang"):
            self.lang = a["lang"]
        if tag == "h1" and self.h1 is None:
            self.h1, self._in_h1 = [], 1
        elif self._in_h1:
            self._in_h1 += 1
            if tag == "a" and "headerlink" in a.get("class", "").split():
                self._skip = self._in_h1
        if tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if self._in_h1:
            if self._skip == self._in_h1:
                self._skip = 0
            self._in_h1 -= 1
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_h1 and not self._skip and self.h1 is not None:
            self.h1.append(data)
        if self._in_title:
            self.title += data


def _parse(data: bytes) -> _Refs:
    parser = _Refs()
    parser.feed(data.decode("utf-8", "replace"))
    return parser


def page_title(data: bytes) -> str:
    """A page's heading (its first h1, without the heading's link mark), or its <title>."""
    parsed = _parse(data)
    text = " ".join("".join(parsed.h1 or []).split())
    return text or " ".join(parsed.title.split()) or "Untitled page"


def _language(index: bytes) -> str:
    return (_parse(index).lang if index else "") or "en"


_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


def references(name: str, data: bytes) -> list[str]:
    """The references a page (href, src, action, data, poster, srcset) or style sheet (url(), @import) makes."""
    if name.endswith((".html", ".htm")):
        return _parse(data).refs
    if name.endswith(".css"):
        text = data.decode("utf-8", "replace")
        return [m.group(2) or m.group(4) for m in _CSS_URL.finditer(text)]
    return []


def resolve(name: str, ref: str) -> str | None:
    """The package path a relative reference from ``name`` points to; None for absolute URLs,
    data: and the like, and links within the page."""
    ref = ref.strip()
    if ref.startswith(FILEBASE + "/"):  # already written from web_resources/
        return posixpath.normpath(f"{WEB}/" + unquote(urlsplit(ref[len(FILEBASE) + 1:]).path))
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(parts.path)))
    return target


def dangling_links(files: dict[str, bytes]) -> list[tuple[str, str]]:
    """Every (file, reference) whose relative reference names no file of the package."""
    problems = []
    for name, data in files.items():
        for ref in references(name, data):
            target = resolve(name, ref)
            if target is not None and (target.startswith("../") or target not in files):
                problems.append((name, ref))
    return problems


# --- instructor-only material ---------------------------------------------------------------------
def _notebook_is_instructor_only(data: bytes) -> bool:
    from .exercises import INSTRUCTOR_ONLY_TAGS

    try:
        nb = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return False
    return any(INSTRUCTOR_ONLY_TAGS & set((c.get("metadata") or {}).get("tags") or [])
               for c in nb.get("cells", []) if isinstance(c, dict))


def holds_instructor_material(name: str, data: bytes) -> bool:
    """Whether a packaged file is for instructors only: under instructor/, or holding the cells only
    the instructor edition has (a notebook with them, a page showing a client's card, a zip of them)."""
    rel = name[len(WEB) + 1:] if name.startswith(WEB + "/") else name
    if rel.startswith(("instructor/", "handouts/")):
        return True
    if rel.endswith(".ipynb"):
        return _notebook_is_instructor_only(data)
    if rel.endswith(".html"):
        return re.search(rb'class="[^"]*\bclient-card\b', data) is not None
    if rel.endswith(".zip"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as zf:
                return any(_notebook_is_instructor_only(zf.read(n)) for n in zf.namelist() if n.endswith(".ipynb"))
        except zipfile.BadZipFile:
            return False
    return False


# --- further reading --------------------------------------------------------------------------------
def read_bibliography(root: Path) -> dict[str, Any]:
    """The course's bibliography (references.bib) as pybtex entries by key."""
    from pybtex.database import parse_file
    from pybtex.scanner import PybtexError

    path = root / "references.bib"
    try:
        return dict(parse_file(str(path)).entries)
    except FileNotFoundError:
        raise CourseError(f"{path}: file not found") from None
    except PybtexError as exc:
        raise CourseError(f"{path}: cannot be read ({exc})") from None


def _latex(text: str) -> str:
    from pybtex.richtext import Text

    try:
        return Text.from_latex(text).render_as("text")
    except Exception:  # noqa: BLE001  (a title pybtex cannot parse is shown as written, braces dropped)
        return text.replace("{", "").replace("}", "")


def _surnames(entry) -> str:
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_latex(" ".join(p.prelast_names + p.last_names)) for p in people]
    if not names:
        return _latex(entry.fields.get("organization", "") or entry.fields.get("publisher", "")) or "Anonymous"
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


def entry_url(entry) -> str | None:
    """The web address of a bibliography entry: its DOI (as https://doi.org/...) or its url."""
    doi = entry.fields.get("doi", "").strip()
    if doi:
        doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", doi, flags=re.I)
        return "https://doi.org/" + doi
    url = entry.fields.get("url", "").strip()
    return url if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc else None


def _reference_html(key: str, entry) -> str:
    from pybtex.style.formatting.plain import Style

    try:
        return Style().format_entry(key, entry).text.render_as("html")
    except Exception:  # noqa: BLE001  (pybtex names a missing field; the short form still identifies the work)
        title = _latex(entry.fields.get("title", key))
        return htmllib.escape(f"{_surnames(entry)} ({entry.fields.get('year', 'n.d.')}). {title}.")


def further_reading(module, bib: dict[str, Any]) -> list[Reading]:
    """The works a module's discussion page lists under '## Further reading', in its order."""
    if not module.discussion.is_file():
        return []
    text = module.discussion.read_text(encoding="utf-8")
    out, seen = [], set()
    for item in markdown.list_items(markdown.section_text(text, "Further reading"), ordered=False):
        note = markdown.plain(item).lstrip(" —–-:;,.").strip()
        for key, _ in markdown.cite_keys(item):
            if key in seen:
                continue
            seen.add(key)
            entry = bib.get(key)
            if entry is None:
                raise CourseError(f"{module.discussion}: further reading cites {key!r}, which references.bib "
                                  "does not have")
            title = " ".join(f"{_surnames(entry)} ({entry.fields.get('year', 'n.d.')}): "
                             f"{_latex(entry.fields.get('title', key))}".split())
            out.append(Reading(key, title, _reference_html(key, entry), note, entry_url(entry)))
    return out


def reading_page(module, readings: list[Reading], lang: str, discussion: str | None,
                 discussion_title: str, bibliography: bool) -> str:
    """A page listing a module's further reading with full references, for the LMS module."""
    e = htmllib.escape
    where = []
    if discussion:
        where.append(f'the module\'s page <a href="{e(discussion)}">{e(discussion_title)}</a>')
    if bibliography:
        where.append('the course\'s <a href="../bibliography.html">bibliography</a>')
    also = f" The same works are in {' and '.join(where)}." if where else ""
    items = []
    for r in readings:
        if r.url:
            how = f'Online: <a href="{e(r.url)}">{e(r.url)}</a>'
        else:
            how = NO_WEB_ADDRESS
        note = f"<p>{e(r.note[:1].upper() + r.note[1:])}</p>" if r.note else ""
        items.append(f"<li><p>{r.reference}</p>{note}<p>{how}</p></li>")
    title = f"Further reading: {module.full_title}"
    return f"""<!DOCTYPE html>
<html lang="{e(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<link rel="stylesheet" href="../{LMS_CSS}">
</head>
<body>
<main class="lms-page">
<h1>{e(title)}</h1>
<p>Every work the module suggests for further reading, with the course's note on it. A work with a web
address links to it (it is also a web link in this module); a work without one is found through a library
by its reference.{also}</p>
<ol class="further-reading">
{chr(10).join(items)}
</ol>
</main>
</body>
</html>
"""


# --- XML ---------------------------------------------------------------------------------------------
@dataclass
class El:
    """An XML element: namespace URI and local name, attributes (plain or (ns, name)), children or text."""

    ns: str
    name: str
    attrs: dict[Any, str] = field(default_factory=dict)
    children: list["El"] = field(default_factory=list)
    text: str | None = None

    def add(self, ns: str, name: str, text: str | None = None, **attrs: str) -> "El":
        child = El(ns, name, dict(attrs), [], text)
        self.children.append(child)
        return child


def _attr(value: str) -> str:
    return htmllib.escape(value, quote=True).replace("\n", "&#10;").replace("\t", "&#9;")


def xml_document(root: El, prefixes: dict[str, str]) -> bytes:
    """Serialise with the namespace declarations first on the root, the default namespace
    (prefix '') before any other, then the root's own attributes, then xsi:schemaLocation."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']

    def qname(ns: str, name: str) -> str:
        prefix = prefixes[ns]
        return f"{prefix}:{name}" if prefix else name

    def write(el: El, depth: int, first: bool) -> None:
        pad = " " * depth
        attrs = []
        if first:
            for ns, prefix in sorted(prefixes.items(), key=lambda kv: kv[1] != ""):
                attrs.append(f'xmlns{":" + prefix if prefix else ""}="{_attr(ns)}"')
        for key, value in el.attrs.items():
            name = qname(*key) if isinstance(key, tuple) else key
            attrs.append(f'{name}="{_attr(value)}"')
        start = qname(el.ns, el.name) + "".join(" " + a for a in attrs)
        if el.children:
            lines.append(f"{pad}<{start}>")
            for child in el.children:
                write(child, depth + 1, False)
            lines.append(f"{pad}</{qname(el.ns, el.name)}>")
        elif el.text is not None:
            lines.append(f"{pad}<{start}>{htmllib.escape(el.text, quote=False)}</{qname(el.ns, el.name)}>")
        else:
            lines.append(f"{pad}<{start}/>")

    write(root, 0, True)
    return ("\n".join(lines) + "\n").encode("utf-8")


def _schema_location(*namespaces: str) -> str:
    return " ".join(f"{ns} {SCHEMA_LOCATIONS[ns]}" for ns in namespaces)


def topic_xml(title: str, text_html: str) -> bytes:
    """A discussion topic (CC 1.1 imsdt): title, then the text as HTML."""
    root = El(DT_NS, "topic", {(XSI_NS, "schemaLocation"): _schema_location(DT_NS)})
    root.add(DT_NS, "title", _normalized(title))
    root.add(DT_NS, "text", text_html, texttype="text/html")
    return xml_document(root, {DT_NS: "", XSI_NS: "xsi"})


def weblink_xml(title: str, url: str) -> bytes:
    """A web link (CC 1.1 imswl): title, then the url."""
    root = El(WL_NS, "webLink", {(XSI_NS, "schemaLocation"): _schema_location(WL_NS)})
    root.add(WL_NS, "title", _normalized(title))
    root.add(WL_NS, "url", href=url)
    return xml_document(root, {WL_NS: "", XSI_NS: "xsi"})


def _normalized(text: str) -> str:
    return " ".join(text.split())


def _lang_string(parent: El, ns: str, name: str, text: str, lang: str) -> None:
    parent.add(ns, name).add(ns, "string", text, language=lang)


def manifest_xml(identifier: str, metadata: dict[str, str], root_item: Item, resources: list[Resource]) -> bytes:
    """The cartridge's imsmanifest.xml."""
    manifest = El(CP_NS, "manifest", {"identifier": identifier,
                                      (XSI_NS, "schemaLocation"): _schema_location(CP_NS, LOMM_NS, LOMR_NS)})
    meta = manifest.add(CP_NS, "metadata")
    meta.add(CP_NS, "schema", SCHEMA)
    meta.add(CP_NS, "schemaversion", SCHEMA_VERSION)
    lom = meta.add(LOMM_NS, "lom")
    lang = metadata["language"]
    general = lom.add(LOMM_NS, "general")
    _lang_string(general, LOMM_NS, "title", metadata["title"], lang)
    general.add(LOMM_NS, "language", lang)
    if metadata.get("description"):
        _lang_string(general, LOMM_NS, "description", metadata["description"], lang)
    if metadata.get("author"):
        contribute = lom.add(LOMM_NS, "lifeCycle").add(LOMM_NS, "contribute")
        contribute.add(LOMM_NS, "role").add(LOMM_NS, "value", "author")
        contribute.add(LOMM_NS, "entity", metadata["author"])
    rights = lom.add(LOMM_NS, "rights")
    rights.add(LOMM_NS, "copyrightAndOtherRestrictions").add(LOMM_NS, "value", "yes")
    _lang_string(rights, LOMM_NS, "description", CONTENT_LICENCE, lang)

    organization = manifest.add(CP_NS, "organizations").add(CP_NS, "organization", identifier="ORG_1",
                                                             structure="rooted-hierarchy")
    count = iter(range(1, 1_000_000))
    top = organization.add(CP_NS, "item", identifier="I_root")

    def add_items(parent: El, items: list[Item]) -> None:
        for item in items:
            attrs = {"identifier": f"I_{next(count)}"}
            if item.ref:
                attrs["identifierref"] = item.ref
            el = parent.add(CP_NS, "item", **attrs)
            el.add(CP_NS, "title", item.title)
            add_items(el, item.children)

    add_items(top, root_item.children)
    res_el = manifest.add(CP_NS, "resources")
    for res in resources:
        attrs = {"identifier": res.identifier, "type": res.type}
        if res.href:
            attrs["href"] = res.href
        el = res_el.add(CP_NS, "resource", **attrs)
        if res.instructor:
            role = (el.add(CP_NS, "metadata").add(LOMR_NS, "lom").add(LOMR_NS, "educational")
                    .add(LOMR_NS, "intendedEndUserRole"))
            role.add(LOMR_NS, "source", ROLE_SOURCE)
            role.add(LOMR_NS, "value", INSTRUCTOR_ROLE)
        for name in res.files:
            el.add(CP_NS, "file", href=name)
        for dep in res.dependencies:
            el.add(CP_NS, "dependency", identifierref=dep)
    return xml_document(manifest, {CP_NS: "", LOMM_NS: "lomimscc", LOMR_NS: "lom", XSI_NS: "xsi"})


class _Ids:
    """Identifiers that are XML names (xs:ID) and unique within the manifest."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.used: set[str] = set()

    def new(self, hint: str) -> str:
        base = self.prefix + (re.sub(r"[^A-Za-z0-9_.-]+", "_", hint).strip("_.-")[:100] or "x")
        ident, n = base, 1
        while ident in self.used:
            n += 1
            ident = f"{base}_{n}"
        self.used.add(ident)
        return ident


# --- the cartridge --------------------------------------------------------------------------------------
class _Cartridge:
    def __init__(self, course, edition: str, files: dict[str, bytes], lang: str) -> None:
        self.course = course
        self.edition = edition
        self.files = files
        self.lang = lang
        self.ids = _Ids("R_")
        self.resources: dict[str, Resource] = {}  # by the file it stands for (its href or only file)
        self.root = Item("")
        self.counts = {"modules": 0, "topics": 0, "links": 0}
        self.assets = Resource(self.ids.new("shared_files"), WEBCONTENT, [])
        self.placed: set[str] = set()
        prog = course.programme
        self.identifier = "M_" + re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{prog.slug}_{prog.version}_{edition}")

    # resources for files
    def _instructor(self, name: str) -> bool:
        return self.edition == "instructor" and holds_instructor_material(name, self.files[name])

    def resource_for(self, name: str) -> Resource:
        """The resource of one packaged page or notebook (made on first use)."""
        if name not in self.resources:
            res = Resource(self.ids.new(name[len(WEB) + 1:] if name.startswith(WEB + "/") else name),
                           WEBCONTENT, [name], href=name, instructor=self._instructor(name))
            if name.endswith(".html") and name.startswith(WEB + "/") and not name.startswith(READING_DIR + "/"):
                res.dependencies.append(self.assets.identifier)  # the pages' styles, scripts and images
            self.resources[name] = res
        return self.resources[name]

    def page_item(self, docname: str) -> Item:
        name = f"{WEB}/{docname}.html"
        if name not in self.files:
            raise CourseError(f"the built {self.edition} edition has no page {docname}.html, "
                              "though its table of contents lists it")
        self.placed.add(name)
        return Item(page_title(self.files[name]), self.resource_for(name).identifier)

    # modules
    def add_module(self, module, bib: dict[str, Any]) -> None:
        item = Item(module.full_title)
        by_docname = {ex.docname: ex for ex in self.course.exercises}
        for docname in module.docnames:
            page = self.page_item(docname)
            item.children.append(page)
            notebook = f"{WEB}/{docname}.ipynb"
            if docname in by_docname and notebook in self.files:
                # one item per exercise: its page, which links the notebook as a file to download
                res = self.resources[f"{WEB}/{docname}.html"]
                res.files.append(notebook)
                res.instructor = res.instructor or self._instructor(notebook)
                self.placed.add(notebook)
            if docname == f"chapters/{module.key}/discussion":
                item.children += self._discussion(module, bib, docname)
        notes = f"instructor/modules/{module.key}"
        if f"{WEB}/{notes}.html" in self.files:
            item.children.append(self.page_item(notes))
        self.root.children.append(item)
        self.counts["modules"] += 1

    def _discussion(self, module, bib: dict[str, Any], docname: str) -> list[Item]:
        items = []
        questions = [markdown.plain(q) for q in module.questions]
        if questions:
            e = htmllib.escape
            text = (f"<p>The discussion questions of {e(module.full_title)}. Never write anything that could "
                    f"identify a client or a colleague.</p>\n<ol>\n"
                    + "".join(f"<li>{e(q)}</li>\n" for q in questions) + "</ol>")
            title = f"Discussion: {module.full_title}"
            name = f"{TOPICS_DIR}/{module.key}/topic.xml"  # each topic in a folder of its own
            self.files[name] = topic_xml(title, text)
            res = Resource(self.ids.new(f"topic_{module.key}"), DISCUSSION, [name])
            self.resources[name] = res
            items.append(Item(title, res.identifier))
            self.counts["topics"] += 1
        readings = further_reading(module, bib)
        if readings:
            folder = Item("Further reading")
            page = f"{READING_DIR}/{module.key}.html"
            disc_name = f"{WEB}/{docname}.html"
            self.files[page] = reading_page(
                module, readings, self.lang, f"../{docname}.html" if disc_name in self.files else None,
                page_title(self.files[disc_name]) if disc_name in self.files else "",
                f"{WEB}/bibliography.html" in self.files).encode("utf-8")
            self.placed.add(page)
            folder.children.append(Item("Further reading: every work, with its reference",
                                        self.resource_for(page).identifier))
            for n, r in enumerate(readings, 1):
                if not r.url:
                    continue
                name = f"{LINKS_DIR}/{module.key}-{n:02d}-{re.sub(r'[^A-Za-z0-9_.-]+', '-', r.key)}/weblink.xml"
                self.files[name] = weblink_xml(r.title, r.url)
                res = Resource(self.ids.new(f"link_{module.key}_{r.key}"), WEBLINK, [name])
                self.resources[name] = res
                folder.children.append(Item(r.title, res.identifier))
                self.counts["links"] += 1
            items.append(folder)
        return items

    # the rest of the toc
    def add_rest(self) -> None:
        from .editions import edition_toc

        toc = edition_toc(self.course.root, self.edition, self.course.programme)
        reference, guide = Item("Reference"), Item("Instructor guide")
        for docname in _toc_docnames(toc):
            name = f"{WEB}/{docname}.html"
            if name in self.placed or _module_docname(docname, self.course.programme.modules):
                continue
            target = guide if docname.startswith("instructor/") else reference
            target.children.append(self.page_item(docname))
        if f"{WEB}/handouts/index.html" in self.files:  # the instructor edition's printable handouts
            guide.children.append(Item("Handouts to print", self.page_item("handouts/index").ref))
        for folder in (reference, guide):
            if folder.children:
                self.root.children.append(folder)

    def finish(self) -> None:
        """Give every packaged file a resource: pages and notebooks their own, the rest the shared one
        (or, when instructor-only, one of its own)."""
        held = {f for res in self.resources.values() for f in res.files}
        for name in sorted(self.files):
            if name in held or not name.startswith(WEB + "/"):
                continue
            if name.endswith((".html", ".ipynb")) or self._instructor(name):
                self.resource_for(name)
            else:
                self.assets.files.append(name)
        order = [self.assets] if self.assets.files else []
        for res in self.resources.values():
            if not self.assets.files and self.assets.identifier in res.dependencies:
                res.dependencies.remove(self.assets.identifier)
        self.resource_list = order + list(self.resources.values())

    def metadata(self) -> dict[str, str]:
        prog = self.course.programme
        title = prog.title if self.edition == "learner" else f"{prog.title}: Instructor Edition"
        description = " ".join(x for x in (prog.subtitle and prog.subtitle.rstrip(".") + ".",
                                           f"{self.edition.capitalize()} edition, version {prog.version}.",
                                           prog.institution and f"Taught by {prog.institution}.") if x)
        return {"title": title, "description": description, "author": prog.author, "language": self.lang}

    def summary(self) -> str:
        pages = sum(1 for n in self.files if n.endswith(".html"))
        notebooks = sum(1 for n in self.files if n.endswith(".ipynb"))
        marked = sum(1 for r in self.resource_list if r.instructor)
        c = self.counts
        text = (f"{c['modules']} modules, {pages} pages, {notebooks} notebooks, {c['topics']} discussion topics, "
                f"{c['links']} web links")
        return text + (f", {marked} resources for instructors only" if marked else "")


def _toc_docnames(toc: dict[str, Any]) -> Iterator[str]:
    if toc.get("root"):
        yield str(toc["root"])

    def walk(entries: list[dict[str, Any]]) -> Iterator[str]:
        for entry in entries or []:
            if entry.get("file"):
                yield str(entry["file"]).strip("/")
            yield from walk(entry.get("sections", []))

    for part in toc.get("parts", []):
        yield from walk(part.get("chapters", []))


def _module_docname(docname: str, modules: tuple[str, ...]) -> bool:
    parts = docname.split("/")
    return (len(parts) == 3 and parts[0] in ("chapters", "exercises") and parts[1] in modules) or \
        (len(parts) == 3 and parts[:2] == ["instructor", "modules"] and parts[2] in modules)


# --- the zip ---------------------------------------------------------------------------------------
def _write_zip(target: Path, manifest: bytes, files: dict[str, bytes]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in [(MANIFEST, manifest), *sorted(files.items())]:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    partial.replace(target)
