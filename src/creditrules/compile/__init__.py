"""Compile rulesets to an engine-neutral plan, then to a backend."""
