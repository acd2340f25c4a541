"""MyST Markdown read as markdown-it tokens: roles, links, headings, lists and comments, with lines.

Reading the token stream (not regular expressions over prose) means code blocks, inline code and
directive options are never mistaken for citations or links, and nested directive content is
read like any other Markdown."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Iterator

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

# directives whose body is not Markdown
LITERAL_DIRECTIVES = {"code", "code-block", "code-cell", "sourcecode", "literalinclude", "math", "raw",
                      "bibliography", "exercise-index", "objectives-map", "programme-timetable",
                      "contact-hours", "session-plans", "content-note", "study-time", "objectives",
                      "support-contacts", "help-now", "formats-summary", "module-list", "exercise-timing", "offline-control", "resume", "crosswalk", "module-handout"}


@cache
def parser() -> MarkdownIt:
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser
    from markdown_it.renderer import RendererHTML

    return create_md_parser(MdParserConfig(enable_extensions={"colon_fence", "deflist"}), RendererHTML)


@dataclass(frozen=True)
class Found:
    """Something found in a Markdown text, with the line it is on (1-based)."""

    kind: str     # 'role', 'link', 'heading', 'comment', 'directive'
    name: str     # role or directive name, link target, heading level as text
    content: str  # role content, link text, heading text
    line: int


def split_front_matter(text: str) -> tuple[dict, str, int]:
    """A page's YAML front matter (or {}), the rest of the text, and how many lines came before it."""
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            head = text[4:end]
            rest_start = text.find("\n", end + 4)
            rest_start = len(text) if rest_start == -1 else rest_start + 1
            try:
                data = yaml.safe_load(head) or {}
            except yaml.YAMLError:
                data = {}
            return (data if isinstance(data, dict) else {}), text[rest_start:], text[:rest_start].count("\n")
    return {}, text, 0


def _directive_body(content: str) -> tuple[str, int]:
    """The Markdown body of a directive block, and how many option lines precede it."""
    lines = content.splitlines()
    skip = 0
    if lines and lines[0].strip() == "---":  # YAML options block
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
        if end is not None:
            skip = end + 1
    while skip < len(lines) and lines[skip].startswith(":") and not lines[skip].startswith(":::"):
        skip += 1
    return "\n".join(lines[skip:]), skip


def scan(text: str, offset: int = 0) -> tuple[Found, ...]:
    """Everything of interest in ``text``, in order; ``offset`` is added to every line number.
    Remembered, since a check reads each page for several things."""
    return _scan(text, offset)


@cache
def _scan(text: str, offset: int) -> tuple[Found, ...]:
    front, body, before = split_front_matter(text) if offset == 0 else ({}, text, 0)
    tokens = parser().parse(body)
    return tuple(_walk(tokens, offset + before))


def _walk(tokens: list[Token], offset: int) -> Iterator[Found]:
    for i, tok in enumerate(tokens):
        line = offset + (tok.map[0] + 1 if tok.map else 1)
        if tok.type in ("fence", "colon_fence"):
            info = tok.info.strip()
            if info.startswith("{") and "}" in info:
                name = info[1:info.index("}")]
                yield Found("directive", name, info[info.index("}") + 1:].strip(), line)
                if name not in LITERAL_DIRECTIVES:
                    body, skip = _directive_body(tok.content)
                    yield from scan(body, line + skip)
        elif tok.type == "heading_open":
            inline = tokens[i + 1]
            yield Found("heading", tok.tag[1:], inline.content, line)
        elif tok.type in ("html_block", "html_inline") and tok.content.lstrip().startswith("<!--"):
            yield Found("comment", "", tok.content, line)
        if tok.type == "inline" and tok.children:
            yield from _inline(tok.children, line)


def _inline(children: list[Token], line: int) -> Iterator[Found]:
    for n, tok in enumerate(children):
        if tok.type == "myst_role":
            yield Found("role", tok.meta.get("name", ""), tok.content, line)
        elif tok.type == "link_open":
            text = []
            for later in children[n + 1:]:
                if later.type == "link_close":
                    break
                text.append(later.content)
            yield Found("link", tok.attrs.get("href", ""), "".join(text), line)
        elif tok.type == "html_inline" and tok.content.startswith("<!--"):
            yield Found("comment", "", tok.content, line)
        elif tok.type == "softbreak":
            line += 1


def cite_keys(text: str) -> list[tuple[str, int]]:
    """Bibliography keys cited in ``text`` ({cite:...} roles and notebook 'cite:' links), with lines."""
    found = []
    for f in scan(text):
        if f.kind == "role" and (f.name == "cite" or f.name.startswith("cite:")):
            found += [(k.strip(), f.line) for k in f.content.split(",") if k.strip()]
        elif f.kind == "link" and f.name.startswith("cite:"):
            found += [(k.strip(), f.line) for k in f.name[5:].split(",") if k.strip()]
    return found


def doc_targets(text: str) -> list[tuple[str, int]]:
    """The documents ``{doc}`` roles point to, as written (``/chapters/x/y``), with lines."""
    out = []
    for f in scan(text):
        if f.kind == "role" and f.name == "doc":
            target = f.content.rsplit("<", 1)[1].rstrip(">").strip() if f.content.rstrip().endswith(">") else f.content
            out.append((target.strip(), f.line))
    return out


def headings(text: str, level: int | None = None) -> list[tuple[int, str, int]]:
    """Headings as (level, text, line), optionally only those of one level."""
    return [(int(f.name), f.content, f.line) for f in scan(text)
            if f.kind == "heading" and (level is None or int(f.name) == level)]


def sections(text: str, level: int = 2) -> dict[str, tuple[int, int]]:
    """For each heading of ``level``: the line span (start, end) of its body."""
    lines = text.count("\n") + 1
    heads = [(lv, title, line) for lv, title, line in headings(text) if lv <= level]
    out = {}
    for n, (lv, title, line) in enumerate(heads):
        if lv == level:
            end = heads[n + 1][2] - 1 if n + 1 < len(heads) else lines
            out[title] = (line + 1, end)
    return out


def section_text(text: str, title: str, level: int = 2) -> str:
    """The body of one section (empty when there is none)."""
    span = sections(text, level).get(title)
    if not span:
        return ""
    return "\n".join(text.splitlines()[span[0] - 1 : span[1]])


def list_items(text: str, ordered: bool = True) -> list[str]:
    """The items of the top-level list(s) of ``text``, each as its source text, joined to one line."""
    tokens = parser().parse(text)
    src = text.splitlines()
    items, depth = [], 0
    kind = "ordered_list_open" if ordered else "bullet_list_open"
    for tok in tokens:
        if tok.type in ("ordered_list_open", "bullet_list_open"):
            depth += 1
            top = depth == 1 and tok.type == kind
        elif tok.type in ("ordered_list_close", "bullet_list_close"):
            depth -= 1
        elif tok.type == "list_item_open" and depth == 1 and top and tok.map:
            body = " ".join(line.strip() for line in src[tok.map[0] : tok.map[1]] if line.strip())
            items.append(body.split(" ", 1)[1] if " " in body else "")
    return items


def comments(text: str) -> list[int]:
    """Lines holding an HTML comment (which would be published in the page's HTML)."""
    return [f.line for f in scan(text) if f.kind == "comment"]


def plain(text: str) -> str:
    """Markdown (one line or a few) as plain text: markup, roles' targets and links dropped."""
    out = []
    for tok in parser().parse(text):
        if tok.type == "inline":
            for child in tok.children or []:
                if child.type in ("text", "code_inline"):
                    out.append(child.content)
                elif child.type == "myst_role":
                    content = child.content
                    if content.rstrip().endswith(">") and "<" in content:
                        content = content.rsplit("<", 1)[0].strip()
                    out.append(content if child.meta.get("name") in ("term", "doc", "ref", "module") else "")
                elif child.type in ("softbreak", "hardbreak"):
                    out.append(" ")
        out.append(" ")
    return " ".join("".join(out).split())
