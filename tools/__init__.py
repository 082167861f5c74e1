"""Maintenance scripts for the book.

Run them from the repository root, e.g. `python -m tools.execute_notebooks`.
"""
