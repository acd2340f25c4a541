"""Progress and resume, from what this browser keeps: after typing in one exercise, that exercise is
marked as answered, in words, in the course menu, on its module's page and in the exercise index;
the home page takes the trainee back to the last page read and can forget it; reading pages say how
long they take; the capstone's boxes count words against the length it asks for; no prompt appears
twice on an exercise page at 390 px."""

from __future__ import annotations

import re

import pytest

from helpers import new_page, visible_text

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844, "is_mobile": True, "has_touch": True}
EXERCISE = "exercises/shame/noticing-shame-in-the-body.html"


def test_answered_exercises_are_marked_and_the_home_page_resumes(browser, served) -> None:
    base = served["learner"]
    page = new_page(browser, base, width=1366, height=900)
    page.goto(f"{base}/{EXERCISE}")
    box = page.locator(".answer-box__input").nth(3)  # a shareable answer: what was noticed in the body
    box.fill("A warm face.")
    page.evaluate("document.activeElement.blur()")
    page.wait_for_function("Object.keys(localStorage).some((k) => k.endsWith(':answers:noticing-shame-in-the-body'))")
    marked = lambda where: page.locator(f"{where} a[href$='noticing-shame-in-the-body.html'] .answered-mark")  # noqa: E731
    # the course menu, the module's page and the exercise index say it in words
    page.goto(f"{base}/chapters/shame/index.html")
    assert marked(".bd-sidebar-primary").first.inner_text().strip() == "(answered)"
    assert marked("article").first.inner_text().strip() == "(answered)"
    assert page.locator("article .answered-mark").count() == 1, "another exercise is marked"
    page.goto(f"{base}/exercises/index.html")
    assert marked("article").count() >= 1
    # the last page read, from the home page
    page.goto(f"{base}/chapters/shame/compass-of-shame.html")
    page.goto(f"{base}/index.html")
    link = page.locator("#resume .resume-last a")
    assert link.inner_text() == "The compass of shame"
    link.click()
    page.wait_for_url(re.compile(r"compass-of-shame\.html$"))
    page.goto(f"{base}/index.html")
    time = page.locator("#resume .resume-time").inner_text()
    assert re.match(r"The whole course takes about \d+(¼|½|¾)? hours of study on your own", time), time
    page.get_by_role("button", name="Forget where I was").click()
    assert page.locator("#resume .resume-last a").count() == 0
    assert page.evaluate("Object.keys(localStorage).some((k) => k.endsWith(':last-page'))") is False
    page.context.close()


def test_reading_time_word_counts_and_one_prompt_each(browser, served) -> None:
    base = served["learner"]
    page = new_page(browser, base, **PHONE)
    page.goto(f"{base}/chapters/shame/compass-of-shame.html")
    assert re.fullmatch(r"About \d+ minutes' reading\.", page.locator("article .reading-time").inner_text().replace("’", "'"))
    page.goto(f"{base}/exercises/learning-from-failure/capstone-failure-vignette.html")
    box = page.locator("#answer-p10-r")
    box.fill("one two three four five")
    assert page.locator("#answer-count-p10-r").inner_text() == "5 words; the exercise asks for 800 to 1,500."
    page.locator("#answer-p11-r").fill("a b")
    assert page.locator("#answer-count-p11-r").inner_text() == "2 words; the exercise asks for at most 300."
    # every prompt is on the screen once: the box's label names it for screen readers only
    visible = visible_text(page, "article")
    prompt = "Write your vignette in the space below (or on paper)."
    assert visible.count(prompt) == 1, visible.count(prompt)
    page.context.close()
