"""The ``coursekit`` command line."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from .check import check as check_sources
from .editions import EDITIONS, build_many, build_one, paths
from .project import CourseError, content_files, find_root

ROOT_OPTION = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="The course folder (default: the one holding the current directory).",
)


def _root(root: Path | None) -> Path:
    try:
        return find_root(root)
    except CourseError as exc:
        raise click.ClickException(str(exc)) from None


@click.group()
@click.version_option(package_name="coursekit")
def main() -> None:
    """Build and check the course 'Learning to Fall'."""


@main.command()
@click.option("--edition", type=click.Choice([*EDITIONS, "all"]), default="all", show_default=True,
              help="Which edition to build.")
@ROOT_OPTION
def build(edition: str, root: Path | None) -> None:
    """Build the learner and/or instructor edition into _build/EDITION/html (warnings are errors)."""
    course = _root(root)
    names = list(EDITIONS) if edition == "all" else [edition]
    try:
        if len(names) == 1:
            started = time.monotonic()
            code = build_one(course, names[0])
            results = {names[0]: (code, time.monotonic() - started, "")}
        else:
            results = build_many(course, names)
    except CourseError as exc:
        raise click.ClickException(str(exc)) from None
    failed = False
    for name, (code, seconds, output) in results.items():
        if output.strip():
            click.echo(output.rstrip())  # a parallel build's own report
            failed = failed or code != 0
            continue
        index = paths(course, name).html / "index.html"
        shown = index.relative_to(Path.cwd()) if index.is_relative_to(Path.cwd()) else index
        if code == 0:
            click.echo(f"{name} edition built in {seconds:.0f} s: open {shown}")
        else:
            failed = True
            click.echo(f"{name} edition FAILED: warnings are errors, see above", err=True)
    sys.exit(1 if failed else 0)


@main.command()
@ROOT_OPTION
def check(root: Path | None) -> None:
    """Validate the sources without building: tocs, coverage, citations, notebooks, modules."""
    course = _root(root)
    problems = check_sources(course)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) found")
        sys.exit(1)
    click.echo(f"ok: {len(content_files(course))} pages and notebooks checked")


@main.group()
def workbook() -> None:
    """Work with a trainee's filled exercise notebooks (read-only: inputs are never changed)."""


@workbook.command("export")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The portfolio to write: Markdown, or HTML when it ends in .html.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@ROOT_OPTION
def export_cmd(paths: tuple[Path, ...], output: Path, force: bool, root: Path | None) -> None:
    """Export filled notebooks (files or folders) as one portfolio in course order."""
    from .workbook import export

    course = _course_for_workbook(root)
    try:
        filled = export(course, list(paths), output, force=force)
    except CourseError as exc:
        raise click.ClickException(str(exc)) from None
    prompts = sum(len(f.answers) for f in filled)
    answered = sum(a.answered for f in filled for a in f.answers)
    click.echo(f"wrote {output}: {len(filled)} exercise(s), {answered} of {prompts} prompts answered")


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
