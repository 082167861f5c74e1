"""Unit tests of lib/dlbook (one module per lib module) and of the book's conventions."""
