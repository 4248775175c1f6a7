"""Schemathesis against our own OpenAPI document: no 5xx, no response that breaks the schema.

Driven from a plain test (schemathesis's pytest plugin does not load under this pytest), one
hypothesis run per operation."""
from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from portal.extensions import limiter
from portal.models import Application, Notification
from tests.support import factories


def test_api_matches_its_openapi_document(app, token_for, make_user, session):
    user, headers = token_for()
    session.add_all([Notification(user_id=user.id, category="my_applications", title=f"Update {n}")
                     for n in range(3)])
    owner = make_user()
    for n in range(3):
        opportunity = factories.open_opportunity(session, owner, title=f"Opportunity {n}")
    session.add(Application(opportunity_id=opportunity.id, applicant_id=user.id, statement="Keen",
                            home_manager_name="Hana Home", home_manager_email="hana.home@dta.gov.au"))
    session.commit()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8

    for operation in operations:
        limiter.reset()  # the rate limit is tested elsewhere; here every case should reach the endpoint

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def conforms(case):
            case.call_and_validate(headers=headers)

        conforms()
