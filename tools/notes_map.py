"""Write (or check) the page that maps every section of the lecture notes to the book.

Reads notes/sections.yml (every numbered section of the two lecture notes) and the
`dlbook: {notes: [...]}` metadata of every notebook in _toc.yml, and writes
chapters/back_matter/notes_map.md. The page is generated, never edited by hand:

    python tools/notes_map.py          # rewrite the page
    python tools/notes_map.py --check  # exit 1 if the page is out of date (the tests run this)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from book_toc import ROOT, toc_notebooks  # noqa: E402

SECTIONS = ROOT / "notes" / "sections.yml"
PAGE = ROOT / "chapters" / "back_matter" / "notes_map.md"


def sections() -> list[dict]:
    """Every section of the notes, in their order."""
    return yaml.safe_load(SECTIONS.read_text())


def notebook_sections() -> dict[Path, list[str]]:
    """The sections each notebook of the book names in its metadata."""
    out = {}
    for nb in toc_notebooks():
        meta = json.loads(nb.read_text())["metadata"].get("dlbook", {})
        out[nb] = [str(s) for s in meta.get("notes", [])]
    return out


def title(nb: Path) -> str:
    """The notebook's `# Title`."""
    for cell in json.loads(nb.read_text())["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and text.startswith("# "):
            return text.splitlines()[0][2:].strip()
    return nb.stem


def render() -> str:
    """The page's Markdown."""
    covered: dict[str, list[Path]] = {}
    for nb, ids in notebook_sections().items():
        for i in ids:
            covered.setdefault(i, []).append(nb)
    lines = [
        "# The notes, section by section",
        "",
        "Every numbered section of the two lecture notes and the pages of this book that",
        "cover it. Sections marked T come from the theory course's first lecture. This page is",
        "generated from `notes/sections.yml` and the notebooks' metadata by",
        "`tools/notes_map.py`; do not edit it by hand.",
        "",
    ]
    for source, heading in [("", "The course notes"), ("T", "The theory course's first lecture")]:
        lines += [f"## {heading}", "", "| section | title | in the book |", "|---|---|---|"]
        for s in sections():
            if s["id"].startswith("T") != (source == "T"):
                continue
            if s.get("admin"):
                where = "course administration (not covered)"
            else:
                pages = sorted(covered.get(s["id"], []))
                where = ", ".join(
                    f"[{title(nb)}](../{nb.parent.name}/{nb.name})" for nb in pages
                )
            label = s["id"].removeprefix("T")
            indent = "" if "." in label else "**"
            lines.append(f"| {indent}{label}{indent} | {indent}{s['title']}{indent} | {where} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Rewrite the page, or with --check report whether it is up to date."""
    text = render()
    if "--check" in argv:
        if not PAGE.exists() or PAGE.read_text() != text:
            print(f"{PAGE.relative_to(ROOT)} is out of date: run python tools/notes_map.py")
            return 1
        return 0
    PAGE.parent.mkdir(parents=True, exist_ok=True)
    PAGE.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
