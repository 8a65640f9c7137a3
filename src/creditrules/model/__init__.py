"""Pydantic models: what authors write (ruleset), what callers send (case), what
evaluation returns (decision), and the field dictionary rules read. No engine knowledge."""
