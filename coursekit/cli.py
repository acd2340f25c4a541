"""The ``coursekit`` command line."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from .project import CourseError, content_files, find_root

ROOT_OPTION = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="The course folder (default: the one holding the current directory).",
)
PROGRAMME_OPTION = click.option(
    "--programme", "programme_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="The programme file to build (default: programme.yml in the course folder).",
)


def _root(root: Path | None) -> Path:
    try:
        return find_root(root)
    except CourseError as exc:
        raise click.ClickException(str(exc)) from None


def _shown(path: Path) -> Path:
    return path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path


def _programme(course_root: Path, programme_file: Path | None):
    from . import programme

    try:
        return programme.load(course_root, programme_file)
    except CourseError as exc:
        raise click.ClickException(f"the programme file has problems:\n{exc}") from None


def _check_or_stop(course_root: Path, programme_file: Path | None) -> None:
    from .check import check as check_sources

    problems, _ = check_sources(course_root, programme_file)
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{len(problems)} problem(s) in the sources: nothing was built "
                                   "(coursekit check lists them too)")


@click.group()
@click.version_option(package_name="coursekit")
def main() -> None:
    """Build and check the course 'Learning to Fall' and what is made from it."""


@main.command()
@click.option("--edition", type=click.Choice(["learner", "instructor", "all"]), default="all", show_default=True,
              help="Which edition to build.")
@click.option("--pdf", is_flag=True, help="Also print each edition as one PDF into _build/EDITION/pdf/.")
@click.option("--builder", default="html", hidden=True)
@click.option("--no-check", is_flag=True, hidden=True, help="Skip the source check (it has run already).")
@click.option("--pdf-only", is_flag=True, hidden=True,
              help="Print the PDFs without building the HTML editions again (they are built already).")
@PROGRAMME_OPTION
@ROOT_OPTION
def build(edition: str, pdf: bool, builder: str, no_check: bool, pdf_only: bool, programme_file: Path | None,
          root: Path | None) -> None:
    """Check the sources, then build the edition(s) into _build/EDITION/html (warnings are errors)."""
    from .editions import EDITIONS, build_many, build_one

    course_root = _root(root)
    if not no_check:
        _check_or_stop(course_root, programme_file)
    prog = _programme(course_root, programme_file)
    names = list(EDITIONS) if edition == "all" else [edition]
    pdf = pdf or pdf_only
    try:
        if pdf_only:
            results = {}
        elif len(names) == 1:
            started = time.monotonic()
            code = build_one(course_root, names[0], prog, builder=builder)
            results = {names[0]: (code, time.monotonic() - started, "")}
        else:
            results = build_many(course_root, names, prog.path, builder=builder)
    except CourseError as exc:
        raise click.ClickException(str(exc)) from None
    failed = False
    for name, (code, seconds, output) in results.items():
        if output.strip():
            click.echo(output.rstrip())  # a parallel build's own report
            failed = failed or code != 0
            continue
        index = course_root / "_build" / name / builder / "index.html"
        if code == 0:
            click.echo(f"{name} edition built in {seconds:.0f} s: open {_shown(index)}")
        else:
            failed = True
            click.echo(f"{name} edition FAILED: warnings are errors, see above", err=True)
    if failed:
        sys.exit(1)
    if pdf and builder == "html":
        from .pdf import build_pdfs

        try:
            for name, (path, pages, seconds) in build_pdfs(course_root, names, prog).items():
                click.echo(f"{name} PDF printed in {seconds:.0f} s: {_shown(path)} ({pages} pages)")
        except CourseError as exc:
            raise click.ClickException(str(exc)) from None


@main.command()
@PROGRAMME_OPTION
@ROOT_OPTION
def check(programme_file: Path | None, root: Path | None) -> None:
    """Validate the sources without building: tocs, data files, citations, notebooks, modules, plans."""
    from .check import check as check_sources

    course_root = _root(root)
    problems, notes = check_sources(course_root, programme_file)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) found")
        sys.exit(1)
    for note in notes:
        click.echo(f"note: {note}")
    from .check import excluded
    from .crosswalk import thin_outcomes

    for warning in thin_outcomes(course_root, _programme(course_root, programme_file)):
        click.echo(f"warning: {warning}")

    skip = excluded(course_root)
    count = sum(1 for p in content_files(course_root) if not skip(p.relative_to(course_root).as_posix()))
    click.echo(f"ok: {count} pages and notebooks checked"
               + (f", {len(notes)} link(s) to left-out modules shown as plain text" if notes else ""))


@main.command()
@click.option("--edition", type=click.Choice(["learner", "instructor"]), default="learner", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@PROGRAMME_OPTION
@ROOT_OPTION
def serve(edition: str, port: int, programme_file: Path | None, root: Path | None) -> None:
    """Preview an edition on 127.0.0.1 with live reload while you edit (sphinx-autobuild)."""
    from .serve import serve as run

    course_root = _root(root)
    prog = _programme(course_root, programme_file)
    try:
        sys.exit(run(course_root, edition, prog, port))
    except CourseError as exc:
        raise click.ClickException(str(exc)) from None


@main.command()
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True)
@click.option("--no-build", is_flag=True, help="Print from the instructor edition already built.")
@click.option("--only", "only", multiple=True, metavar="NAME",
              help="Print only this handout (its file name without .pdf, e.g. support-sheet); repeatable.")
@click.option("--group", type=click.IntRange(1, 200), default=None, metavar="N",
              help="The group's size: a row for each in the attendance registers, and the run sheets' "
                   "groups and print counts (default: each format's own).")
@click.option("--format", "formats", multiple=True, metavar="FORMAT",
              help="Only the pack for this format (weekly, series, weekend, one-day): what its sessions use; "
                   "repeatable.")
@PROGRAMME_OPTION
@ROOT_OPTION
def handouts(paper: str, no_build: bool, only: tuple[str, ...], group: int | None, formats: tuple[str, ...],
             programme_file: Path | None, root: Path | None) -> None:
    """Print every handout (role cards, drill cards, stage slips, forms, registers...) into
    _build/instructor/handouts/, with each attendance register's CSV beside its PDF."""
    from .course import Course
    from .editions import build_one
    from .handouts import print_all

    course_root = _root(root)
    prog = _programme(course_root, programme_file)
    started = time.monotonic()
    if not no_build:
        _check_or_stop(course_root, programme_file)
        if build_one(course_root, "instructor", prog) != 0:
            raise click.ClickException("the instructor edition did not build: see the messages above")
    try:
        made = print_all(course_root, Course(course_root, prog), paper=paper, only=only, group=group, formats=formats)
    except CourseError as exc:
        raise click.ClickException(str(exc)) from None
    folder = course_root / "_build" / "instructor" / "handouts"
    click.echo(f"{len(made)} handouts printed on {paper.upper() if paper == 'a4' else 'US Letter'} in "
               f"{time.monotonic() - started:.0f} s: {_shown(folder)}"
               + (f" (for a group of {group})" if group else "")
               + (f": the pack for {', '.join(formats)}" if formats else ""))


@main.group("export")
def export_group() -> None:
    """Package the built course for other systems."""


@export_group.command("cc")
@click.option("--edition", type=click.Choice(["learner", "instructor", "all"]), default="all", show_default=True)
@click.option("--no-build", is_flag=True, help="Package the edition(s) already built in _build/.")
@PROGRAMME_OPTION
@ROOT_OPTION
def export_cc(edition: str, no_build: bool, programme_file: Path | None, root: Path | None) -> None:
    """Build the edition(s), then write an IMS Common Cartridge 1.1 of each: _build/EDITION/SLUG.imscc."""
    from .cartridge import export as export_cartridges

    course_root = _root(root)
    if not no_build:
        _check_or_stop(course_root, programme_file)
    prog = _programme(course_root, programme_file)
    names = ["learner", "instructor"] if edition == "all" else [edition]
    try:
        for name, (path, summary) in export_cartridges(course_root, names, prog, build=not no_build).items():
            click.echo(f"{name} cartridge written: {_shown(path)} ({summary})")
    except CourseError as exc:
        raise click.ClickException(str(exc)) from None


@main.group()
def workbook() -> None:
    """Work with a trainee's filled exercise notebooks (read-only: inputs are never changed)."""


@workbook.command("export")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The portfolio to write: Markdown, or HTML when it ends in .html.")
@click.option("--all", "everything", is_flag=True, help="Include exercises with no answers yet.")
@click.option("--exclude", multiple=True, metavar="ID", help="Leave out this exercise (its id or file name); repeatable.")
@click.option("--include-private", multiple=True, metavar="ID",
              help="Include this private exercise (left out unless named); repeatable.")
@click.option("--strict", is_flag=True, help="Stop at a damaged or foreign notebook instead of warning.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@ROOT_OPTION
def export_cmd(paths: tuple[Path, ...], output: Path, everything: bool, exclude: tuple[str, ...],
               include_private: tuple[str, ...], strict: bool, force: bool, root: Path | None) -> None:
    """Put filled notebooks (files or folders) together as one portfolio, in course order."""
    from .workbook import export

    course = _course_for_workbook(root)
    try:
        result = export(course, list(paths), output, force=force, everything=everything, exclude=set(exclude),
                        include_private=set(include_private), strict=strict)
    except CourseError as exc:
        for warning in getattr(exc, "warnings", []):
            click.echo(f"warning: {warning}", err=True)
        raise click.ClickException(str(exc)) from None
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    prompts = sum(a.shareable for f in result.included for a in f.answers)
    answered = sum(f.answered for f in result.included)
    kept = sum(f.private_answered for f in result.included)
    click.echo(f"wrote {output}: {len(result.included)} exercise(s), {answered} of {prompts} prompts answered"
               + (f"; left out {len(result.left_out)}: {', '.join(result.left_out)}" if result.left_out else ""))
    if kept:
        click.echo(f"Left out {kept} answer(s) marked private in the exercises (code words, checks, stop-point "
                   "ratings, disguise notes): they never go in a portfolio and stay in your own files.")
    if any(item.endswith("(private)") for item in result.left_out):
        click.echo("Private exercises stay out unless you name them: --include-private ID")


def _course_for_workbook(root: Path | None) -> Path:
    """The course whose exercises a workbook belongs to: --root, the current folder's, or coursekit's own."""
    if root is not None:
        return _root(root)
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        try:
            return find_root(start)
        except CourseError:
            continue
    raise click.ClickException("cannot find the course: run this inside the course folder or give --root")


if __name__ == "__main__":
    main()
