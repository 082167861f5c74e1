"""The book's Sphinx extension: an offline site (vendored MathJax and widget manager).

At build time this Sphinx extension fetches exact versions of three npm packages with
`npm pack` (the npm registry is the only network it needs, and only once: the files are
kept in `_vendor/`), prunes them, and adds `_vendor/` to `html_static_path`. `_config.yml`
points `mathjax_path` and myst-nb's `nb_ipywidgets_js` at the copies, so a built page
loads nothing from outside: a class with bad wifi still gets its math and its widgets.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

PACKAGES = {
    "mathjax": "mathjax@3.2.2",
    "html-manager": "@jupyter-widgets/html-manager@1.0.15",
    "requirejs": "requirejs@2.3.8",
}
# what each package keeps (relative to its `package/` folder), copied to _vendor/<name>/
KEEP = {
    "mathjax": {"es5": "mathjax/es5"},
    # at the path of its require.js module ids, so that it finds its own fonts
    "html-manager": {"dist": "@jupyter-widgets/html-manager/dist"},
    "requirejs": {"require.js": "requirejs/require.js"},
}
PRUNE_SUFFIXES = (".map",)
PRUNE_NAMES = {
    "sre",
    "tex-svg.js",
    "tex-svg-full.js",
    "tex-mml-svg.js",
    "mml-svg.js",
    "tex-chtml-full-speech.js",
    "embed.js",
    "libembed-amd.js",
}
STAMP = "versions.txt"


def _wanted() -> str:
    return "\n".join(f"{k}={v}" for k, v in sorted(PACKAGES.items())) + "\n"


def fetch(dest: Path) -> None:
    """Download, unpack and prune the packages into dest (skipped when already there)."""
    stamp = dest / STAMP
    if stamp.exists() and stamp.read_text() == _wanted():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise ExtensionError(
            "Building the website needs Node.js's `npm` once, to fetch MathJax and the widget "
            "manager so the site works offline. Install it (Debian/Ubuntu: "
            "`sudo apt-get install npm`; macOS: `brew install node`; or https://nodejs.org), "
            "then build again."
        )
    if dest.exists():
        shutil.rmtree(dest)
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        for name, spec in PACKAGES.items():
            out = subprocess.run(
                [npm, "pack", spec, "--silent"],
                cwd=tmpdir,
                check=False,
                capture_output=True,
                text=True,
            )
            if out.returncode != 0:
                raise ExtensionError(f"`npm pack {spec}` failed:\n{out.stderr}")
            tarball = tmpdir / out.stdout.strip().splitlines()[-1]
            unpacked = tmpdir / name
            with tarfile.open(tarball) as tar:
                tar.extractall(unpacked, filter="data")
            for keep, where in KEEP[name].items():
                src, target = unpacked / "package" / keep, dest / where
                if src.is_dir():
                    shutil.copytree(src, target, ignore=_ignore)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(src, target)
    stamp.write_text(_wanted())


def _ignore(directory: str, names: list[str]) -> list[str]:
    return [n for n in names if n in PRUNE_NAMES or n.endswith(PRUNE_SUFFIXES)]


def _builder_inited(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    dest = Path(app.confdir) / "_vendor"
    fetch(dest)
    app.config.html_static_path.extend([str(dest), str(Path(__file__).parent / "static")])


def _drop_duplicate_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object
) -> None:
    """sphinx-thebe registers its inline `const THEBE_JS_URL = ...` script twice, and the
    second `const` is a JavaScript error on every page: keep the first of equal scripts."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        # an inline script's filename may be None or "": compare inline scripts by body
        key = (
            getattr(script, "filename", str(script)) or "",
            getattr(script, "attributes", {}).get("body"),
        )
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique  # in place: other handlers keep appending to this same list


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("builder-inited", _builder_inited)
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
