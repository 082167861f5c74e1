"""Run notebooks at several seed offsets and print what each code cell printed.

Usage: `python tools/run_seeds.py NOTEBOOK [NOTEBOOK ...] [--offsets 0 1 2 7]`.
Each run sets DLBOOK_SEED_OFFSET=k for the kernel (see CONTRIBUTING.md), so an author can
see the spread of every printed number and margin before choosing an assert's tolerance.
The notebook file is not changed. Exits non-zero if any cell failed at any offset.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError


def run(path: Path, offset: int, timeout: int) -> bool:
    """Execute one notebook at one offset; print each code cell's text output."""
    nb = nbformat.read(path, as_version=4)
    os.environ["DLBOOK_SEED_OFFSET"] = str(offset)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    ok, code_index = True, -1
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        code_index += 1
        texts = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stdout":
                texts.append(out["text"])
            elif out.get("output_type") == "error":
                ok = False
                texts.append(f"!! {out['ename']}: {out['evalue']}\n")
                texts.extend(line + "\n" for line in out["traceback"][-3:])
        if texts:
            print(f"--- [{path.name} offset {offset}] code cell {code_index}")
            print("".join(texts).rstrip(), flush=True)
    return ok


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--offsets", nargs="+", type=int, default=[0, 1, 2, 7])
    parser.add_argument("--timeout", type=int, default=600)
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("MKL_NUM_THREADS", "1")
    failed = []
    for path in args.notebooks:
        for k in args.offsets:
            try:
                if not run(path, k, args.timeout):
                    failed.append((str(path), k))
            except (CellExecutionError, DeadKernelError) as error:
                print(f"!! [{path.name} offset {k}] {type(error).__name__}: {error}", flush=True)
                failed.append((str(path), k))
    print(json.dumps({"failed": failed}))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
