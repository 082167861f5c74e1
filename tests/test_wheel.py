"""The installed package is complete: build the wheel, install it in a fresh venv, and from a
directory outside the repository import every module and read every resource (issue 22).

The venv borrows the test environment's third-party packages through a plain path entry in a
.pth file (their own .pth files, and so the editable dlbook, are not processed), so the only
dlbook it can import is the wheel's.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CHECK = """
import importlib, json, pkgutil, sys
from importlib import resources
from pathlib import Path
import dlbook
from dlbook import performance, text
here = Path(dlbook.__file__).resolve()
assert here.is_relative_to(Path(sys.prefix).resolve()), here  # the wheel's copy, not lib/
names = [m.name for m in pkgutil.walk_packages(dlbook.__path__, "dlbook.")]
for name in names:
    importlib.import_module(name)
shipped = sorted(p.name for p in (resources.files("dlbook") / "resources").iterdir())
for name in shipped:
    (resources.files("dlbook") / "resources" / name).read_bytes()
corpus = text.book_corpus()
results = performance.load_results()
print(json.dumps({"modules": len(names), "resources": shipped, "corpus": len(corpus),
                  "sections": sorted(results)}))
"""


def has_modern_setuptools() -> bool:
    if importlib.util.find_spec("setuptools") is None:
        return False
    import setuptools

    return int(setuptools.__version__.split(".")[0]) >= 77


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from a copy of what the package is made of (lib/, pyproject, README)."""
    src = tmp_path_factory.mktemp("src")
    shutil.copytree(
        ROOT / "lib", src / "lib", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__")
    )
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    dist = tmp_path_factory.mktemp("dist")
    flags = ["--no-build-isolation"] if has_modern_setuptools() else []  # else pip fetches it
    cmd = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", *flags, "-w", dist, src]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    (found,) = dist.glob("dlbook-*.whl")
    return found


def test_wheel_ships_the_resources(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "dlbook/resources/corpus.txt" in names
    assert "dlbook/resources/benchmarks.json" in names
    shipped = sorted(p.name for p in (ROOT / "lib/dlbook/resources").iterdir())
    assert sorted(n.split("/")[-1] for n in names if n.startswith("dlbook/resources/")) == shipped


def test_installed_wheel_imports_every_module_and_reads_every_resource(
    wheel: Path, tmp_path: Path
) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], text=True
        ).strip()
    )
    (site / "borrowed.pth").write_text(sysconfig.get_path("purelib") + "\n")  # numpy, torch, ...
    install = [sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", wheel]
    subprocess.run(install, check=True, capture_output=True, timeout=300)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    run = subprocess.run(
        [python, "-c", CHECK],
        cwd=outside,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg"},
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert '"corpus": 317839' in run.stdout
    assert '"resources": ["benchmarks.json", "corpus.txt"]' in run.stdout
    modules = int(run.stdout.split('"modules": ')[1].split(",")[0])
    in_lib = [
        p for p in (ROOT / "lib/dlbook").rglob("*.py") if p != ROOT / "lib/dlbook/__init__.py"
    ]
    assert modules == len(in_lib), run.stdout  # every module of lib/dlbook was imported
