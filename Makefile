SHELL := /bin/bash

.PHONY: soak

# The soak run (docs/engine.md "Agreement, proven"): 200,000 generated cases of every bundled
# ruleset on both backends, every property checked. SOAK_ARGS adds options of tools/soak.py.
soak:
	nice -n 10 python tools/soak.py --jobs 2 $(SOAK_ARGS)
