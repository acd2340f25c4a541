"""The Common Cartridge 1.1 export: `coursekit export cc` on a clean copy of the course, both editions.

The checks follow the CC 1.1 element definitions (the CP 1.2 profile ccv1p1_imscp_v1p2_v1p0.xsd with
its schematron rules, ccv1p1_lomresource_v1p0.xsd, ccv1p1_imsdt_v1p1.xsd, ccv1p1_imswl_v1p1.xsd)
element by element, since the XSDs are not shipped with the project, and what Moodle's and Canvas's
importers are known to read. No LMS runs here: see the README, "Importing into an LMS"."""

from __future__ import annotations

import json
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from helpers import coursekit

CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
LOMM = "{http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest}"
LOMR = "{http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource}"
DT = "{http://www.imsglobal.org/xsd/imsccv1p1/imsdt_v1p1}"
WL = "{http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1}"
XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
TYPES = {"webcontent", "imsdt_xmlv1p1", "imswl_xmlv1p1"}
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
EDITIONS = ("learner", "instructor")
EXTRA_TOP_ITEMS = {"learner": ["Reference"], "instructor": ["Reference", "Instructor guide"]}


@dataclass
class Cartridge:
    edition: str
    path: Path
    zip: zipfile.ZipFile
    raw_manifest: bytes
    manifest: ET.Element

    @property
    def names(self) -> list[str]:
        return self.zip.namelist()

    def read(self, name: str) -> bytes:
        return self.zip.read(name)

    def resources(self) -> dict[str, ET.Element]:
        return {r.get("identifier"): r for r in self.manifest.iter(f"{CP}resource")}

    def root_item(self) -> ET.Element:
        return self.manifest.find(f"{CP}organizations/{CP}organization/{CP}item")

    def resource_of(self, name: str) -> ET.Element | None:
        for res in self.manifest.iter(f"{CP}resource"):
            if any(f.get("href") == name for f in res.findall(f"{CP}file")):
                return res
        return None

    def pages(self) -> list[str]:
        return [n for n in self.names if n.endswith(".html")]


@dataclass
class Exported:
    root: Path
    result: object
    cartridges: dict[str, Cartridge]
    course: object


@pytest.fixture(scope="module")
def exported(built) -> Exported:
    """Cartridges of the session's clean build (the command's own build is tested in
    test_export_builds_the_editions_itself)."""
    from coursekit.course import Course

    root = built.root
    result = coursekit("export", "cc", "--no-build", "--root", str(root))
    assert result.returncode == 0, f"export failed:\n{result.stdout}\n{result.stderr}"
    course = Course.load(root)
    carts = {}
    for edition in EDITIONS:
        path = root / "_build" / edition / f"{course.programme.slug}.imscc"
        assert path.is_file(), f"no {edition} cartridge at {path}:\n{result.stdout}"
        zf = zipfile.ZipFile(path)
        raw = zf.read("imsmanifest.xml")
        carts[edition] = Cartridge(edition, path, zf, raw, ET.fromstring(raw))
    return Exported(root, result, carts, course)


def each(exported: Exported):
    return [exported.cartridges[e] for e in EDITIONS]


def children(el: ET.Element) -> list[str]:
    return [c.tag for c in el]


def text_of(el: ET.Element | None) -> str:
    return "" if el is None else (el.text or "")


# --- the command ------------------------------------------------------------------------------
def test_export_names_each_cartridge_and_what_it_holds(exported: Exported) -> None:
    out = exported.result.stdout
    for edition in EDITIONS:
        assert re.search(rf"^{edition} cartridge written: .*{exported.course.programme.slug}\.imscc "
                         r"\(\d+ modules, \d+ pages, \d+ notebooks, \d+ discussion topics, \d+ web links", out, re.M), out
    assert "Traceback" not in exported.result.stderr


@pytest.mark.slow
def test_export_builds_the_editions_itself(course_copy_factory) -> None:
    root = course_copy_factory()
    result = coursekit("export", "cc", "--edition", "learner", "--root", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "_build" / "learner" / "html" / "index.html").is_file()
    assert (root / "_build" / "learner" / "learning-to-fall.imscc").is_file()


def test_export_outside_a_course_is_a_clear_error(tmp_path: Path) -> None:
    result = coursekit("export", "cc", "--root", str(tmp_path))
    assert result.returncode != 0
    assert "not inside a course" in result.stderr and "Traceback" not in result.stderr


# --- the manifest --------------------------------------------------------------------------------
def test_manifest_is_first_and_declares_the_cc11_namespace_in_its_first_500_bytes(exported: Exported) -> None:
    for cart in each(exported):
        assert cart.names[0] == "imsmanifest.xml"
        # what Moodle's imscc11 converter does to detect a 1.1 cartridge
        head = re.sub(r"\s*", "", cart.raw_manifest[:500].decode("utf-8", "replace").lower()).replace('"', "").replace("'", "")
        assert "xmlns=http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1" in head, cart.raw_manifest[:500]
        assert re.match(rb'<\?xml version="1.0" encoding="UTF-8"\?>\s*<manifest xmlns="http://www.imsglobal.org/xsd/'
                        rb'imsccv1p1/imscp_v1p1"', cart.raw_manifest), "the default namespace is not the first attribute"
        assert cart.manifest.tag == f"{CP}manifest"


def test_manifest_metadata_names_cc_1_1_and_the_course(exported: Exported) -> None:
    prog = exported.course.programme
    for cart in each(exported):
        m = cart.manifest
        assert NCNAME.match(m.get("identifier", ""))
        assert children(m) == [f"{CP}metadata", f"{CP}organizations", f"{CP}resources"]
        meta = m.find(f"{CP}metadata")
        assert children(meta) == [f"{CP}schema", f"{CP}schemaversion", f"{LOMM}lom"]
        assert text_of(meta.find(f"{CP}schema")) == "IMS Common Cartridge"
        assert text_of(meta.find(f"{CP}schemaversion")) == "1.1.0"
        lom = meta.find(f"{LOMM}lom")
        allowed = {f"{LOMM}{n}" for n in ("general", "lifeCycle", "technical", "educational", "rights", "relation",
                                           "classification")}
        assert set(children(lom)) <= allowed
        title = text_of(lom.find(f"{LOMM}general/{LOMM}title/{LOMM}string"))  # what Moodle names the course by
        assert title == (prog.title if cart.edition == "learner" else f"{prog.title}: Instructor Edition")
        for role in lom.iter(f"{LOMM}role"):
            assert text_of(role.find(f"{LOMM}value")) == "author"
        for value in lom.findall(f"{LOMM}rights/{LOMM}copyrightAndOtherRestrictions/{LOMM}value"):
            assert value.text in ("yes", "no")
        locations = m.get(f"{XSI}schemaLocation", "").split()
        assert dict(zip(locations[::2], locations[1::2]))["http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"] == \
            "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd"


def test_organisation_is_one_rooted_hierarchy_of_titled_items(exported: Exported) -> None:
    for cart in each(exported):
        orgs = cart.manifest.find(f"{CP}organizations")
        assert children(orgs) == [f"{CP}organization"]
        org = orgs[0]
        assert org.get("structure") == "rooted-hierarchy" and NCNAME.match(org.get("identifier", ""))
        assert [t for t in children(org) if t != f"{CP}title"] == [f"{CP}item"]
        root = cart.root_item()
        assert root.get("identifierref") is None and root.find(f"{CP}title") is None
        ids = [e.get("identifier") for e in cart.manifest.iter() if e.get("identifier") is not None]
        assert len(ids) == len(set(ids)), "identifiers repeat"
        assert all(NCNAME.match(i) for i in ids), [i for i in ids if not NCNAME.match(i)]
        for item in root.iter(f"{CP}item"):
            if item is root:
                continue
            tags = children(item)
            assert tags[:1] == [f"{CP}title"] and tags.count(f"{CP}title") == 1, item.get("identifier")
            assert set(tags[1:]) <= {f"{CP}item", f"{CP}metadata"}
            assert text_of(item.find(f"{CP}title")).strip()
            if item.get("identifierref"):  # rule 8b: a learning object item has no child items
                assert item.find(f"{CP}item") is None, item.get("identifier")


def test_one_organisation_item_per_module_in_programme_order(exported: Exported) -> None:
    modules = [m.full_title for m in exported.course.modules]
    for cart in each(exported):
        tops = [text_of(i.find(f"{CP}title")) for i in cart.root_item().findall(f"{CP}item")]
        assert tops == modules + EXTRA_TOP_ITEMS[cart.edition]


def test_every_identifierref_and_file_href_resolves(exported: Exported) -> None:
    for cart in each(exported):
        resources = cart.resources()
        names = set(cart.names)
        for item in cart.manifest.iter(f"{CP}item"):
            ref = item.get("identifierref")
            assert ref is None or ref in resources, f"{cart.edition}: item {item.get('identifier')} -> {ref}"
        listed = []
        for res in resources.values():
            for f in res.findall(f"{CP}file"):
                assert f.get("href") in names, f"{cart.edition}: {f.get('href')} is not in the zip"
                listed.append(f.get("href"))
            for dep in res.findall(f"{CP}dependency"):
                assert dep.get("identifierref") in resources
        assert len(listed) == len(set(listed)), "a file is listed by two resources"
        assert sorted(listed) == sorted(n for n in names if n != "imsmanifest.xml"), "files in the zip no resource lists"


def test_every_resource_is_one_of_the_three_types_and_follows_the_profile_rules(exported: Exported) -> None:
    for cart in each(exported):
        resources = cart.resources()
        for rid, res in resources.items():
            kind = res.get("type")
            assert kind in TYPES, f"{rid}: {kind}"
            tags = children(res)
            order = [t for t in (f"{CP}metadata", f"{CP}file", f"{CP}dependency") for _ in range(tags.count(t))]
            assert tags == order, f"{rid}: children out of order: {tags}"
            files = [f.get("href") for f in res.findall(f"{CP}file")]
            deps = [d.get("identifierref") for d in res.findall(f"{CP}dependency")]
            assert len(files) == len(set(files)) and len(deps) == len(set(deps)) and rid not in deps  # 9a, 7a, 7b
            if res.get("href"):
                assert res.get("href") in files  # 10b
            if kind in ("imsdt_xmlv1p1", "imswl_xmlv1p1"):  # rules 1 and 2
                assert len(files) == 1 and res.get("href") is None, rid
            if kind == "imswl_xmlv1p1":
                assert not deps
            for dep in deps:  # rules 1 and 5: only on web content
                assert resources[dep].get("type") == "webcontent", f"{rid} depends on {dep}"
            for item in cart.manifest.iter(f"{CP}item"):
                if item.get("identifierref") == rid and kind == "webcontent":
                    assert res.get("href"), f"{rid} is an item's web content without href"


# --- modules: pages, notebooks, topics, links ----------------------------------------------------------
def module_item(cart: Cartridge, title: str) -> ET.Element:
    return next(i for i in cart.root_item().findall(f"{CP}item") if text_of(i.find(f"{CP}title")) == title)


def hrefs_under(cart: Cartridge, item: ET.Element) -> list[str]:
    resources = cart.resources()
    out = []
    for child in item.iter(f"{CP}item"):
        res = resources.get(child.get("identifierref") or "")
        if res is not None:
            out += [f.get("href") for f in res.findall(f"{CP}file")]
    return out


def test_each_module_holds_its_pages_and_each_exercise_is_one_item_with_its_notebook(exported: Exported) -> None:
    for cart in each(exported):
        resources = cart.resources()
        for module in exported.course.modules:
            item = module_item(cart, module.full_title)
            held = hrefs_under(cart, item)
            for docname in module.docnames:
                assert f"web_resources/{docname}.html" in held, f"{cart.edition}: {module.key} lacks {docname}"
            for ex in (e for e in exported.course.exercises if e.module == module.key):
                page, notebook = f"web_resources/{ex.docname}.html", f"web_resources/{ex.docname}.ipynb"
                res = cart.resource_of(notebook)
                # the notebook is a file of the exercise page's own resource, not an item of its own
                assert res is cart.resource_of(page) and res.get("href") == page and res.get("type") == "webcontent"
                items = [i for i in item.iter(f"{CP}item") if i.get("identifierref") == res.get("identifier")]
                assert len(items) == 1, f"{cart.edition}: {ex.id} is {len(items)} items"
                assert json.loads(cart.read(notebook))["nbformat"] == 4
                # and the page links it, as a file in the package, to download
                assert f'href="$IMS-CC-FILEBASE$/{ex.docname}.ipynb"' in cart.read(page).decode("utf-8"), ex.id
        webcontent_items = [resources[i.get("identifierref")] for i in cart.root_item().iter(f"{CP}item")
                            if i.get("identifierref") and resources[i.get("identifierref")].get("type") == "webcontent"]
        assert not [r for r in webcontent_items if r.get("href", "").endswith(".ipynb")], "a notebook is an item"


def test_each_module_has_one_discussion_topic_with_every_question(exported: Exported) -> None:
    from coursekit import markdown

    for cart in each(exported):
        resources = cart.resources()
        all_topics = [r for r in resources.values() if r.get("type") == "imsdt_xmlv1p1"]
        assert len(all_topics) == len(exported.course.modules)
        for module in exported.course.modules:
            item = module_item(cart, module.full_title)
            topics = [resources[i.get("identifierref")] for i in item.iter(f"{CP}item")
                      if i.get("identifierref") and resources[i.get("identifierref")].get("type") == "imsdt_xmlv1p1"]
            assert len(topics) == 1, f"{cart.edition}: {module.key} has {len(topics)} topics"
            topic = ET.fromstring(cart.read(topics[0].find(f"{CP}file").get("href")))
            # ccv1p1_imsdt_v1p1.xsd: <topic> holds title, text, then optional attachments
            assert topic.tag == f"{DT}topic"
            assert children(topic) == [f"{DT}title", f"{DT}text"]
            title = text_of(topic.find(f"{DT}title"))
            assert title.strip() and not re.search(r"[\t\n\r]", title)  # xs:normalizedString
            text = topic.find(f"{DT}text")
            assert set(text.attrib) == {"texttype"} and text.get("texttype") == "text/html"
            body = " ".join(unescape(re.sub(r"<[^>]+>", " ", text.text or "")).split())
            assert len(re.findall(r"<li>", text.text or "")) == len(module.questions) >= 6
            for question in module.questions:
                assert " ".join(markdown.plain(question).split()) in body, f"{module.key}: {question[:60]}"


def expected_links(module) -> list[str]:
    """The module's further-reading works that have a DOI or URL in references.bib, read independently."""
    from pybtex.database import parse_file

    from coursekit import markdown

    bib = parse_file(str(module.folder.parent.parent / "references.bib")).entries
    section = markdown.section_text(module.discussion.read_text(encoding="utf-8"), "Further reading")
    keys = list(dict.fromkeys(k for k, _ in markdown.cite_keys(section)))
    return [k for k in keys if bib[k].fields.get("doi") or bib[k].fields.get("url", "").startswith(("http://", "https://"))]


def test_further_reading_is_web_links_and_a_page_for_what_has_no_address(exported: Exported) -> None:
    for cart in each(exported):
        resources = cart.resources()
        for module in exported.course.modules:
            item = module_item(cart, module.full_title)
            links = [resources[i.get("identifierref")] for i in item.iter(f"{CP}item")
                     if i.get("identifierref") and resources[i.get("identifierref")].get("type") == "imswl_xmlv1p1"]
            assert len(links) == len(expected_links(module)), module.key
            for res in links:
                link = ET.fromstring(cart.read(res.find(f"{CP}file").get("href")))
                # ccv1p1_imswl_v1p1.xsd: <webLink> holds title then url (href required; target, windowFeatures)
                assert link.tag == f"{WL}webLink" and children(link) == [f"{WL}title", f"{WL}url"]
                title = text_of(link.find(f"{WL}title"))
                assert title.strip() and not re.search(r"[\t\n\r]", title)
                url = link.find(f"{WL}url")
                assert "href" in url.attrib and set(url.attrib) <= {"href", "target", "windowFeatures"}
                parts = urlsplit(url.get("href"))
                assert parts.scheme in ("http", "https") and parts.netloc, url.get("href")
            page = f"web_resources/further-reading/{module.key}.html"
            assert page in hrefs_under(cart, item)
            text = cart.read(page).decode("utf-8")
            from coursekit.cartridge import NO_WEB_ADDRESS, further_reading, read_bibliography

            works = further_reading(module, read_bibliography(exported.root))
            assert len(re.findall(r"<li>", text)) == len(works)
            assert text.count(NO_WEB_ADDRESS) == sum(1 for w in works if not w.url)


# --- the learner and instructor cartridges ----------------------------------------------------------------
def role_of(res: ET.Element) -> list[tuple[str, str]]:
    return [(text_of(r.find(f"{LOMR}source")), text_of(r.find(f"{LOMR}value")))
            for r in res.findall(f"{CP}metadata/{LOMR}lom/{LOMR}educational/{LOMR}intendedEndUserRole")]


def client_only(nb_bytes: bytes) -> bool:
    from coursekit.exercises import INSTRUCTOR_ONLY_TAGS

    nb = json.loads(nb_bytes)
    return any(INSTRUCTOR_ONLY_TAGS & set(c.get("metadata", {}).get("tags", [])) for c in nb["cells"])


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paras: list[str] = []
        self._p: list[str] | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "p":
            self._p = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._p is not None:
            self.paras.append(" ".join("".join(self._p).split()))
            self._p = None

    def handle_data(self, data: str) -> None:
        if self._p is not None:
            self._p.append(data)


def paragraphs(data: bytes) -> list[str]:
    parser = _Paragraphs()
    parser.feed(data.decode("utf-8"))
    return parser.paras


def test_learner_cartridge_holds_no_instructor_path_role_or_text(exported: Exported) -> None:
    learner, instructor = exported.cartridges["learner"], exported.cartridges["instructor"]
    assert not [n for n in learner.names if "instructor/" in n], "instructor files in the learner cartridge"
    assert not [r.get("identifier") for r in learner.resources().values() if role_of(r)]
    assert b"Instructor Edition" not in learner.raw_manifest
    for name in learner.names:
        if name.endswith(".ipynb"):
            assert not client_only(learner.read(name)), f"{name} holds instructor-only cells"
        elif name.endswith(".html"):
            assert b"client-card" not in learner.read(name), f"{name} shows a client's card"
    # paragraphs found only on the instructor cartridge's instructor pages appear nowhere in the learner's
    shared_text = " ".join(" ".join(unescape(re.sub(r"<[^>]+>", " ", instructor.read(n).decode("utf-8"))).split())
                           for n in instructor.pages() if not n.startswith("web_resources/instructor/"))
    only = {p for n in instructor.pages() if n.startswith("web_resources/instructor/")
            for p in paragraphs(instructor.read(n)) if len(p) > 80 and p not in shared_text}
    assert len(only) >= 10
    learner_text = " ".join(" ".join(unescape(re.sub(r"<[^>]+>", " ", learner.read(n).decode("utf-8"))).split())
                            for n in learner.names if n.endswith((".html", ".ipynb", ".xml")))
    leaked = [p for p in only if p in learner_text]
    assert not leaked, leaked[:3]


def test_instructor_material_is_marked_for_the_instructor_role(exported: Exported) -> None:
    cart = exported.cartridges["instructor"]
    instructor_pages = [n for n in cart.names if n.startswith("web_resources/instructor/") and n.endswith(".html")]
    assert len(instructor_pages) >= 5
    for name in cart.names[1:]:  # after imsmanifest.xml
        res = cart.resource_of(name)
        marked = role_of(res) == [("IMSGLC_CC_Rolesv1p1", "Instructor")]
        must = (name.startswith("web_resources/instructor/")
                or (name.endswith(".ipynb") and client_only(cart.read(name)))
                or (name.endswith(".html") and b"client-card" in cart.read(name)))
        if must:
            assert marked, f"{name} is for instructors but its resource is not marked"
        if name in ("web_resources/index.html", "web_resources/chapters/orientation/index.html"):
            assert not marked, f"{name} is marked for instructors: Moodle would hide it from students"
    for item in cart.root_item().iter(f"{CP}item"):
        title = text_of(item.find(f"{CP}title"))
        if title == "Instructor guide":
            assert all(role_of(cart.resources()[i.get("identifierref")])
                       for i in item.iter(f"{CP}item") if i.get("identifierref"))
    for module in exported.course.modules:
        notes = f"web_resources/instructor/modules/{module.key}.html"
        if notes in cart.names:
            assert notes in hrefs_under(cart, module_item(cart, module.full_title))


# --- the packaged site ------------------------------------------------------------------------------
class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        for key, value in attrs:
            if value and key in ("href", "src", "action", "data", "poster"):
                self.refs.append(value)
            elif value and key == "srcset":
                self.refs += [c.strip().split()[0] for c in value.split(",") if c.strip()]


def refs_in(name: str, data: bytes) -> list[str]:
    if name.endswith(".html"):
        parser = _Refs()
        parser.feed(data.decode("utf-8"))
        return parser.refs
    if name.endswith(".css"):
        return [m[1] or m[2] for m in re.findall(r"""url\(\s*['"]?([^'")]*)['"]?\s*\)()|@import\s+['"]()([^'"]+)['"]""",
                                                  data.decode("utf-8", "replace"))]
    return []


FILEBASE = "$IMS-CC-FILEBASE$/"
THEME_CHROME = re.compile(rb'class="[^"]*\b(bd-sidebar|bd-header|bd-footer|bd-sidebar-primary|navbar|bd-toc)\b|<nav\b'
                          rb'|pydata-sphinx-theme|sphinx-book-theme|<script\b(?![^>]*workbook\.js)')


def test_every_link_in_every_packaged_page_is_absolute_a_fragment_or_a_file_in_the_package(exported: Exported) -> None:
    """What an importer needs: nothing relative; files in the package named by $IMS-CC-FILEBASE$ (which
    stands for web_resources/, as in Canvas's exports), which importers rewrite to the imported file."""
    for cart in each(exported):
        names = set(cart.names)
        assert "web_resources/search.html" not in names and "web_resources/genindex.html" not in names
        bad, into_package = [], 0
        for name in cart.names:
            for ref in refs_in(name, cart.read(name)):
                ref = ref.strip()
                if ref.startswith("#") or urlsplit(ref).scheme in ("http", "https", "mailto", "tel") or ref == "data:,":
                    continue
                if ref.startswith(FILEBASE):
                    into_package += 1
                    target = "web_resources/" + unquote(urlsplit(ref[len(FILEBASE):]).path)  # the token is web_resources/
                    if target in names:
                        continue
                bad.append(f"{name}: {ref}")
        assert into_package > 1000
        assert not bad, f"{cart.edition}: {len(bad)} links neither absolute nor into the package, e.g. {bad[:5]}"


def test_pages_are_lms_content_without_the_sites_chrome(exported: Exported) -> None:
    for cart in each(exported):
        resources = cart.resources()
        items = [resources[i.get("identifierref")] for i in cart.root_item().iter(f"{CP}item") if i.get("identifierref")]
        pages = [r.get("href") for r in items if r.get("type") == "webcontent"]
        assert len(pages) > 60
        for page in pages:
            data = cart.read(page)
            if page.startswith("web_resources/handouts/"):
                continue  # the printable handouts are whole documents of their own
            assert not THEME_CHROME.search(data), f"{cart.edition}: {page} carries the site's navigation or scripts"
            assert b'href="$IMS-CC-FILEBASE$/_static/lms.css"' in data, page
            text = " ".join(unescape(re.sub(r"<[^>]+>", " ", re.sub(rb"<(script|style)\b.*?</\1>", b"", data, flags=re.S)
                                              .decode("utf-8"))).split())
            assert len(text) > 200, f"{cart.edition}: {page} is (nearly) empty: {text[:80]!r}"
            assert re.search(rb"<h1>", data), page
        exercise = next(p for p in pages if p.startswith("web_resources/exercises/failure/"))
        assert b'src="$IMS-CC-FILEBASE$/_static/workbook.js"' in cart.read(exercise)
        assert "web_resources/_static/workbook-catalogue.json" in cart.names
        # only what the pages use is packaged: none of the theme's own files
        assert not [n for n in cart.names if re.search(r"_static/(scripts|styles|vendor)/", n)], "theme files packaged"
    guide = module_item(exported.cartridges["instructor"], "Instructor guide")
    assert "web_resources/handouts/index.html" in hrefs_under(exported.cartridges["instructor"], guide)


def _pyslet_conformance(path: Path) -> list[str]:
    """IMS's Common Cartridge profile tests as pyslet (PyPI) implements them: the problems, none if it conforms."""
    import unittest
    import warnings

    from pyslet import imscc_profilev1p1 as cc11
    from pyslet.imscc_profilev1p0 import CCTestSuite

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        package = cc11.ContentPackage(str(path))
        try:
            result = unittest.TestResult()
            CCTestSuite(cc11.CommonCartridge(package)).run(result)
        finally:
            package.close()
    assert result.testsRun == 8
    return [f"{test.id().rsplit('.', 1)[-1]}: {trace.strip().splitlines()[-1]}" for test, trace in result.failures + result.errors]


def test_both_cartridges_pass_the_outside_conformance_tests(exported: Exported) -> None:
    for cart in each(exported):
        assert _pyslet_conformance(cart.path) == [], cart.edition


def test_a_programmes_cartridges_pass_the_outside_conformance_tests_too(programme_built) -> None:
    root = programme_built.root
    result = coursekit("export", "cc", "--no-build", "--root", str(root), "--programme", str(root / "northfield.yml"))
    assert result.returncode == 0, result.stdout + result.stderr
    for edition in EDITIONS:
        path = root / "_build" / edition / "falling-well.imscc"
        assert _pyslet_conformance(path) == [], edition
        with zipfile.ZipFile(path) as zf:
            manifest = zf.read("imsmanifest.xml").decode("utf-8")
            assert "Rupture and repair" not in manifest and "Falling Well" in manifest


def test_each_discussion_topic_and_web_link_has_a_folder_of_its_own(exported: Exported) -> None:
    for cart in each(exported):
        for res in cart.resources().values():
            if res.get("type") in ("imsdt_xmlv1p1", "imswl_xmlv1p1"):
                name = res.find(f"{CP}file").get("href")
                folder = posixpath.dirname(name)
                assert folder and [n for n in cart.names if posixpath.dirname(n) == folder] == [name], name


# --- pieces, without a build ----------------------------------------------------------------------------
def test_a_page_becomes_its_article_with_links_from_the_package_root() -> None:
    from coursekit.cartridge import lms_page, with_filebase, without_links_to_left_out

    built = ('<!DOCTYPE html><html lang="en"><head><title>Shame — Course</title><script src="../_static/x.js"></script>'
             '</head><body><nav class="bd-sidebar">menu</nav><article class="bd-article"><section id="s">'
             '<h1>Shame<a class="headerlink" href="#s">#</a></h1><p>See <a href="../glossary.html#term-shame">shame</a>, '
             '<a href="../genindex.html">the index</a>, <a href="https://example.org/">out</a> and '
             '<a href="#s">here</a>.</p><img src="../_static/a.png"></section></article><footer>f</footer></body></html>')
    page = without_links_to_left_out(lms_page(built, "chapters/shame.html"))
    assert "bd-sidebar" not in page and "<footer>" not in page and "x.js" not in page and "headerlink" not in page
    assert "<title>Shame — Course</title>" in page and '<h1>Shame</h1>' in page and "the index" in page
    out = with_filebase("web_resources/chapters/shame.html", page.encode()).decode()
    assert 'href="$IMS-CC-FILEBASE$/glossary.html#term-shame"' in out
    assert 'src="$IMS-CC-FILEBASE$/_static/a.png"' in out
    assert 'href="$IMS-CC-FILEBASE$/_static/lms.css"' in out
    assert 'href="https://example.org/"' in out and 'href="#s"' in out and "genindex" not in out
    assert "workbook.js" not in out
    assert lms_page("<html><body><h1>A handout</h1></body></html>", "handouts/a.html") is None


def test_dangling_links_are_found() -> None:
    from coursekit.cartridge import dangling_links

    files = {"web_resources/a/page.html": b'<a href="../b.html#x">b</a><img src="../img/x.png"><a href="#top">t</a>'
                                          b'<a href="https://example.org/">e</a><a href="../../../etc/passwd">p</a>',
             "web_resources/b.html": b"", "web_resources/s.css": b"a{background:url(missing.png)}"}
    assert sorted(dangling_links(files)) == [("web_resources/a/page.html", "../../../etc/passwd"),
                                             ("web_resources/a/page.html", "../img/x.png"),
                                             ("web_resources/s.css", "missing.png")]


def test_a_doi_becomes_a_doi_org_address() -> None:
    from pybtex.database import Entry

    from coursekit.cartridge import entry_url

    assert entry_url(Entry("article", {"doi": "10.1037/pst0000185"})) == "https://doi.org/10.1037/pst0000185"
    assert entry_url(Entry("article", {"doi": "https://doi.org/10.1/x", "url": "https://a.example"})) == "https://doi.org/10.1/x"
    assert entry_url(Entry("misc", {"url": "https://a.example/p"})) == "https://a.example/p"
    assert entry_url(Entry("misc", {"url": "ftp://a.example/p"})) is None
    assert entry_url(Entry("book", {"title": "A book"})) is None


def test_an_unreadable_bibliography_or_site_is_a_clear_error(tmp_path: Path) -> None:
    from coursekit.cartridge import read_bibliography, write_cartridge
    from coursekit.project import CourseError

    (tmp_path / "references.bib").write_text("@book{broken, title = {no end\n", encoding="utf-8")
    with pytest.raises(CourseError, match=r"references\.bib"):
        read_bibliography(tmp_path)
    with pytest.raises(CourseError, match="no built site"):
        write_cartridge(None, "learner", tmp_path / "html", tmp_path / "x.imscc", {})
