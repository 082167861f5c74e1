"""Run notebooks the way Colab does, with their setup cells unchanged (issue 22).

    python tools/colab_imitation.py [NOTEBOOK ...]   # default: the pages listed in PAGES

A fresh venv gets Colab's preinstalled stack at Colab's versions (those this Python has on
the registry; torch is the CPU build on this machine's disk). A stand-in `google.colab`,
imported when each kernel starts (an IPython startup file), makes the setup cell take its
Colab branch; its `output.enable_custom_widget_manager()` records each call. The cell's
`pip install "dlbook @ git+https://github.com/dlbook-course/dlbook@v<version>"` is sent by
git's `url.<base>.insteadOf`, in a temporary git config, to a local clone of this checkout
with that tag. Each notebook is copied alone into an empty folder and run with nbclient.
Afterwards: every notebook ran, the widget step ran in each, dlbook came from the tag, and
Colab's own packages are exactly as before (pip kept Colab's torch).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tools.stamp_release import release_tag, repository_url

ROOT = Path(__file__).resolve().parents[1]
# Colab's preinstalled versions (late 2025) where the registry has them for Python 3.11.
COLAB = [
    "numpy==2.1.3", "scipy==1.14.1", "matplotlib==3.10.0", "scikit-learn==1.6.1",
    "ipywidgets==7.7.1", "tqdm==4.67.1", "threadpoolctl==3.6.0", "torch==2.13.0",
    "ipykernel==6.31.0",
]  # fmt: skip
PAGES = [
    "chapters/09_recurrent_networks/recurrent_cells.ipynb",
    "chapters/09_recurrent_networks/language_model.ipynb",
    "chapters/10_attention_and_transformers/transformer_lm.ipynb",
    "chapters/appendix_instructors/demos.ipynb",
    "chapters/00_preface/preface.ipynb",
    "chapters/04_optimization/optimization.ipynb",
]
STAND_IN = '''"""A stand-in for Colab's google.colab.output: records that the widget step ran."""
import os


def enable_custom_widget_manager():
    with open(os.environ["COLAB_IMITATION_MARKER"], "a") as f:
        f.write(os.getcwd() + "\\n")
'''


def sh(*cmd: object, **kw: object) -> str:
    return subprocess.run([str(c) for c in cmd], check=True, text=True, capture_output=True,
                          **kw).stdout  # fmt: skip


def colab_venv(where: Path) -> Path:
    """A venv with Colab's stack; returns its python."""
    sh(sys.executable, "-m", "venv", where)
    python = where / "bin" / "python"
    sh(python, "-m", "pip", "install", "-q", *COLAB)
    return python


def stand_in(where: Path) -> Path:
    """google/colab/{__init__,output}.py on a path of their own; returns that path."""
    pkg = where / "google" / "colab"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("from google.colab import output  # noqa: F401\n")
    (pkg / "output.py").write_text(STAND_IN)
    startup = where / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-colab.py").write_text("import google.colab  # as Colab's kernel has it\n")
    return where


def tagged_clone(where: Path) -> Path:
    """A clone of this checkout's HEAD with the release tag, and a git config sending the
    repository's URL there."""
    sh("git", "clone", "-q", ROOT, where / "repo")
    sh("git", "-C", where / "repo", "tag", "-f", release_tag())
    config = where / "gitconfig"
    config.write_text(f'[url "file://{where / "repo"}"]\n\tinsteadOf = {repository_url()}\n')
    return config


def kernelspec(where: Path, python: Path, env: dict[str, str]) -> None:
    spec = {"argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Colab imitation", "language": "python", "env": env}  # fmt: skip
    (where / "kernels" / "colab").mkdir(parents=True)
    (where / "kernels" / "colab" / "kernel.json").write_text(json.dumps(spec))


def run_page(page: str, where: Path) -> None:
    """Copy the notebook alone into an empty folder and run it there on the Colab kernel."""
    folder = where / "run" / Path(page).stem
    folder.mkdir(parents=True)
    shutil.copy(ROOT / page, folder)
    nb = nbformat.read(folder / Path(page).name, as_version=4)
    client = NotebookClient(nb, kernel_name="colab", timeout=600,
                            resources={"metadata": {"path": str(folder)}})  # fmt: skip
    client.execute()


def frozen(python: Path) -> dict[str, str]:
    """name -> version, or -> the URL it came from ("dlbook @ git+https://...@<commit>")."""
    lines = sh(python, "-m", "pip", "freeze", "--all").splitlines()
    return dict(line.split("==", 1) if "==" in line else line.split(" @ ", 1) for line in lines)


def main(pages: list[str]) -> None:
    where = Path(tempfile.mkdtemp(prefix="colab-"))
    python = colab_venv(where / "venv")
    before = frozen(python)
    marker = where / "widget-manager-calls.txt"
    env = {"PYTHONPATH": str(stand_in(where / "stand_in")), "COLAB_IMITATION_MARKER": str(marker),
           "IPYTHONDIR": str(where / "stand_in" / "ipython"), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": str(tagged_clone(where)), "PATH": os.environ["PATH"],
           "OMP_NUM_THREADS": "1", "DLBOOK_FORBID_NETWORK": "1", "MPLBACKEND": "Agg"}  # fmt: skip
    kernelspec(where, python, env)
    os.environ["JUPYTER_PATH"] = str(where)
    for page in pages:
        print(f"colab imitation: {page}", flush=True)
        run_page(page, where)
    after = frozen(python)
    changed = {k: (v, after.get(k)) for k, v in before.items() if after.get(k) != v}
    assert changed == {}, f"installing dlbook changed Colab's packages: {changed}"
    assert after.get("dlbook", "").startswith(f"git+{repository_url()}@"), after.get("dlbook")
    version = sh(python, "-c", "import importlib.metadata as m; print(m.version('dlbook'))")
    assert f"v{version.strip()}" == release_tag(), version
    calls = marker.read_text().split() if marker.exists() else []
    assert len(calls) == len(pages), f"enable_custom_widget_manager ran {len(calls)} times"
    print(f"colab imitation: {len(pages)} notebooks ran; Colab's {len(before)} packages kept "
          f"(torch {after['torch']}); the widget manager was enabled in each")  # fmt: skip
    shutil.rmtree(where)


if __name__ == "__main__":
    main(sys.argv[1:] or PAGES)
