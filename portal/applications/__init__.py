"""Applying to an opportunity, following one's applications, and the host's review of applicants."""
