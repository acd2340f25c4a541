"""Help one tap away: the "Help now" page's first screen, phone numbers as tel: links, and the
page-level content notes that pages whose material can hit hard open with (from their front
matter, or an exercise's notebook metadata).

The urgent numbers are the course's own signposting (UK examples, with the reader's local number
first); a programme adds its contacts in programme.yml, and they appear here and in Orientation."""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes

HELP_PAGE = "help-now"
GROUNDING_PAGE = "chapters/orientation/studying-painful-material"

PHONE = re.compile(r"\+?\d[\d ()\-]{1,}\d")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def tel(number: str) -> str:
    """The tel: address of a number as people write it ("01632 960000", "+44 (0)1632 960000")."""
    number = number.replace("(0)", "")
    return "tel:" + re.sub(r"[^\d+]", "", number)


def phone(text: str, number: str | None = None) -> nodes.reference:
    ref = nodes.reference(text, "", refuri=tel(number or text), classes=["tel"])
    ref += nodes.strong(text=text)
    return ref


def contact_nodes(contact: str) -> list[nodes.Node]:
    """A programme's free-text contact, with each phone number a tel: link and each address a mailto: link.
    Only runs of at least six digits count as numbers, so "Mon-Fri 9-5" stays text."""
    out: list[nodes.Node] = []
    at = 0
    tokens = sorted([(m.start(), m.end(), "mail") for m in EMAIL.finditer(contact)] +
                    [(m.start(), m.end(), "tel") for m in PHONE.finditer(contact)
                     if len(re.sub(r"\D", "", m.group())) >= 6 or re.sub(r"\D", "", m.group()) in ("999", "112", "111")])
    for start, end, kind in tokens:
        if start < at:
            continue
        if start > at:
            out.append(nodes.Text(contact[at:start]))
        word = contact[start:end]
        if kind == "mail":
            out.append(nodes.reference(word, word, refuri=f"mailto:{word}"))
        else:
            out.append(nodes.reference(word, word, refuri=tel(word), classes=["tel"]))
        at = end
    if at < len(contact):
        out.append(nodes.Text(contact[at:]))
    return out


def contact_list(contacts: list[tuple[str, dict[str, str]]], classes: list[str]) -> nodes.bullet_list:
    """The programme's contacts, one a line: label, name, the contact as links, hours."""
    items = nodes.bullet_list(classes=classes)
    for label, c in contacts:
        para = _para(nodes.strong(text=f"{label}:"), f" {c['name']}, ", *contact_nodes(c["contact"]))
        if c.get("hours"):
            para += nodes.Text(f" ({c['hours']})")
        items += nodes.list_item("", para)
    return items


def _para(*parts: nodes.Node | str, classes: list[str] | None = None) -> nodes.paragraph:
    para = nodes.paragraph(classes=classes or [])
    for part in parts:
        para += nodes.Text(part) if isinstance(part, str) else part
    return para


def urgent_help(contacts: list[tuple[str, dict[str, str]]]) -> nodes.container:
    """What to do right now, in the order a person in trouble needs it; fits a phone's first screen."""
    box = nodes.container(classes=["help-now"], ids=["urgent-help"])
    box += _para(nodes.strong(text="In danger now, or unable to keep yourself safe? "),
                 "Call the emergency services: ", phone("999"), " or ", phone("112"),
                 " in the UK, or your local emergency number. Or go to the nearest emergency department, "
                 "and tell someone near you.")
    box += _para(nodes.strong(text="Need to talk to someone now? "), "Samaritans: ", phone("116 123"),
                 ", free, day or night (UK and Ireland).")
    box += _para(nodes.strong(text="Urgent, but not an emergency? "), "NHS ", phone("111", "111"),
                 " in the UK, or your GP or doctor.")
    if contacts:
        box += _para(nodes.strong(text="Your programme:"))
        box += contact_list(contacts, ["help-now__contacts"])
    else:
        box += _para(nodes.strong(text="Then, or if it can wait a day: "),
                     "tell your personal tutor, supervisor or programme lead what has happened, by phone or in "
                     "person if you can. If you cannot reach any of them today, your GP or doctor is the next step.")
    return box


def help_reference(docname: str, text: str, env) -> nodes.Node:
    """A link to the "Help now" page, or to Orientation's support section in a course without one."""
    target = HELP_PAGE if HELP_PAGE in env.found_docs else GROUNDING_PAGE
    ref = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget=f"/{target}",
                                refdoc=docname, refexplicit=True, refwarn=True)
    ref += nodes.inline(text=text)
    return ref


def page_note(app, docname: str, module_key: str | None, text: str) -> nodes.Element:
    """The short note a hard page opens with: what is on it, then grounding and urgent help, one tap each."""
    from .nodes import content_note

    box = content_note(classes=["page-note"])
    box["ids"] = ["page-note"]
    box["title_id"] = "page-note-title"
    title = nodes.paragraph(classes=["content-note__title"], ids=["page-note-title"])
    title += nodes.strong(text="Before you read")
    box += title
    box += _para(text)
    steps = nodes.paragraph()
    steps += nodes.Text("Go at your own pace, and stop whenever you need to. ")
    if module_key:
        ref = nodes.reference("", "", internal=True, refuri="")
        ref["coursekit_target"] = f"chapters/{module_key}/index"  # resolved per page, as the reminders are
        ref += nodes.Text("The module's grounding steps")
        steps += ref
        steps += nodes.Text(" are a tap away, and so is ")
    else:
        steps += nodes.Text("If you need it, here is ")
    steps += help_reference(docname, "help now", app.env)
    steps += nodes.Text(".")
    box += steps
    return box
