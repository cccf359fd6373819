"""Every relative link of the README, ARCHITECTURE.md and docs/*.md points at something real.

A link's file must exist; a link to a heading (`file.md#heading` or `#heading`) must name a
heading of that file, spelt as GitHub spells its anchors. Links inside code blocks and code
spans are not links; web addresses are not checked (no network).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", ROOT / "ARCHITECTURE.md", *sorted((ROOT / "docs").glob("*.md"))]

LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
CODE_SPAN = re.compile(r"`[^`\n]*`")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def prose(text: str) -> str:
    """The text without fenced code blocks and code spans."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def links(text: str) -> list[str]:
    return LINK.findall(prose(text))


def anchors(text: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, -1 for repeats."""
    seen: dict[str, int] = {}
    result = set()
    for heading in HEADING.findall(FENCE.sub("", text)):
        slug = re.sub(r"[^\w\- ]", "", heading.replace("`", "").lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        result.add(slug if count == 0 else f"{slug}-{count}")
    return result


def is_external(target: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I))


def broken_links(page: Path) -> list[str]:
    problems = []
    for target in links(page.read_text(encoding="utf-8")):
        if is_external(target):
            continue
        path_part, _, fragment = target.partition("#")
        destination = (page.parent / path_part).resolve() if path_part else page
        if not destination.exists():
            problems.append(f"{target}: no such file {destination}")
        elif fragment and destination.suffix == ".md":
            if fragment not in anchors(destination.read_text(encoding="utf-8")):
                problems.append(f"{target}: {destination.name} has no heading #{fragment}")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_relative_link_points_at_an_existing_file(page):
    assert page.exists()
    assert broken_links(page) == []


def test_the_documents_are_there_and_linked_from_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("docs/operator-guide.md", "docs/shift-manager-guide.md",
                 "docs/administration.md", "ARCHITECTURE.md", "docs/benchmarks.md"):
        assert (ROOT / name).exists()
        assert name in links(readme), name


def test_the_checker_sees_broken_links(tmp_path):
    """Control: the parser finds links, images and anchors, and ignores code."""
    (tmp_path / "there.md").write_text("# A title, with `code`\n\n## Twice\n\n## Twice\n")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](there.md) ![img](missing.png) [bad](gone.md) [a](there.md#a-title-with-code)\n"
        "[b](there.md#twice-1) [c](there.md#nowhere) [web](https://example.org/x)\n"
        "`[not a link](nothing.md)`\n```\n[not a link](nothing2.md)\n```\n[self](#top)\n")
    problems = broken_links(page)
    assert len(problems) == 4, problems
    assert any("missing.png" in p for p in problems)
    assert any("gone.md" in p for p in problems)
    assert any("#nowhere" in p for p in problems)
    assert any("#top" in p for p in problems)


def test_no_issue_numbers_in_the_documents():
    pattern = re.compile(r"\bissues?\s*#?\d+|(?<![\w/&])#\d+\b", re.I)
    for page in PAGES:
        found = pattern.findall(page.read_text(encoding="utf-8"))
        assert not found, (page.name, found)
