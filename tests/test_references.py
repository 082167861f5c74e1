"""The bibliography, the notation page and the glossary (chapters/back_matter).

Every key cited with a MyST role ({cite}, {cite:p}, {cite:t}, ...) in a chapter exists in
`references.bib`, every entry of `references.bib` is cited somewhere, and the file parses.
The links of the notation page and the glossary point to files that exist.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
BIB = ROOT / "references.bib"
BACK = CHAPTERS / "back_matter"

# {cite}`a`, {cite:p}`a,b`, {cite:t}`a`, {cite:ps}`a`, ...
CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]*)`")
# [text](target) in markdown, not images
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")


def chapter_texts() -> dict[str, str]:
    """The markdown of every chapter file: markdown cells of notebooks and .md pages."""
    texts = {}
    for path in sorted(CHAPTERS.rglob("*")):
        if ".ipynb_checkpoints" in path.parts or not path.is_file():
            continue
        name = str(path.relative_to(ROOT))
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text())["cells"]
            texts[name] = "\n".join(
                "".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
            )
        elif path.suffix == ".md":
            texts[name] = path.read_text()
    return texts


def cited_keys() -> dict[str, set[str]]:
    """Each cited key and the files that cite it."""
    keys: dict[str, set[str]] = {}
    for name, text in chapter_texts().items():
        for match in CITE.finditer(text):
            for key in match.group(1).split(","):
                keys.setdefault(key.strip(), set()).add(name)
    return keys


def bib_entries() -> dict:
    return dict(parse_file(str(BIB), bib_format="bibtex").entries)


def test_bib_parses_and_every_entry_is_complete() -> None:
    entries = bib_entries()
    assert len(entries) >= 30, "the bibliography lost most of its entries"
    for key, entry in entries.items():
        assert entry.persons.get("author"), f"{key}: no authors"
        for field in ("title", "year"):
            assert entry.fields.get(field), f"{key}: no {field}"
        assert re.fullmatch(r"1[89]\d\d|20\d\d", entry.fields["year"]), f"{key}: bad year"
        venue = {"journal", "booktitle", "publisher", "howpublished", "series"}
        assert venue & set(entry.fields), f"{key}: no venue"


def test_the_book_reads_the_bib_file() -> None:
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["bibtex_bibfiles"] == ["references.bib"]
    assert "```{bibliography}" in (BACK / "references.md").read_text()


def test_every_cited_key_exists() -> None:
    entries = bib_entries()
    cited = cited_keys()
    assert cited, "no chapter cites anything"
    missing = {key: sorted(files) for key, files in cited.items() if key not in entries}
    assert missing == {}, f"cited but not in references.bib: {missing}"


def test_every_entry_is_cited() -> None:
    uncited = sorted(set(bib_entries()) - set(cited_keys()))
    assert uncited == [], f"in references.bib but cited nowhere: {uncited}"


def test_the_citation_pattern_has_teeth() -> None:
    """The pattern finds every form of the role and splits multiple keys."""
    text = "a {cite:p}`x2020a, y2021b` b {cite:t}`z1999` c {cite}`w2000` d `not {cite}`"
    keys = [k.strip() for m in CITE.finditer(text) for k in m.group(1).split(",")]
    assert keys == ["x2020a", "y2021b", "z1999", "w2000"]


@pytest.mark.parametrize("page", ["notation.md", "glossary.md"])
def test_back_matter_links_point_to_existing_files(page: str) -> None:
    path = BACK / page
    targets = LINK.findall(path.read_text())
    assert len(targets) >= 10, f"{page} links to almost nothing"
    broken = []
    for target in targets:
        if re.match(r"[a-z]+://", target):
            continue
        file = target.split("#")[0]
        if not (path.parent / file).resolve().is_file():
            broken.append(target)
    assert broken == [], f"{page}: links to missing files: {broken}"
