"""Site admins manage the agencies' e-mail domains and fix people whose agency disagrees with their address."""
from __future__ import annotations

from sqlalchemy import select

from portal.accounts.domains import agencies_for_email, agency_disagrees_with_email, membership
from portal.models import Agency, AuditEvent, EmailDomain, User
from tests.support import factories


def _agency(session, abbreviation: str) -> Agency:
    return session.scalar(select(Agency).where(Agency.abbreviation == abbreviation))


def _actions(session) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).where(AuditEvent.record_type == "domain")
                                .order_by(AuditEvent.id)))


def test_site_admin_adds_moves_shares_and_retires_a_domain_each_audited(web, session, signed_in):
    signed_in(site_admin=True)
    ato, abs_ = _agency(session, "ATO"), _agency(session, "ABS")

    assert web.submit("/admin/agency-domains", {"domain": "newdomain.gov.au", "agency_id": str(ato.id)}).status_code == 302
    assert [a.abbreviation for a in agencies_for_email(session, "x@newdomain.gov.au")] == ["ATO"]
    web.post("/admin/agency-domains/move", {"domain": "newdomain.gov.au", "agency_id": str(abs_.id)})
    session.expire_all()
    assert [a.abbreviation for a in agencies_for_email(session, "x@newdomain.gov.au")] == ["ABS"]
    web.post("/admin/agency-domains/share", {"domain": "newdomain.gov.au", "agency_id": str(ato.id)})
    session.expire_all()
    assert {a.abbreviation for a in agencies_for_email(session, "x@newdomain.gov.au")} == {"ABS", "ATO"}
    web.post("/admin/agency-domains/newdomain.gov.au/retire")
    session.expire_all()
    assert membership(session, "x@newdomain.gov.au").refusal is not None

    assert _actions(session) == ["agency_domain_added", "agency_domain_moved", "agency_domain_shared",
                                 "agency_domain_retired"]


def test_a_state_government_domain_cannot_be_added(web, session, signed_in):
    signed_in(site_admin=True)

    response = web.submit("/admin/agency-domains", {"domain": "health.nsw.gov.au", "agency_id": "0"})

    assert response.status_code == 422
    assert session.get(EmailDomain, "health.nsw.gov.au") is None


def test_site_admin_marks_a_domain_for_contractors_only(web, session, signed_in):
    signed_in(site_admin=True)

    web.post("/admin/agency-domains/dta.gov.au/contractors", {"contractors_only": "1"})

    session.expire_all()
    assert membership(session, "x@dta.gov.au").contractors_only
    assert _actions(session) == ["agency_domain_contractors_only"]


def test_mismatched_people_are_listed_and_fixed_in_one_click(web, session, make_user, signed_in):
    wrong = make_user(name="Wrong Agency", email="wrong@ato.gov.au", agency_abbreviation="DTA")
    make_user(name="Right Agency", email="right@ato.gov.au", agency_abbreviation="ATO")
    admin = signed_in(site_admin=True, email="admin@dta.gov.au")

    page = web.get("/admin/agency-mismatches").get_data(as_text=True)
    assert ">Wrong Agency</a>" in page and "Right Agency" not in page
    response = web.post(f"/admin/people/{wrong.id}/agency", {"agency_id": str(_agency(session, "ATO").id),
                                                             "next": "/admin/agency-mismatches"})

    assert response.status_code == 302 and response.location.endswith("/admin/agency-mismatches")
    session.refresh(wrong)
    assert wrong.agency.abbreviation == "ATO"
    event = session.scalar(select(AuditEvent).where(AuditEvent.record_id == wrong.id,
                                                    AuditEvent.action == "agency_moved"))
    assert event.actor_id == admin.id and event.data["from_agency"] == "Digital Transformation Agency"
    assert ">Wrong Agency</a>" not in web.get("/admin/agency-mismatches").get_data(as_text=True)


def test_the_sql_list_and_the_python_rule_agree(session):
    ato, abs_ = _agency(session, "ATO"), _agency(session, "ABS")
    session.add_all([EmailDomain(domain="shared.gov.au", agencies=[ato, abs_]), EmailDomain(domain="extra.org.au"),
                     EmailDomain(domain="digital.ato.gov.au", agencies=[abs_])])
    for email, agency in (("a@ato.gov.au", "ATO"), ("b@ato.gov.au", "DTA"), ("c@digital.ato.gov.au", "ATO"),
                          ("d@digital.ato.gov.au", "ABS"), ("e@shared.gov.au", "ABS"), ("f@shared.gov.au", "DTA"),
                          ("g@health.nsw.gov.au", "DTA"), ("h@unknown.gov.au", "DTA"), ("i@x.extra.org.au", "DTA")):
        factories.user(session, email=email, agency_abbreviation=agency)
    nobody = factories.user(session, email="j@extra.org.au")
    nobody.agency = None
    session.flush()

    listed = set(session.scalars(select(User.email).where(agency_disagrees_with_email())))
    python = {u.email for u in session.scalars(select(User)) if not membership(session, u.email).admits(u.agency_id)}

    assert listed == python == {"b@ato.gov.au", "c@digital.ato.gov.au", "f@shared.gov.au", "g@health.nsw.gov.au",
                                "h@unknown.gov.au", "i@x.extra.org.au"}


def test_merging_agencies_moves_the_duplicates_domains(web, session, signed_in):
    signed_in(site_admin=True)
    ato, abs_ = _agency(session, "ATO"), _agency(session, "ABS")

    web.post(f"/admin/agencies/{abs_.id}/merge", {"merge-target_id": str(ato.id)})

    session.expire_all()
    assert [a.abbreviation for a in agencies_for_email(session, "x@abs.gov.au")] == ["ATO"]


def test_create_admin_takes_the_agency_from_the_address(app, session):
    result = app.test_cli_runner().invoke(args=["create-admin", "--email", "ops@abs.gov.au", "--name", "Ops Person",
                                                "--password", "a long enough password"])

    assert result.exit_code == 0, result.output
    assert session.scalar(select(User).where(User.email == "ops@abs.gov.au")).agency.abbreviation == "ABS"
