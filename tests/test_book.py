"""The book's conventions, checked on every notebook (see CONTRIBUTING.md)."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
import yaml

from tools.book_toc import toc_files
from tools.stamp_release import (
    chapter_notebooks,
    install_url,
    release_tag,
    repository_url,
    setup_cell_source,
)

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
TEMPLATE = ROOT / "templates" / "chapter.ipynb"


notebooks = chapter_notebooks  # every notebook under chapters/


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def source(cell: dict) -> str:
    return "".join(cell["source"])


ALL = [*notebooks(), TEMPLATE]
IDS = [str(p.relative_to(ROOT)) for p in ALL]


def test_there_are_chapters() -> None:
    assert len(notebooks()) >= 2


def test_every_notebook_is_in_the_toc_and_every_entry_exists() -> None:
    entries = toc_files()
    listed = {str(Path(e).with_suffix("")) for e in entries}
    present = {str(p.relative_to(ROOT).with_suffix("")) for p in notebooks()}
    assert present - listed == set(), f"notebooks missing from _toc.yml: {sorted(present - listed)}"
    missing = [
        e for e in entries if not any((ROOT / e).with_suffix(s).exists() for s in (".ipynb", ".md"))
    ]
    assert missing == [], f"_toc.yml lists files that do not exist: {missing}"
    assert len(entries) == len(set(entries)), "_toc.yml lists a file twice"


def test_chapter_folders_are_numbered() -> None:
    for nb in notebooks():
        folder = nb.relative_to(CHAPTERS).parts[0]
        assert re.fullmatch(r"(\d\d|appendix)_[a-z0-9_]+", folder), (
            f"{folder} is not named NN_topic (or appendix_topic)"
        )


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_stored_without_outputs(path: Path) -> None:
    for i, cell in enumerate(load(path)["cells"]):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], (
                f"{path.name} cell {i} has stored outputs: run `python tools/clear_notebooks.py`"
            )
            assert cell["execution_count"] is None, f"{path.name} cell {i} has an execution count"


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_stored_without_widget_state(path: Path) -> None:
    assert "widgets" not in load(path)["metadata"], (
        f"{path.name} carries saved widget state: run `python tools/clear_notebooks.py`"
    )


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_starts_with_the_setup_cell(path: Path) -> None:
    cells = load(path)["cells"]
    first_code = next(c for c in cells if c["cell_type"] == "code")
    assert source(first_code) == setup_cell_source(), (
        f"{path.name}: the first code cell must be the standard setup cell "
        "(copy it from templates/chapter.ipynb)"
    )
    assert source(cells[0]).startswith("# "), f"{path.name} must open with a '# Title' cell"


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_ends_with_exercises(path: Path) -> None:
    cells = load(path)["cells"]
    headings = [
        line
        for c in cells
        if c["cell_type"] == "markdown"
        for line in source(c).splitlines()
        if re.match(r"#{1,2} ", line)
    ]
    assert headings and headings[-1].strip() == "## Exercises", (
        f"{path.name}: the last section must be '## Exercises' (found {headings[-1:]})"
    )
    text = "\n".join(source(c) for c in cells)
    assert text.count("{exercise}") + text.count("{exercise-start}") >= 1
    assert text.count("{solution-start}") + text.count("{solution}") >= 1


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_has_an_overview(path: Path) -> None:
    text = "\n".join(source(c) for c in load(path)["cells"] if c["cell_type"] == "markdown")
    assert "## Overview" in text, f"{path.name} must have an '## Overview' section"


NETWORK = re.compile(
    r"urllib|requests\.|http\.client|socket\.|fetch_openml|fetch_[a-z0-9_]+\(|"
    r"download\s*=\s*True|torchvision\.datasets|from_pretrained|hf_hub|wget|curl"
)
OUTSIDE_FILE = re.compile(
    r"""(open|Path|read_csv|load|loadtxt)\(\s*[rbf]?["'](/|~|\.\./\.\.|[A-Za-z]:\\)"""
)


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_reads_no_network_and_no_outside_file(path: Path) -> None:
    cells = [c for c in load(path)["cells"] if c["cell_type"] == "code"][
        1:
    ]  # setup cell: Colab only
    for cell in cells:
        src = source(cell)
        assert not NETWORK.search(src), f"{path.name}: network access in\n{src}"
        assert not OUTSIDE_FILE.search(src), (
            f"{path.name}: reads a file outside the repository in\n{src}"
        )
        assert "sys.path" not in src, (
            f"{path.name}: import dlbook as a package, do not edit sys.path"
        )


# A seed that does not go through dlbook.book_seed escapes DLBOOK_SEED_OFFSET.
RAW_SEED = re.compile(
    r"default_rng\(\s*\d|manual_seed\(\s*\d|random_state\s*=\s*\d|np\.random\.seed\("
)


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_every_seed_goes_through_book_seed(path: Path) -> None:
    for i, cell in enumerate(load(path)["cells"]):
        if cell["cell_type"] == "code":
            src = source(cell)
            assert not RAW_SEED.search(src) and "default_rng(seed)" not in src, (
                f"{path.name} cell {i} seeds by hand; use cpu_generator(s), dlbook.numpy_rng(s)"
                " or dlbook.book_seed(s), so that DLBOOK_SEED_OFFSET reaches the draw"
            )


def test_lib_seeds_only_through_book_seed() -> None:
    for module in sorted((ROOT / "lib" / "dlbook").rglob("*.py")):
        if module.name == "runtime.py":
            continue
        text = module.read_text()
        hand = re.findall(r"default_rng\([^)]*\)|manual_seed\((?!book_seed)[^)]*\)", text)
        hand += re.findall(r"random_state\s*=\s*(?:seed|\d)", text)
        assert hand == [], f"{module.name} seeds by hand: {hand}; use runtime.book_seed"


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_cells_are_short(path: Path) -> None:
    for i, cell in enumerate(load(path)["cells"][1:], start=1):
        if cell["cell_type"] == "code":
            n = len(source(cell).splitlines())
            assert n <= 20, f"{path.name} cell {i} has {n} lines; split it or move code to lib/"


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_code_fits_the_page(path: Path) -> None:
    """The website shows about 80 characters of code before it scrolls sideways."""
    for i, cell in enumerate(load(path)["cells"]):
        if cell["cell_type"] == "code":
            long = [line for line in source(cell).splitlines() if len(line) > 80]
            assert long == [], f"{path.name} cell {i} has lines over 80 characters: {long}"


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_kernel_is_python3(path: Path) -> None:
    assert load(path)["metadata"]["kernelspec"]["name"] == "python3"


HOME = "https://github.com/dlbook-course/dlbook"  # the book's own repository (issue 22)


def test_the_repository_is_ours_and_the_install_is_a_release() -> None:
    """_config.yml names our repository; Colab installs the tag v<version>, not a branch."""
    assert repository_url() == HOME
    assert re.fullmatch(r"v\d+\.\d+\.\d+", release_tag())
    assert install_url() == f"git+{HOME}@{release_tag()}"
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["repository"]["branch"] == release_tag()  # launch buttons open the release
    assert config["html"]["use_repository_button"] and "launch_buttons" in config


def test_no_file_names_another_home() -> None:
    """Setup cells, template, README, CONTRIBUTING and _config.yml all agree with _config.yml."""
    files = [*ALL, ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "_config.yml"]
    for path in files:
        for url in re.findall(r"github\.com/[\w.-]+/[\w.-]+", path.read_text()):
            assert url.removesuffix(".git") == HOME.removeprefix("https://"), (
                f"{path.name} names {url}, not {HOME} (stated once in _config.yml)"
            )
    readme = (ROOT / "README.md").read_text()
    assert f"{HOME}@{release_tag()}" in readme or install_url() in readme


def test_setup_cell_installs_the_pinned_release_on_colab_only() -> None:
    setup = setup_cell_source()
    assert f'release = "{install_url()}"' in setup
    assert setup.index('if "google.colab" in sys.modules:') < setup.index("pip")
    assert "enable_custom_widget_manager()" in setup
    assert setup.count("dlbook @ {release}") == 1 and "@main" not in setup


# ---- the package's conventions (lib/dlbook) ----

LIB = ROOT / "lib" / "dlbook"
MODULES = sorted(p for p in LIB.rglob("*.py") if p != LIB / "__init__.py")
PRESENTATION = {"plotting", "widgets", "check", "notebook", "performance"}


def dotted(module: Path) -> str:
    """lib/dlbook/check/history.py -> check.history; lib/dlbook/check/__init__.py -> check."""
    parts = module.relative_to(LIB).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_lib_module_has_its_test_module() -> None:
    """nets.py -> tests/test_nets.py; check/history.py -> tests/test_check_history.py."""
    missing = [
        dotted(m)
        for m in MODULES
        if not (ROOT / "tests" / f"test_{dotted(m).replace('.', '_')}.py").exists()
    ]
    assert missing == [], f"lib modules without their tests/test_<module>.py: {missing}"


@pytest.mark.parametrize("module", MODULES, ids=[dotted(m) for m in MODULES])
def test_lib_module_conventions(module: Path) -> None:
    text = module.read_text()
    tree = ast.parse(text)
    assert len(text.splitlines()) <= 330, f"{module.name} is over ~300 lines: split the concept"
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imported |= {node.module or ""} | {f"{node.module}.{a.name}" for a in node.names}
            imported |= {a.name for a in node.names if a.name == "*"}
        elif isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
    assert "*" not in imported, f"{module.name} uses a star-import"
    if dotted(module).split(".")[0] not in PRESENTATION:
        below = {f"dlbook.{p}" for p in PRESENTATION}
        assert not imported & below, f"math module {module.name} imports a presentation module"
    for node in tree.body:
        functions = [node] if isinstance(node, ast.FunctionDef) else []
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            functions += [f for f in node.body if isinstance(f, ast.FunctionDef)]
        for f in functions:
            if f.name.startswith("_"):
                continue
            doc = ast.get_docstring(f) or ""
            assert "Shapes:" in doc and ("Chapter" in doc or "Appendix" in doc), (
                f"{module.name}:{f.name} needs a docstring with the equation, a Shapes: line "
                "and the chapter that explains it"
            )
            assert f.returns is not None, f"{module.name}:{f.name} needs a return type"


def test_every_section_of_the_notes_has_a_page_and_the_map_is_up_to_date() -> None:
    from tools import notes_map

    listed = [s["id"] for s in notes_map.sections()]
    assert len(listed) == len(set(listed)), "notes/sections.yml lists a section twice"
    named = notes_map.notebook_sections()
    unknown = {nb.name: [i for i in ids if i not in listed] for nb, ids in named.items()}
    assert {k: v for k, v in unknown.items() if v} == {}, "metadata names unknown sections"
    covered = {i for ids in named.values() for i in ids}
    missing = [
        s["id"] for s in notes_map.sections() if not s.get("admin") and s["id"] not in covered
    ]
    assert missing == [], f"sections of the notes without a page: {missing}"
    assert notes_map.PAGE.read_text() == notes_map.render(), (
        "chapters/back_matter/notes_map.md is out of date: run python tools/notes_map.py"
    )
