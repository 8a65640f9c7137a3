"""The ``creditrules`` command line (CONTRACT.md v1)."""
