"""Maintenance scripts and helpers for the book (run from the repository root).

`python tools/clear_notebooks.py` strips outputs; `tools.book_toc` reads the table of contents.
"""
