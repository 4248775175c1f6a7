"""Every route of the app, requested as every kind of person. The expected answer for each pair is
written once, in MATRIX, so a new route (or a loosened rule) cannot slip in without someone deciding
who may use it.

POSTs carry a valid CSRF token and empty data: the question is "may this person act here?", not
"is this form valid?". So "ok" means the request got past the access check (200, 302, 400, 409 or
422 are all answers the feature gives to someone entitled to ask); refusals are exact.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask import url_for
from sqlalchemy import select

from portal.api.tokens import create_token
from portal.applications import cv
from portal.models import (Acknowledgement, Announcement, ApiToken, Application, Arrangement, Certificate,
                           CorrectionRequest, IdentityProvider, Notification, OutboxMessage, ProviderDomain, SavedSearch)
from tests.conftest import sign_in
from tests.support import factories
from workflows import clock

ROLES = ("anonymous", "unverified", "employee", "contractor", "owner", "applicant", "admin_same",
         "admin_other", "site_admin")
# People who rewrote everything they describe themselves with (job title, location, manager, and the agency and
# contractor fields a form could once change) before trying every route: they must answer as the role they are.
SELF_DESCRIBED = {"employee_self_described": "employee", "contractor_self_described": "contractor"}
OK = "ok"                # past the access check: 200, 302 (not to sign in / verify), 400, 409 or 422
SIGN_IN = "sign-in"      # 302 to the sign-in page
VERIFY = "verify"        # 302 to the "confirm your e-mail" page
ALLOWED = {200, 302, 400, 409, 422}
API_BODIES = {"api.apply": {"statement": "Keen to help", "home_manager_name": "Hana Home",
                            "home_manager_email": "hana.home@dta.gov.au"}}
TAMPERED = "eyJ1aWQiOjF9.dGFtcGVyZWQ.c2lnbmF0dXJl"


def _rule(default, anonymous=SIGN_IN, unverified=VERIFY, **cells) -> dict[str, object]:
    expanded = {role: default for role in ROLES}
    expanded.update(anonymous=anonymous, unverified=unverified)
    expanded.update(cells)
    return expanded


def only(*roles: str, others: object = 404, **cells) -> dict[str, object]:
    """Signed-in, verified, and one of `roles`; every other verified person gets `others`."""
    return _rule(others, **{role: OK for role in roles}, **cells)


# Compact defaults, expanded to one expected answer per role.
PUBLIC = {role: OK for role in ROLES}
SIGNED_OUT_ONLY = _rule(302, anonymous=OK, unverified=302)          # sign in / register: signed-in people go home
SIGNED_IN = _rule(OK, unverified=OK)                                 # any account, even unconfirmed
VERIFIED = _rule(OK)
SITE_ADMIN = only("site_admin", others=403)
ANY_ADMIN = only("admin_same", "admin_other", "site_admin", others=403)
HOST_AGENCY_ADMIN = only("admin_same", "site_admin", others=403)     # the opportunity's host agency (DTA)
OWNER_OR_ADMIN = only("owner", "admin_same", "site_admin")           # owner, host agency admin, site admin
OWNER = only("owner")
APPLICANT = only("applicant")
PARTIES = only("owner", "applicant", "admin_same", "site_admin")     # the arrangement's parties and admins
APPROVERS = only("admin_same", "site_admin")                         # approving manager has no account here
SIGNED_LINK = {role: 400 for role in ROLES}                          # tampered token: the clear refusal page
API = _rule(OK, anonymous=401, unverified=401)


MATRIX: dict[str, dict[str, object] | dict[str, dict[str, object]]] = {
    "accounts.confirm_move": _rule(400, anonymous=SIGN_IN, unverified=400),  # tampered token, to its owner only
    "accounts.declare_contractor": VERIFIED,   # only towards fewer rights: see SELF_DESCRIBED
    "accounts.forgot_password": PUBLIC,
    "accounts.login": SIGNED_OUT_ONLY,
    "accounts.logout": PUBLIC,
    "accounts.move_agency": VERIFIED,
    "accounts.profile": SIGNED_IN,
    "accounts.register": SIGNED_OUT_ONLY,
    "accounts.resend_verification": _rule(OK, unverified=302),  # sends it, then back to "confirm your e-mail"
    "accounts.reset_password": SIGNED_LINK,
    "accounts.unverified": _rule(302, unverified=OK),
    "accounts.verify": SIGNED_LINK,
    "admin.agencies": SITE_ADMIN,
    "admin.agency": SITE_ADMIN,
    "memberships.agency_domains": SITE_ADMIN,
    "memberships.agency_mismatches": SITE_ADMIN,
    "admin_people.agency_participations": HOST_AGENCY_ADMIN,
    "admin_people.agency_people": HOST_AGENCY_ADMIN,
    "admin.audit": SITE_ADMIN,
    "admin.change_owner": SITE_ADMIN,
    "memberships.domain_agency": SITE_ADMIN,
    "memberships.domain_contractors": SITE_ADMIN,
    "memberships.domain_retired": SITE_ADMIN,
    "admin.domains": SITE_ADMIN,
    "admin_people.grant_agency_admin": SITE_ADMIN,
    "admin.index": ANY_ADMIN,
    "admin.merge_agency": SITE_ADMIN,
    "memberships.move_into_agency": HOST_AGENCY_ADMIN,
    "memberships.move_person": SITE_ADMIN,   # the bystander's address gives no agency an admin of theirs could correct to
    "admin.remove_domain": SITE_ADMIN,
    "admin.retire_skill": SITE_ADMIN,
    "memberships.set_contractor": HOST_AGENCY_ADMIN,
    "admin_people.revoke_agency_admin": SITE_ADMIN,
    "admin_people.set_disabled": SITE_ADMIN,
    "admin_people.set_site_admin": SITE_ADMIN,
    "admin.skill": SITE_ADMIN,
    "admin.skills": SITE_ADMIN,
    "admin_people.user": SITE_ADMIN,
    "admin_people.users": SITE_ADMIN,
    "api.apply": _rule(OK, anonymous=401, unverified=401, contractor=403, owner=403),  # others: 409, it is matched
    "api.get_opportunity": API,
    "api.list_applications": API,
    "api.list_opportunities": API,
    "api.me": API,
    "api.notifications": API,
    "api.openapi": PUBLIC,
    "api.read_notification": only("applicant", anonymous=401, unverified=401),
    "api.withdraw": only("applicant", anonymous=401, unverified=401),  # Ari's is completed: 409, still Ari's
    "api_tokens.index": VERIFIED,
    "api_tokens.revoke": VERIFIED,  # acts on the person's own tokens only: see the check after the requests
    "participation.acknowledge": SIGNED_LINK,
    "applications.apply": _rule(OK, contractor=403, owner=403),  # others: 409, the opportunity is matched
    "participation.arrangement": PARTIES,
    "participation.arrangement_pdf": PARTIES,
    "participation.certificate": PARTIES,
    "participation.complete": only("owner", "site_admin", admin_same=403),
    "applications.cv_download": PARTIES,
    "home_manager.decide": APPROVERS,       # home manager's portal page: admins of the host/home agency too
    "feedback.feedback": only("owner", "applicant"),
    "feedback.show_on_profile": only("applicant", owner=403),  # the participant's own choice
    "home_manager.manager_decision": SIGNED_LINK,
    "home_manager.manager_queue": VERIFIED,
    "applications.mine": VERIFIED,
    "applications.not_selected": OWNER_OR_ADMIN,
    "applications.not_selected_rest": OWNER_OR_ADMIN,
    "applications.review": OWNER_OR_ADMIN,
    "applications.select": OWNER_OR_ADMIN,
    "applications.shortlist": OWNER_OR_ADMIN,
    "applications.withdraw": APPLICANT,
    "approvals.decide": APPROVERS,
    "approvals.index": VERIFIED,
    "approvals.link": SIGNED_LINK,
    # Registered only in the embedded and test shapes (never in production), and only for requests from
    # the machine itself (the test client's address): see test_the_dev_mail_page_is_refused_to_other_machines.
    "corrections.decide": only("admin_same", "site_admin", others=403, admin_other=404),  # Olive's (DTA) request
    "corrections.index": ANY_ADMIN,
    "devmail.index": PUBLIC,
    "devmail.show": {role: 404 for role in ROLES},  # no such message
    "help.index": PUBLIC,
    "help.page": PUBLIC,
    "home.health": PUBLIC,
    "home.index": PUBLIC,
    "notifications.announcements": SITE_ADMIN,
    "notifications.dismiss": VERIFIED,
    "notifications.end_announcement": SITE_ADMIN,
    "notifications.index": VERIFIED,
    "notifications.open_notice": APPLICANT,
    "notifications.read_all": VERIFIED,
    "notifications.settings": VERIFIED,
    "notifications.unsubscribe": SIGNED_LINK,
    "opportunities.add_coowner": OWNER,
    "opportunities.browse": VERIFIED,
    "opportunities.cancel": OWNER_OR_ADMIN,
    "opportunities.close_selection": only("owner", admin_same=403, site_admin=403),
    "opportunities.complete": only("owner", "site_admin", admin_same=403),
    "opportunities.copy": VERIFIED,
    "opportunities.detail": VERIFIED,
    "opportunities.edit": OWNER,
    "opportunities.mine": VERIFIED,
    "opportunities.new": VERIFIED,
    "opportunities.save": VERIFIED,
    "opportunities.saved": VERIFIED,
    "opportunities.submit": OWNER,
    "opportunities.toggle": only("owner", admin_same=403, site_admin=403),
    # Answered from the machine itself (the test client's address); other addresses get 404, see tests/portal/ops.
    "ops.ready": PUBLIC,
    "ops.scrape": PUBLIC,
    "privacy.close_account": VERIFIED,          # empty form: 422, nobody's account is closed
    "privacy.download": _rule(400),             # tampered link: the clear refusal page, once signed in
    "privacy.index": VERIFIED,
    "privacy.request_correction": VERIFIED,
    "privacy.request_download": VERIFIED,
    "reports.dashboard": ANY_ADMIN,
    "reports.export": ANY_ADMIN,
    "saved_searches.alert": APPLICANT,
    "saved_searches.create": VERIFIED,
    "saved_searches.delete": APPLICANT,     # its own saved search (see world): only Ari can delete it
    "saved_searches.index": VERIFIED,
    "saved_searches.rename": APPLICANT,
    "sso.callback": PUBLIC,                                    # no sign-in started: the plain-words 400 page
    "sso.start": _rule(OK, anonymous=404, unverified=OK),      # the world's provider is switched off
    "sso_admin.add_domain": SITE_ADMIN,
    "sso_admin.agency_sign_in": HOST_AGENCY_ADMIN,
    "sso_admin.provider": SITE_ADMIN,
    "sso_admin.providers": SITE_ADMIN,
    "sso_admin.remove_domain": SITE_ADMIN,
    "system.index": SITE_ADMIN,
    "system.retry_message": SITE_ADMIN,
    "system.run_now": SITE_ADMIN,
}


def expected(endpoint: str, method: str, role: str) -> object:
    role = SELF_DESCRIBED.get(role, role)
    entry = MATRIX[endpoint]
    return (entry[method] if method in entry else entry)[role]


def world(session, settings):
    """One person per role and the records every route can be pointed at: Olive (DTA) owns a matched
    opportunity; Ari (ATO) took part and has completed, with an arrangement, a certificate and a CV."""
    dta, other = factories.agency(session, "DTA"), factories.agency(session, "DSS")
    assert other.id != dta.id
    people = {
        "unverified": factories.user(session, verified=False),
        "employee": factories.user(session),
        "contractor": factories.user(session, contractor=True),
        "owner": factories.user(session, name="Olive Owner"),
        "applicant": factories.user(session, name="Ari Applicant", agency_abbreviation="ATO"),
        "admin_same": factories.user(session, admin_of=[dta]),
        "admin_other": factories.user(session, agency_abbreviation="DSS", admin_of=[other]),
        "site_admin": factories.user(session, site_admin=True),
        "employee_self_described": factories.user(session),
        "contractor_self_described": factories.user(session, contractor=True),
    }
    bystander = factories.user(session, name="Bea Bystander")
    owner, applicant = people["owner"], people["applicant"]
    opportunity = factories.open_opportunity(session, owner, state="matched")
    pending = factories.opportunity(session, owner, state="approval", title="Awaiting approval")
    now = clock.utcnow()
    application = Application(
        opportunity=opportunity, applicant=applicant, state="completed", statement="I would like to help.",
        home_manager_name="Hana Manager", home_manager_email="hana.manager@ato.gov.au",
        cv_filename="ari.pdf", cv_path=cv.store(settings, b"%PDF-1.4 matrix"),
        manager_requested_at=now - timedelta(days=30), manager_decided_at=now - timedelta(days=29),
        decided_at=now - timedelta(days=31), completed_at=now)
    session.add(application)
    session.flush()
    arrangement = Arrangement(application_id=application.id, reference="IA-MATRIX-1", pdf=b"%PDF-1.4 matrix",
                              start_date=opportunity.start_date, end_date=opportunity.end_date)
    session.add(arrangement)
    session.flush()
    for party, name, email in (("participant", applicant.name, applicant.email),
                               ("home_manager", "Hana Manager", "hana.manager@ato.gov.au"),
                               ("host_manager", owner.name, owner.email)):
        session.add(Acknowledgement(arrangement_id=arrangement.id, party=party, name=name, email=email,
                                    acknowledged_at=now))
    session.add(Certificate(application_id=application.id, reference="CC-MATRIX-1", pdf=b"%PDF-1.4 matrix"))
    notice = Notification(user_id=applicant.id, category="my_applications", title="Completed", link="/applications")
    announcement = Announcement(title="Scheduled maintenance", body="Saturday morning.",
                                created_by_id=people["site_admin"].id)
    searches = [SavedSearch(user_id=applicant.id, name=name, query="q=data") for name in ("Data", "Data too")]
    correction = CorrectionRequest(user=owner, agency_id=owner.agency_id, subject="email", details="Use my new address.")
    failed = OutboxMessage(template="verify_email", recipient=owner.email, context={}, idempotency_key="matrix-failed",
                           status="failed", last_error="refused")
    session.add_all([notice, announcement, *searches, correction, failed])
    provider = IdentityProvider(name="Matrix sign-in", issuer="https://login.example.invalid", client_id="matrix",
                                client_secret_sealed="not used", enabled=False)
    session.add(provider)
    session.flush()
    session.add(ProviderDomain(domain="matrix.gov.au", provider_id=provider.id, agency_id=dta.id))
    applicants_token, _ = create_token(session, applicant, "laptop")
    bearer = {role: create_token(session, person, "matrix")[1] for role, person in people.items()}
    session.flush()
    values = {
        "opportunity_id": opportunity.id, "application_id": application.id, "arrangement_id": arrangement.id,
        "notification_id": notice.id, "announcement_id": announcement.id, "token_id": applicants_token.id,
        "user_id": bystander.id, "agency_id": dta.id, "skill_id": factories.skills(session)[0].id,
        "token": TAMPERED, "kind": "opportunities", "slug": "about-opportunities", "name": "no-such-message",
        "action": "disable", "saved_search_id": searches[0].id, "provider_id": provider.id,
        "domain": "dta.gov.au", "how": "move", "change": "retire",
        "correction_id": correction.id, "message_id": failed.id,
    }
    per_endpoint = {"approvals.decide": {"opportunity_id": pending.id},
                    "saved_searches.delete": {"saved_search_id": searches[1].id},
                    "admin_people.revoke_agency_admin": {"user_id": people["admin_same"].id, "agency_id": dta.id},
                    "system.run_now": {"name": "retention"}}
    return people, bearer, values, per_endpoint, (applicants_token.id, searches[1].id)


def requests_to_make(app) -> list[tuple[str, str, object]]:
    """(endpoint, method, rule) for every route but static; GETs first, and signing out last."""
    found = [(rule.endpoint, method, rule) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
             for method in ("GET", "POST") if method in rule.methods]
    return sorted(found, key=lambda r: (r[0] == "accounts.logout", r[0] == "accounts.declare_contractor",
                                        r[1] == "POST", r[0]))  # an employee declaring is a contractor after


def test_every_route_has_an_entry_in_the_matrix(app):
    missing = sorted({endpoint for endpoint, _, _ in requests_to_make(app)} - set(MATRIX))
    assert not missing, f"add it to the matrix: {', '.join(missing)}"


def test_the_matrix_names_only_routes_that_exist_and_every_role(app):
    registered = {endpoint for endpoint, _, _ in requests_to_make(app)}
    assert set(MATRIX) - registered - {"devmail.index", "devmail.show"} == set()
    for endpoint, entry in MATRIX.items():
        for cells in (entry.values() if "GET" in entry or "POST" in entry else [entry]):
            assert set(cells) == set(ROLES), endpoint


def _verdict(response, want: object) -> bool:
    location = response.headers.get("Location", "")
    if want == SIGN_IN:
        return response.status_code == 302 and "/sign-in" in location
    if want == VERIFY:
        return response.status_code == 302 and location.rstrip("/").endswith("/verify")
    if want == OK:
        refused = response.status_code == 302 and ("/sign-in" in location or location.rstrip("/").endswith("/verify"))
        return response.status_code in ALLOWED and not refused
    return response.status_code == want


def _rewrite_self_description(web, session) -> None:
    """Everything the profile form takes, and the fields it no longer takes, set to claim more than is true."""
    ato = factories.agency(session, "ATO")
    web.submit("/profile", {"name": "Ima Siteadmin", "agency_id": str(ato.id), "job_title": "ATO agency admin",
                            "location": "Canberra ACT", "supervisor_name": "Kate Brennan",
                            "supervisor_email": "kate.brennan@ato.gov.au", "is_contractor": "", "is_site_admin": "y",
                            "admin_of": str(ato.id)})


@pytest.mark.parametrize("role", ROLES + tuple(SELF_DESCRIBED))
def test_every_route_answers_each_role_as_the_matrix_says(app, web, session, settings, role):
    people, bearer, values, per_endpoint, (applicants_token, applicants_search) = world(session, settings)
    session.commit()
    if role != "anonymous":
        sign_in(web, people[role])
    if role in SELF_DESCRIBED:
        _rewrite_self_description(web, session)
        session.expire_all()
        person = session.get(type(people[role]), people[role].id)
        assert (person.agency.abbreviation, person.is_contractor, person.is_site_admin, person.admin_of) == \
            ("DTA", role == "contractor_self_described", False, [])
    wrong = []
    for endpoint, method, rule in requests_to_make(app):
        if endpoint not in MATRIX:
            continue  # named by test_every_route_has_an_entry_in_the_matrix
        arguments = {name: values[name] for name in rule.arguments} | per_endpoint.get(endpoint, {})
        with app.test_request_context():
            path = url_for(endpoint, **arguments)
        headers = {"Authorization": f"Bearer {bearer[role]}"} if endpoint.startswith("api.") and role in bearer else {}
        if method == "GET":
            response = web.get(path, headers=headers)
        elif endpoint.startswith("api."):  # a well-formed request, so what answers is who may do it
            response = web.client.post(path, json=API_BODIES.get(endpoint), headers=headers)
        else:
            response = web.post(path, {}, headers=headers)
        want = expected(endpoint, method, role)
        if response.status_code >= 500 or not _verdict(response, want):
            wrong.append(f"{method} {path} ({endpoint}) as {role}: expected {want}, got {response.status_code} "
                         f"{response.headers.get('Location', '')}".rstrip())
    assert not wrong, "\n".join(wrong)
    session.expire_all()
    revoked = session.scalar(select(ApiToken.revoked_at).where(ApiToken.id == applicants_token))
    assert (revoked is not None) == (role == "applicant"), "only Ari may revoke Ari's API token"
    deleted = session.get(SavedSearch, applicants_search) is None
    assert deleted == (role == "applicant"), "only Ari may delete Ari's saved search"


def test_the_dev_mail_page_is_refused_to_other_machines(client):
    """It lists every e-mail the embedded portal wrote, password-reset links included."""
    elsewhere = {"REMOTE_ADDR": "10.20.30.40"}

    assert client.get("/dev/mail/", environ_base=elsewhere).status_code == 404
    assert client.get("/dev/mail/", environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code == 200


BEYOND_RECORD_IDS = (2**31, 2**63, 0, -1)  # past PostgreSQL's integer, past SQLite's, and no id at all


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_404_for_an_id_no_record_can_have(app, web, session, settings, role):
    """Ids outside 1..2^31-1 are refused by the URL converter on pages, POST actions and the API alike,
    before any query could fail on them."""
    people, bearer, values, per_endpoint, _ = world(session, settings)
    session.commit()
    if role != "anonymous":
        sign_in(web, people[role])
    wrong = []
    for endpoint, method, rule in requests_to_make(app):
        ids = [name for name in rule.arguments if name.endswith("_id")]
        for name, beyond in ((name, beyond) for name in ids for beyond in BEYOND_RECORD_IDS):
            arguments = {n: values[n] for n in rule.arguments} | per_endpoint.get(endpoint, {}) | {name: beyond}
            with app.test_request_context():
                path = url_for(endpoint, **arguments)
            headers = {"Authorization": f"Bearer {bearer[role]}"} if endpoint.startswith("api.") and role in bearer else {}
            response = web.get(path, headers=headers) if method == "GET" else web.post(path, {}, headers=headers)
            if response.status_code != 404:
                wrong.append(f"{method} {path} ({endpoint}) as {role}: expected 404, got {response.status_code}")
    assert not wrong, "\n".join(wrong)
