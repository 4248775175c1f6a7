"""Approvals: an opportunity by its approving manager, and a participation by the applicant's home manager."""
