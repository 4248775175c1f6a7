"""The statement that loads the signed-in person reads what every page's rules ask of them (the agencies they
administer, the listing generation) in the same round trip, and the rules get the same answer either way."""
from __future__ import annotations

from portal.accounts import signed_in_user
from portal.admin import services as admin_services
from portal.listing import listing_generation
from portal.models import ListingGeneration, User
from tests.support import factories, statements


def loaded_afresh(session, person: User) -> User:
    session.commit()
    session.expunge_all()
    return signed_in_user(person.id)


def test_the_agencies_they_administer_come_with_them(session):
    ato, dta = factories.agency(session, "ATO"), factories.agency(session, "DTA")
    person = loaded_afresh(session, factories.user(session, admin_of=[ato, dta]))
    with statements.recorded() as sent:
        administered = person.administered_agency_ids
    assert administered == {ato.id, dta.id} and sent == []
    assert administered == frozenset(agency.id for agency in person.admin_of)  # the relationship agrees


def test_someone_who_administers_nothing_is_asked_nothing_more(session):
    person = loaded_afresh(session, factories.user(session))
    with statements.recorded() as sent:
        assert person.administered_agency_ids == frozenset()
    assert sent == []


def test_a_change_to_what_they_administer_is_read_on_their_next_request(session):
    ato = factories.agency(session, "ATO")
    site_admin = factories.site_admin(session)
    person = loaded_afresh(session, factories.user(session))
    admin_services.set_agency_admin(session, person, ato, True, site_admin)
    assert loaded_afresh(session, person).administered_agency_ids == {ato.id}


def test_loaded_any_other_way_the_rules_read_the_relationship(session):
    ato = factories.agency(session, "ATO")
    person = factories.user(session, admin_of=[ato])
    session.commit()
    session.expunge_all()
    assert session.get(User, person.id).administered_agency_ids == {ato.id}


def test_the_listing_generation_comes_with_them(app, session):
    person = factories.user(session)
    session.commit()  # a new person's name is listed (as an owner): this moves the generation
    generation = session.get(ListingGeneration, 1).value
    with app.test_request_context("/"):
        from flask import g

        g._login_user = signed_in_user(person.id)
        with statements.recorded() as sent:
            assert listing_generation() == generation
        assert sent == []
