"""Signing in and out, lockout, password reset, safe redirects."""
from __future__ import annotations

import re
from datetime import timedelta

from portal.models import User
from portal.models.users import CLEARANCES, clearances_met_by
from tests.conftest import sign_in
from tests.support.factories import PASSWORD
from tests.support.smtp import text_of
from workflows import clock


def test_right_password_signs_in_and_sign_out_ends_the_session(web, make_user):
    user = make_user()
    sign_in(web, user)
    assert user.first_name in web.get("/").get_data(as_text=True)

    web.post("/sign-out")

    assert web.get("/profile").status_code == 302


def test_a_hash_made_with_older_parameters_is_made_again_on_sign_in(web, make_user, session):
    from argon2 import PasswordHasher

    from portal.accounts.passwords import needs_rehash

    user = make_user()
    user.password_hash = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(PASSWORD)
    session.commit()
    assert needs_rehash(user.password_hash)

    sign_in(web, user)

    session.refresh(user)
    assert not needs_rehash(user.password_hash) and "m=19456,t=2,p=1" in user.password_hash
    web.post("/sign-out")
    sign_in(web, user)  # the new hash verifies


def test_wrong_password_shows_an_error_next_to_the_field(web, make_user):
    user = make_user()
    response = web.submit("/sign-in", {"email": user.email, "password": "wrong password here"})
    assert response.status_code == 422
    assert "password is not right" in response.get_data(as_text=True)


def test_five_failures_lock_the_account_for_fifteen_minutes(web, make_user, session):
    user = make_user()
    for _ in range(5):
        web.submit("/sign-in", {"email": user.email, "password": "wrong password here"})

    locked = web.submit("/sign-in", {"email": user.email, "password": PASSWORD})
    assert "locked for 15 minutes" in locked.get_data(as_text=True)

    with clock.moved_by(timedelta(minutes=16)):
        assert web.submit("/sign-in", {"email": user.email, "password": PASSWORD}).status_code == 302


def test_sign_in_is_rate_limited(web, make_user, app):
    user = make_user()
    statuses = [web.submit("/sign-in", {"email": user.email, "password": "wrong"}).status_code for _ in range(22)]
    assert 429 in statuses
    assert "Too many attempts" in web.submit("/sign-in", {"email": user.email, "password": "x"}).get_data(as_text=True)


def test_next_only_goes_to_local_paths(web, make_user):
    user = make_user()
    web.get("/sign-in")
    response = web.post("/sign-in?next=https://evil.example.com/", {"email": user.email, "password": PASSWORD})
    assert response.location == "/"

    web.post("/sign-out")
    web.get("/sign-in")
    response = web.post("/sign-in?next=/help/", {"email": user.email, "password": PASSWORD})
    assert response.location == "/help/"


def test_password_reset_by_e_mailed_link(web, make_user, mailbox, session):
    user = make_user(email="reset.me@dta.gov.au")
    sent = web.submit("/forgot-password", {"email": "reset.me@dta.gov.au"})
    assert "Check your e-mail" in sent.get_data(as_text=True)
    path = re.search(r"http://127\.0\.0\.1:\d+(/reset-password/\S+)", text_of(mailbox.wait_for_to(user.email))).group(1)

    changed = web.submit(path, {"password": "a brand new password", "confirm": "a brand new password"})

    assert changed.status_code == 302
    assert web.submit("/sign-in", {"email": user.email, "password": "a brand new password"}).status_code == 302
    assert web.get(path).status_code == 410


def test_password_reset_does_not_reveal_whether_an_address_exists(web, make_user, mailbox):
    make_user(email="known@dta.gov.au")
    known = web.submit("/forgot-password", {"email": "known@dta.gov.au"}).get_data(as_text=True)
    unknown = web.submit("/forgot-password", {"email": "unknown@dta.gov.au"}).get_data(as_text=True)
    assert known.replace("known@", "") == unknown.replace("unknown@", "")


def test_profile_edit_saves_details_and_skills(web, signed_in, session):
    user = signed_in()
    page = web.get("/profile")
    assert page.status_code == 200
    skill_ids = re.findall(r'name="skills" value="(\d+)"', page.get_data(as_text=True))[:2]
    agency_id = user.agency_id

    response = web.post("/profile", {"name": "Renamed Person", "agency_id": str(agency_id), "job_title": "EL1",
                                     "location": "Hobart TAS", "supervisor_name": "Sam Boss",
                                     "supervisor_email": "sam.boss@dta.gov.au", "bio": "I like data.",
                                     "skills": skill_ids})

    assert response.status_code == 302
    session.expire_all()
    stored = session.get(User, user.id)
    assert stored.name == "Renamed Person" and stored.supervisor_email == "sam.boss@dta.gov.au"
    assert sorted(str(s.id) for s in stored.skills) == sorted(skill_ids)


def test_profile_records_classification_and_clearance_held(web, signed_in, session):
    user = signed_in()

    response = web.post("/profile", {"name": user.name, "aps_classification": "el1", "clearance": "nv1"})

    assert response.status_code == 302
    session.expire_all()
    stored = session.get(User, user.id)
    assert (stored.aps_classification, stored.clearance) == ("el1", "nv1")
    page = web.get("/profile").get_data(as_text=True)
    assert '<option selected value="el1">EL 1</option>' in page and '<option selected value="nv1">NV1</option>' in page
    refused = web.post("/profile", {"name": user.name, "aps_classification": "el9", "clearance": "top-secret"})
    assert refused.status_code == 422 and "Not a valid choice" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, user.id).clearance == "nv1", "bad input changes nothing"


def test_a_clearance_meets_its_own_level_and_every_lower_one():
    assert clearances_met_by("nv1") == ("none", "baseline", "nv1")
    assert clearances_met_by("none") == ("none",)
    assert clearances_met_by(None) == ("none",) and clearances_met_by("bogus") == ("none",)
    assert clearances_met_by("pv") == tuple(CLEARANCES)


def test_profile_rejects_a_manager_address_outside_government(web, signed_in):
    user = signed_in()
    response = web.post("/profile", {"name": "X Y", "agency_id": str(user.agency_id),
                                     "supervisor_email": "boss@gmail.com"})
    assert response.status_code == 422
    assert "government e-mail" in response.get_data(as_text=True)
