"""In-app notices, e-mail preferences, digests, one-click unsubscribe, bounced addresses, announcements."""
from __future__ import annotations

import re
import time

from sqlalchemy import select

from portal.extensions import db
from portal.models import Notification, OutboxMessage, User
from portal.notifications.digest import send_daily_digests
from portal.notices import set_preference
from portal.outbox import queue_email
from tests.conftest import sign_in
from tests.support.smtp import text_of
from tests.support.web import Web
from tests.support.together import run_sweep_twice_at_once


def _tell(user, category="my_applications", key="k1", link=None):
    with db.transaction() as session:
        queue_email(session, "verify_email", user.email, {"name": user.name, "link": link or "http://x/"},
                    key=key, name=user.name, category=category)


def _status(key, settled=True):
    """The message's status once delivery (in process or by the worker) has finished with it."""
    deadline = time.monotonic() + 20
    while True:
        with db.transaction() as session:
            status = session.scalar(select(OutboxMessage.status).where(OutboxMessage.idempotency_key == key))
        if status != "pending" or not settled or time.monotonic() > deadline:
            return status
        time.sleep(0.1)


def test_an_event_e_mail_also_appears_under_the_bell_until_opened(web, signed_in, mailbox, settings):
    user = signed_in()
    _tell(user, link=settings.portal_base_url + "/help/")
    mailbox.wait_for_to(user.email)

    page = web.get("/").get_data(as_text=True)
    assert re.search(r"Notifications <span class=\"badge\">1", page)
    notice_id = db.session.scalar(select(Notification.id).where(Notification.user_id == user.id))

    opened = web.post(f"/notifications/{notice_id}/open")

    assert opened.location == "/help/"
    assert 'class="badge"' not in web.get("/").get_data(as_text=True)


def test_someone_cannot_open_another_persons_notice(web, signed_in, make_user):
    other = make_user()
    _tell(other)
    notice_id = db.session.scalar(select(Notification.id).where(Notification.user_id == other.id))
    signed_in()
    assert web.post(f"/notifications/{notice_id}/open").status_code == 404


def test_switched_off_category_is_not_e_mailed_but_still_noticed(make_user, mailbox):
    user = make_user()
    with db.transaction() as session:
        set_preference(session, user.id, "my_applications", "off")
    _tell(user)
    assert _status("k1") == "skipped"
    assert mailbox.to(user.email) == []
    assert db.session.scalar(select(Notification.title).where(Notification.user_id == user.id))


def test_approval_requests_cannot_be_switched_off(web, signed_in, session):
    user = signed_in()
    web.submit("/notifications/settings", {"approvals": "off", "my_opportunities": "digest"})
    page = web.get("/notifications/settings").get_data(as_text=True)
    assert 'id="my_opportunities-digest" value="digest" checked' in page
    assert "approvals-off" not in page
    _tell(user, category="approvals", key="appr")
    assert _status("appr") == "sent"


def test_daily_digest_bundles_held_mail_into_one_e_mail_once_a_day(make_user, mailbox):
    user = make_user()
    with db.transaction() as session:
        set_preference(session, user.id, "my_applications", "digest")
    _tell(user, key="d1")
    _tell(user, key="d2")
    assert _status("d1") == "held"

    with db.transaction() as session:
        assert len(send_daily_digests(session, False)) == 1
    with db.transaction() as session:
        assert send_daily_digests(session, False) == []

    digest = mailbox.wait_for_to(user.email, "daily summary")
    assert "2 updates" in digest["Subject"]
    assert len(mailbox.to(user.email)) == 1
    assert _status("d1") == "digested"


def test_no_digest_is_sent_when_nothing_is_held(make_user, mailbox):
    make_user()
    with db.transaction() as session:
        assert send_daily_digests(session, False) == []


def test_dry_run_lists_the_digest_without_sending(make_user, mailbox):
    user = make_user()
    with db.transaction() as session:
        set_preference(session, user.id, "my_applications", "digest")
    _tell(user, key="d1")
    with db.transaction() as session:
        assert send_daily_digests(session, True) == [f"digest of 1 to {user.email}"]
    assert _status("d1") == "held"


def test_e_mail_carries_one_click_unsubscribe_that_works_without_a_session(client, make_user, mailbox, settings):
    user = make_user()
    _tell(user)
    message = mailbox.wait_for_to(user.email)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message["List-Unsubscribe"].strip("<>")
    assert url.startswith(settings.portal_base_url)
    assert "Choose which e-mails you get" in text_of(message)

    response = client.post(url.removeprefix(settings.portal_base_url), data={"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    _tell(user, key="k2")
    assert _status("k2") == "skipped"


def test_tampered_unsubscribe_link_is_refused(client):
    response = client.post("/notifications/unsubscribe/not-a-token")

    assert response.status_code == 400 and "This link is not valid" in response.get_data(as_text=True)


def test_permanently_refused_address_is_not_mailed_until_confirmed_again(make_user, mailbox, web):
    user = make_user()
    mailbox.unknown_addresses.add(user.email)
    _tell(user, key="b1")
    assert _status("b1") == "bounced"
    db.session.expire_all()
    assert db.session.get(User, user.id).email_bounced_at is not None

    _tell(user, key="b2")
    assert _status("b2") == "skipped"

    mailbox.unknown_addresses.clear()
    from tests.conftest import sign_in

    sign_in(web, user)
    assert "being refused" in web.get("/profile").get_data(as_text=True)
    web.post("/verify/resend")
    link = re.search(r"http://127\.0\.0\.1:\d+(/verify/\S+)", text_of(mailbox.wait_for_to(user.email))).group(1)
    web.get(link)
    db.session.expire_all()
    assert db.session.get(User, user.id).email_bounced_at is None


def test_site_admin_announcement_shows_until_dismissed(web, signed_in, make_user, client):
    signed_in(site_admin=True)
    web.submit("/notifications/announcements", {"title": "Planned outage on Saturday", "body": "From 9 am."})
    assert "Planned outage on Saturday" in web.get("/").get_data(as_text=True)
    announcement_id = re.search(r"/notifications/announcements/(\d+)/dismiss", web.get("/").get_data(as_text=True)).group(1)

    web.post(f"/notifications/announcements/{announcement_id}/dismiss", {"next": "/"})

    assert "Planned outage on Saturday" not in web.get("/").get_data(as_text=True)


def test_one_persons_dismissal_leaves_the_announcement_for_everyone_else(web, signed_in, make_user, app):
    """The header's count of announcements is per person: another person's dismissal must not hide it."""
    signed_in(site_admin=True)
    web.submit("/notifications/announcements", {"title": "Pay day moves to Friday", "body": "This fortnight only."})
    announcement_id = re.search(r"/notifications/announcements/(\d+)/dismiss", web.get("/").get_data(as_text=True)).group(1)
    web.post(f"/notifications/announcements/{announcement_id}/dismiss", {"next": "/"})

    other = Web(app.test_client())
    sign_in(other, make_user())
    assert "Pay day moves to Friday" in other.get("/").get_data(as_text=True)


def test_only_site_admins_publish_announcements(web, signed_in):
    signed_in()
    assert web.get("/notifications/announcements").status_code == 403


def test_digest_sweep_run_twice_in_parallel_sends_one_digest(make_user, mailbox, app):
    user = make_user()
    with db.transaction() as session:
        set_preference(session, user.id, "my_applications", "digest")
    _tell(user, key="p1")

    run_sweep_twice_at_once(app, send_daily_digests)

    mailbox.wait_for_to(user.email, "daily summary")
    time.sleep(1)
    assert len([m for m in mailbox.to(user.email) if "daily summary" in m["Subject"]]) == 1
    with db.transaction() as session:
        digests = session.scalars(select(OutboxMessage.id).where(OutboxMessage.template == "daily_digest")).all()
    assert len(digests) == 1
