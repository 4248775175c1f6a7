"""The opportunity page reads who owns it in its own statement: a co-owner is an owner there, with no statement of
its own, and the page's rule agrees with the relationship it stands in for."""
from __future__ import annotations

from portal.accounts import signed_in_user
from portal.models import Opportunity
from portal.opportunities import queries
from tests.support import factories, statements


def test_a_co_owner_is_an_owner_on_the_page_with_no_statement_of_its_own(session, make_user):
    owner, colleague, stranger = make_user(), make_user(), make_user()
    opportunity = factories.opportunity(session, owner, state="open")
    opportunity.coowners.append(colleague)
    session.commit()
    session.expunge_all()
    for person, owns in ((owner, True), (colleague, True), (stranger, False)):
        viewer = signed_in_user(person.id)  # as a request loads them
        with statements.recorded() as sent:
            loaded, roles, _ = queries.page_for(session, opportunity.id, viewer)
            assert ("owner" in roles) is owns
            assert loaded.coowner_ids == {colleague.id}
        assert len(sent) == 1
        session.expunge_all()


def test_loaded_any_other_way_the_rule_reads_the_relationship(session, make_user):
    owner, colleague = make_user(), make_user()
    opportunity = factories.opportunity(session, owner, state="open")
    opportunity.coowners.append(colleague)
    session.commit()
    session.expunge_all()
    loaded = session.get(Opportunity, opportunity.id)
    assert loaded.coowner_ids == {colleague.id} and loaded.is_owned_by(colleague)


def test_what_only_the_body_shows_is_read_in_one_statement_when_it_is_drawn(web, session, signed_in):
    """The page's statement leaves the body's columns out (the body is kept); drawing the body, or the owner's
    checklist on a draft, reads them together, never one column at a time."""
    owner = signed_in()
    draft = factories.opportunity(session, owner, state="draft", summary="A summary worth reading")
    session.commit()
    with statements.recorded() as sent:
        page = web.get(f"/opportunities/{draft.id}").get_data(as_text=True)
    assert "A summary worth reading" in page
    reads = [s for s in sent if "FROM opportunities" in s and "opportunities.summary" in s]
    assert len(reads) == 1 and "opportunities.what_you_do" in reads[0]
