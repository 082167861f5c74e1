"""The benchmark script's small-size smoke run: every section runs and reports; the site
weights add up on a small fake site.

Timings are not asserted here (the machine may be busy); benchmarks/bench.py without
--smoke measures them.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_smoke_run_reports_every_section(bench, capsys) -> None:
    results = bench.main(["--smoke"])
    assert results["smoke"] and results["threads"] == 1
    assert len(results["kernels"]) == 6
    for row in results["kernels"]:
        assert row["ours_s"] > 0 and row["torch_s"] > 0 and row["goal"] >= 1
        assert row["ratio"] == row["ours_s"] / row["torch_s"]
    assert [d["key"] for d in results["demos"]] == [
        k for k in (d.key for d in bench.catalog_demos()) if k in bench.SMOKE_DEMOS
    ]
    for row in results["demos"]:
        assert row["redraw_s"] > 0 and row["build_s"] > 0 and row["goal_s"] == 0.15
    (notebook,) = results["notebooks"]
    assert notebook["path"] == "templates/chapter.ipynb" and notebook["seconds"] > 0
    assert results["book"]["seconds"] == notebook["seconds"]
    out = capsys.readouterr().out
    assert "| from scratch vs torch (1 thread) |" in out and "| demo | kind |" in out


def test_every_book_folder_has_a_budget(bench) -> None:
    folders = {path.parent.name for path in bench.toc_notebooks()}
    assert len(folders) >= 15 and folders <= set(bench.CHAPTER_BUDGETS_S)
    assert all(b <= 150 for b in bench.CHAPTER_BUDGETS_S.values())


def test_site_weights_count_each_page_and_its_images(bench, tmp_path: Path) -> None:
    (tmp_path / "_images").mkdir()
    (tmp_path / "_images" / "a.png").write_bytes(b"x" * 1000)
    (tmp_path / "index.html").write_text('<img src="_images/a.png"><img src="_images/a.png">')
    (tmp_path / "other.html").write_text("<p>no images</p>")
    site = bench.site_weights(tmp_path)
    sizes = {p["page"]: p["bytes"] for p in site["pages"]}
    assert sizes == {"index.html": 1000 + 50, "other.html": 16}
    assert site["bytes"] == 1000 + 50 + 16
    with pytest.raises(FileNotFoundError, match="jupyter-book build"):
        bench.site_weights(tmp_path / "_images")
