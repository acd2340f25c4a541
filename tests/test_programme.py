"""A programme adopts the course with one file (tests/fixtures/northfield.yml): its own name,
institution, logo and support contacts, and without the module Rupture and repair. Both editions
build with warnings as errors, and nothing in them is broken or still wears the old name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import EDITIONS, REPO, Built, coursekit, parse

LEFT_OUT = "rupture-repair"


def test_both_editions_build_for_the_programme(programme_built: Built) -> None:
    out = programme_built.result.stdout + programme_built.result.stderr
    assert programme_built.result.returncode == 0, out
    assert "WARNING" not in out and "ERROR" not in out, out


def test_the_left_out_module_is_nowhere_and_links_to_it_are_plain_text(programme_built: Built) -> None:
    plain_text_notes = 0
    for edition in EDITIONS:
        html = programme_built.html(edition)
        assert not (html / "chapters" / LEFT_OUT).exists() and not (html / "exercises" / LEFT_OUT).exists()
        assert not (html / "instructor" / "modules" / f"{LEFT_OUT}.html").exists()
        for path in html.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            assert f"/{LEFT_OUT}/" not in "".join(re.findall(r'href="([^"]*)"', text)), \
                f"{edition} {path.relative_to(html)} links to the left-out module"
            plain_text_notes += text.count("which is not part of this programme") + text.count("(not part of this programme)")
    assert plain_text_notes >= 5, "the pages that pointed to the module should say it is not part of this programme"


def test_the_modules_are_numbered_in_the_programmes_order(programme_built: Built) -> None:
    html = programme_built.html("learner")
    assert parse(html / "chapters" / "shame" / "index.html").text.startswith("Module 3: Shame")
    assert "Module 4: The therapist's person" in parse(html / "chapters" / "therapists-person" / "index.html").text.replace("’", "'")
    nav = parse(html / "index.html").text
    assert "Module 3: Rupture and repair" not in nav


def test_the_programmes_name_is_on_every_page(programme_built: Built) -> None:
    for edition in EDITIONS:
        html = programme_built.html(edition)
        for path in html.rglob("*.html"):
            if "_static" in path.relative_to(html).parts or path.parent.name == "handouts":
                continue
            text = path.read_text(encoding="utf-8")
            title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
            assert "Falling Well" in title, f"{edition} {path.relative_to(html)}: title {title!r}"
            if path.parent.name == "room":  # the view to project: the programme's name in its title, no footer
                continue
            assert "By Northfield School of Psychotherapy" in text, f"{path.relative_to(html)}: footer"
            assert "Taught by Northfield School of Psychotherapy" in text
            assert "Learning to Fall authors" not in text
        home = (html / "index.html").read_text(encoding="utf-8")
        assert re.search(r'<section id="falling-well">\s*<h1>Falling Well<a class="headerlink"', home), "home heading"
        assert "<strong>Failure, repair and shame in the consulting room, for Northfield trainees</strong>" in home
        assert 'src="_static/northfield-logo.svg"' in (html / "index.html").read_text(encoding="utf-8")
    assert (programme_built.html("learner") / "_downloads" / "falling-well-workbook.zip").is_file()
    assert not list(programme_built.html("learner").rglob("learning-to-fall-workbook.zip"))


def test_the_programmes_support_contacts_fill_the_signposting(programme_built: Built) -> None:
    page = parse(programme_built.html("learner") / "chapters" / "orientation" / "studying-painful-material.html").text
    for contact in ("Dr Ada Example, programme lead", "ada.example@northfield.example", "Northfield student counselling",
                    "01632 960000", "Samaritans, 116 123"):
        assert contact in page, contact
    # "Help now": the programme's numbers and addresses are links a phone can call or write to
    from html import unescape
    from urllib.parse import unquote

    help_page = unquote(unescape((programme_built.html("learner") / "help-now.html").read_text(encoding="utf-8")))
    for link in ('href="tel:01632960000"', 'href="mailto:ada.example@northfield.example"', 'href="tel:116123"',
                 'href="tel:999"', 'href="tel:112"'):
        assert link in help_page, link
    assert "Northfield student counselling" in parse(programme_built.html("learner") / "help-now.html").text
    safety = parse(programme_built.html("instructor") / "instructor" / "safety.html").text
    assert "Northfield student counselling" in safety
    sheet = parse(programme_built.html("instructor") / "handouts" / "support-sheet.html").text
    assert "Northfield student counselling" in sheet and "01632 960000" in sheet


def test_the_certificates_carry_the_programmes_name_and_hours(programme_built: Built) -> None:
    certificate = parse(programme_built.html("instructor") / "handouts" / "certificate-weekly.html").text
    # weekly seminars without Rupture and repair: five 90-minute sessions
    assert "Falling Well" in certificate and "Northfield School of Psychotherapy" in certificate
    assert "7 h 30 min of contact time" in certificate
    # the logo heads the certificate, the joining letter and the support sheet, and the file is there
    handouts = programme_built.html("instructor") / "handouts"
    for name in ("certificate-weekly", "joining-letter-weekly", "support-sheet"):
        html = (handouts / f"{name}.html").read_text(encoding="utf-8")
        assert "src='../_static/northfield-logo.svg' alt='Northfield School of Psychotherapy'" in html, name
    assert (handouts.parent / "_static" / "northfield-logo.svg").is_file()


def test_the_weekly_format_has_one_session_for_each_chosen_module(programme_built: Built) -> None:
    page = parse(programme_built.html("instructor") / "instructor" / "formats.html")
    weekly = next(t for t in page.tables if t and t[0] == ["Week", "Time", "Contact minutes", "Session"])
    assert len(weekly) - 2 == 5
    assert "Rupture and repair" not in " ".join(" ".join(r) for r in weekly)


@pytest.mark.slow
def test_the_capstone_rubric_appears_only_with_its_module(course_copy_factory, tmp_path) -> None:
    root = course_copy_factory()
    programme = tmp_path / "short.yml"
    programme.write_text("title: A short course\nslug: short\nmodules: [orientation, failure, shame]\n", encoding="utf-8")
    result = coursekit("build", "--edition", "instructor", "--root", str(root), "--programme", str(programme))
    assert result.returncode == 0, result.stdout + result.stderr
    assessment = parse(root / "_build" / "instructor" / "html" / "instructor" / "assessment.html").text
    assert "Reflective writing rubric" in assessment
    assert "Capstone rubric" not in assessment and "capstone" not in assessment.lower()
    crosswalk = (root / "_build" / "instructor" / "html" / "_downloads" / "short-crosswalk-weekly.csv").read_text(encoding="utf-8")
    assert "Capstone" not in crosswalk and "Reflective writing" in crosswalk


def test_a_build_for_another_programme_removes_what_the_last_one_left(tmp_path) -> None:
    """`make book PROGRAMME=ours.yml` then `make book`: the second build must not leave the first
    programme's PDFs, handouts and cartridge beside the default course."""
    from coursekit import programme as programme_mod
    from coursekit.editions import claim

    ours = programme_mod.load(REPO, Path(__file__).resolve().parent / "fixtures" / "northfield.yml")
    default = programme_mod.load(REPO)
    out = tmp_path / "_build" / "instructor"
    out.mkdir(parents=True)
    assert claim(out, ours) == []
    for name in ("pdf/falling-well-instructor.pdf", "handouts/role-cards.pdf", "falling-well.imscc", "html/index.html"):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text("x", encoding="utf-8")
    assert claim(out, ours) == [], "a rebuild for the same programme removed its own files"
    assert (out / "pdf" / "falling-well-instructor.pdf").is_file()
    assert claim(out, default) == ["pdf/", "handouts/", "falling-well.imscc"]
    assert not (out / "pdf").exists() and not (out / "handouts").exists() and not list(out.glob("*.imscc"))
    assert (out / "html" / "index.html").is_file(), "the html is the build's own to replace"


def test_orientation_lists_the_programmes_modules_in_its_order(programme_built: Built) -> None:
    text = " ".join(parse(programme_built.html("learner") / "chapters" / "orientation" / "how-the-course-fits.html")
                    .text.replace("’", "'").split())
    order = [text.index(t) for t in ("Module 1: Orientation", "Module 2: Failure", "Module 3: Shame",
                                     "Module 4: The therapist's person", "Module 5: Learning from failure")]
    assert order == sorted(order)
    assert ("Module 2: Failure and Module 3: Shame are the core of the course; Module 4: The therapist's person – "
            "technique, enactment, affect and the body in the room and Module 5: Learning from failure – supervision, "
            "culture, accountability and community extend it. This programme does not teach Rupture and repair, or "
            "Boundaries and the therapist's own needs.") in text
    assert "Rupture and repair:" not in text and "rupture, and shame are the core" not in text
