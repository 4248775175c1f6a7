"""The applying journey's fixtures (tests/support/applying.py), shared with the neighbouring feature folders."""
from tests.support.applying import (applicant, applied, as_user, opening, owner, run_sweep,  # noqa: F401
                                    selected)
