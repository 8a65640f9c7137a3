"""Settings for the whole suite."""

from __future__ import annotations

from hypothesis import settings

# No time limit per generated example: on a shared 2-core machine, or with two xdist
# workers, an example's time says nothing about the code (a test must never assert on
# time). Everything else stays as hypothesis chose it (its CI profile under CI=true).
settings.register_profile("creditrules", parent=settings(), deadline=None)
settings.load_profile("creditrules")
