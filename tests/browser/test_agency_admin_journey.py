"""The pages that decide who belongs where, in a real browser and checked with axe-core: a site admin moves a
domain and fixes a person whose agency disagrees with their address; an agency admin marks a contractor."""
from __future__ import annotations

import pytest

pytest.importorskip("playwright")

import support
from portal.models import User
from tests.support import factories

pytestmark = pytest.mark.browser


def test_site_admin_moves_a_domain_and_fixes_a_mismatch(live_server, page, session):
    admin = factories.user(session, name="Sita Admin", email="sita@dta.gov.au", site_admin=True)
    wrong = factories.user(session, name="Wren Wrong", email="wren@ato.gov.au")  # recorded with the DTA
    session.commit()
    support.sign_in(page, admin.email, factories.PASSWORD)

    page.goto("/admin/agency-domains")
    support.visit(page, "agency_domains")
    page.get_by_label("Domain to move or share").select_option("aat.gov.au")
    page.get_by_label("Agency to give it to").select_option(label="Australian Taxation Office")
    page.get_by_role("button", name="Share the domain with this agency").click()
    assert "aat.gov.au now gives Administrative Review Tribunal, Australian Taxation Office" in page.content()

    page.get_by_role("link", name="Agency mismatches").click()
    support.visit(page, "agency_mismatches")
    page.get_by_role("button", name="Set to Australian Taxation Office for Wren Wrong").click()
    assert "Wren Wrong is now recorded with Australian Taxation Office" in page.content()
    support.visit(page)
    session.expire_all()
    assert session.get(User, wrong.id).agency.abbreviation == "ATO"


def test_agency_admin_marks_a_contractor_on_the_people_page(live_server, page, session):
    ato = factories.agency(session, "ATO")
    admin = factories.user(session, name="Kit Admin", email="kit@ato.gov.au", agency_abbreviation="ATO",
                           admin_of=[ato])
    person = factories.user(session, name="Cam Contract", email="cam@ato.gov.au", agency_abbreviation="ATO")
    session.commit()
    support.sign_in(page, admin.email, factories.PASSWORD)

    page.goto(f"/admin/agencies/{ato.id}/people")
    support.visit(page, "agency_people")
    page.get_by_role("button", name="Mark as contractor for Cam Contract").click()

    assert "Cam Contract is marked as a contractor" in page.content()
    support.visit(page)
    session.expire_all()
    assert session.get(User, person.id).is_contractor
