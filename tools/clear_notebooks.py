"""Store notebooks the way the book keeps them: no outputs, no execution counts, no saved
widget state. Usage: `python tools/clear_notebooks.py [NOTEBOOK ...]` (default: every
notebook under chapters/ and templates/)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def clear(path: Path) -> bool:
    """Clear one notebook in place; return whether it changed."""
    text = path.read_text()
    nb = json.loads(text)
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
        cell.get("metadata", {}).pop("execution", None)
    new = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    if new != text:
        path.write_text(new)
        return True
    return False


def main(args: list[str]) -> None:
    paths = [Path(a) for a in args] or sorted(
        p
        for d in ("chapters", "templates")
        for p in (ROOT / d).rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts
    )
    for path in paths:
        if clear(path):
            print(f"cleared {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
