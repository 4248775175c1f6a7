"""An opportunity only for its host agency's people: nobody else may read it through the apply page,
nor apply by posting to it directly (the search and its own page already hide it)."""
from __future__ import annotations

from portal.models import Application
from tests.support import factories

APPLICATION = {"statement": "I would like to help with this.", "home_manager_name": "Hana Manager",
               "home_manager_email": "hana.manager@ato.gov.au"}


def _restricted(session):
    owner = factories.user(session, agency_abbreviation="DTA")
    found = factories.open_opportunity(session, owner, restricted_to_agency=True, title="DTA staff only: data audit")
    session.commit()
    return found


def test_someone_from_another_agency_cannot_open_the_apply_page(web, session, signed_in):
    opportunity = _restricted(session)
    signed_in(agency_abbreviation="ATO")

    response = web.get(f"/opportunities/{opportunity.id}/apply")

    assert response.status_code == 404 and "DTA staff only" not in response.get_data(as_text=True)


def test_someone_from_another_agency_cannot_apply_by_posting(web, session, signed_in):
    opportunity = _restricted(session)
    signed_in(agency_abbreviation="ATO")

    response = web.post(f"/opportunities/{opportunity.id}/apply", APPLICATION)

    assert response.status_code == 404
    session.expire_all()
    assert session.query(Application).count() == 0


def test_someone_from_the_host_agency_can_still_apply(web, session, signed_in):
    opportunity = _restricted(session)
    signed_in(agency_abbreviation="DTA")

    assert web.get(f"/opportunities/{opportunity.id}/apply").status_code == 200
