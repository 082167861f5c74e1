"""Execute the book's notebooks on every core into the build's execution cache.

`jupyter-book build` executes notebooks one at a time; CI runs this first so that the
build takes the outputs from the cache (`_build/.jupyter_cache`, which `execute:
execute_notebooks: cache` in `_config.yml` reads). Worker processes are *spawned*, not
forked: forked workers that start Jupyter kernels were seen to deadlock. A notebook that
fails here is simply executed again by the build, which then reports the error.
Usage, from the repository root: `python -m tools.execute_notebooks [--timeout SECONDS]`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
from pathlib import Path

from jupyter_cache import get_cache
from jupyter_cache.executors import load_executor

from tools.book_toc import toc_notebooks

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    args = parser.parse_args()
    multiprocessing.set_start_method("spawn")
    cache = get_cache(str(ROOT / "_build" / ".jupyter_cache"))
    for notebook in toc_notebooks():
        cache.add_nb_to_project(str(notebook))
    result = load_executor("local-parallel", cache).run_and_cache(timeout=args.timeout)
    print(f"executed {len(result.succeeded)} notebooks; failed: {result.excepted + result.errored}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
