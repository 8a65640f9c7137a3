"""tests/cli/inputs holds files the CLI transcripts read, among them a scenario file that
fails on purpose: pytest's scenario collection leaves the folder alone."""

collect_ignore = ["inputs"]
