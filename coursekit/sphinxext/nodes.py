"""The course's own nodes: a fold (HTML <details>) and an answer box, with their HTML."""

from __future__ import annotations

from html import escape

from docutils import nodes


class fold(nodes.General, nodes.Element):
    """Content shown only when the reader opens it: example responses, later case stages."""


class fold_title(nodes.TextElement):
    """The always-visible line of a fold."""


class content_note(nodes.General, nodes.Element):
    """A module's content note: a labelled note region, first on its overview page."""


def visit_content_note(self, node: content_note) -> None:
    """The module's note (id content-note), or a page's own (ids and title id set on the node)."""
    ident = (node.get("ids") or ["content-note"])[0]
    title = node.get("title_id", "content-note-title")
    classes = " ".join(["content-note", *node.get("classes", [])])
    self.body.append(f'<div class="{escape(classes)}" id="{escape(ident)}" role="note" aria-labelledby="{escape(title)}">')


def depart_content_note(self, node: content_note) -> None:
    self.body.append("</div>\n")


class answer_box(nodes.General, nodes.Element):
    """A place for the trainee's answer under a prompt; the workbook script makes it writable."""


def visit_fold(self, node: fold) -> None:
    classes = " ".join(["fold", *node.get("classes", [])])
    self.body.append(f'<details class="{escape(classes)}">')


def depart_fold(self, node: fold) -> None:
    self.body.append("</details>\n")


def visit_fold_title(self, node: fold_title) -> None:
    self.body.append("<summary>")


def depart_fold_title(self, node: fold_title) -> None:
    self.body.append("</summary>\n")


def visit_answer_box(self, node: answer_box) -> None:
    cell, exercise, label = escape(node["cell"]), escape(node["exercise"]), escape(node["label"])
    private = node.get("private", False)
    mark = ('<p class="answer-box__private" id="answer-private-{0}"><strong>For you alone:</strong> '
            "kept out of your portfolio and anything you hand in.</p>").format(cell)
    self.body.append(
        f'<div class="answer-box{" answer-box--private" if private else ""}" data-exercise="{exercise}" '
        f'data-cell="{cell}"{" data-private" if private else ""}'
        + (f' data-words="{escape(node["words"])}"' if node.get("words") else "") + ">"
        f'<p class="answer-box__label" id="answer-label-{cell}">Your answer<span class="visually-hidden">: {label}</span></p>'
        + (mark if private else "") +
        f'<div class="answer-box__space"><p>Space for your answer. Write it in the downloaded notebook, '
        f"or on paper.</p></div></div>\n"
    )
    raise nodes.SkipNode


def visit_skip(self, node: nodes.Node) -> None:
    raise nodes.SkipNode


def _text_fold(self, node: fold) -> None:  # text, man, latex...: show the content plainly
    pass


def register(app) -> None:
    app.add_node(content_note, html=(visit_content_note, depart_content_note), latex=(_text_fold, _text_fold),
                 text=(_text_fold, _text_fold))
    app.add_node(fold, html=(visit_fold, depart_fold), latex=(_text_fold, _text_fold), text=(_text_fold, _text_fold))
    app.add_node(fold_title, html=(visit_fold_title, depart_fold_title), latex=(_text_fold, _text_fold),
                 text=(_text_fold, _text_fold))
    app.add_node(answer_box, html=(visit_answer_box, None), latex=(visit_skip, None), text=(visit_skip, None))
