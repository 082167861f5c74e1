"""Stamp the book's home and release into every notebook's setup cell, the chapter template
and the launch buttons' branch. Usage: `python tools/stamp_release.py` (after changing
`repository.url` in `_config.yml` or `version` in `pyproject.toml`; tests/test_book.py fails
until it has run).

The repository's URL is stated once, in `_config.yml`; the release once, as `version` in
`pyproject.toml`. On Colab the setup cell installs `dlbook @ git+<url>@v<version>`: a tag,
never a moving branch, so a reader's notebook and package come from the same release.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "_config.yml"
TEMPLATE = ROOT / "templates" / "chapter.ipynb"


def repository_url(root: Path = ROOT) -> str:
    """The one place the repository's URL is stated: `_config.yml`'s repository.url."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    return config["repository"]["url"].rstrip("/")


def version(root: Path = ROOT) -> str:
    """The one place the release is stated: `pyproject.toml`'s project.version."""
    with open(root / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["version"]


def release_tag(root: Path = ROOT) -> str:
    return f"v{version(root)}"


def install_url(root: Path = ROOT) -> str:
    """What pip installs on Colab: the repository at the release tag."""
    return f"git+{repository_url(root)}@{release_tag(root)}"


def setup_cell_source(root: Path = ROOT) -> str:
    """The standard first code cell of every notebook (the template carries the same)."""
    lines = [
        "# Setup, the same in every chapter: on Colab, install the book's package (a",
        "# release) and switch on Colab's widget manager; everywhere, pin threads, seed",
        "# every generator and set the figure style.",
        "import sys",
        "",
        'if "google.colab" in sys.modules:',
        "    import subprocess",
        "",
        "    from google.colab import output",
        "",
        f'    release = "{install_url(root)}"',
        '    pip = [sys.executable, "-m", "pip", "install", "-q"]',
        '    subprocess.run([*pip, f"dlbook @ {release}"], check=True)',
        "    output.enable_custom_widget_manager()  # so Colab shows every widget",
        "",
        "import dlbook",
        "",
        "rng = dlbook.setup(seed=0)",
    ]
    return "\n".join(lines)


def chapter_notebooks(root: Path = ROOT) -> list[Path]:
    """Every notebook under chapters/ (tests/test_book.py checks the same list)."""
    found = (p for p in (root / "chapters").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    return sorted(found)


def stamp_notebook(path: Path, setup: str) -> bool:
    """Replace the first code cell's source by `setup`; return whether the file changed."""
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    first = next(c for c in nb["cells"] if c["cell_type"] == "code")
    first["source"] = setup.splitlines(keepends=True)
    new = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def stamp_branch(root: Path = ROOT) -> bool:
    """The launch buttons open the notebooks at the release tag (`repository.branch`)."""
    path = root / "_config.yml"
    text = path.read_text(encoding="utf-8")
    branch = r"(?m)^(repository:\n(?:  .*\n)*?  branch: ).*$"
    new = re.sub(branch, rf"\g<1>{release_tag(root)}", text)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def main(root: Path = ROOT) -> list[str]:
    setup = setup_cell_source(root)
    paths = [*chapter_notebooks(root), root / TEMPLATE.relative_to(ROOT)]
    changed = [str(p.relative_to(root)) for p in paths if stamp_notebook(p, setup)]
    if stamp_branch(root):
        changed.append("_config.yml")
    return changed


if __name__ == "__main__":
    changed = main()
    print(f"stamped {install_url()} into {len(changed)} files", *changed, sep="\n  ")
    sys.exit(0)
