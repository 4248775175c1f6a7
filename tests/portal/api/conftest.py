"""API fixtures: a person with a personal token."""
from __future__ import annotations

import pytest

from portal.api.tokens import create_token
from portal.extensions import db


@pytest.fixture
def token_for(make_user):
    def make(user=None, **kwargs):
        user = user or make_user(**kwargs)
        with db.transaction() as session:
            _, secret = create_token(session, session.merge(user), "tests")
        return user, {"Authorization": f"Bearer {secret}"}
    return make
