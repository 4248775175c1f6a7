"""Accounts unused for three years are disabled; their owners are told 30 days before."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from portal.models import AuditEvent, ReminderSent, User
from portal.outbox import queue_email
from portal.sweeps import claim_many, sweep
from portal.urls import external_url
from workflows import clock

DORMANT_AFTER = timedelta(days=3 * 365)
WARNING_BEFORE = timedelta(days=30)


@sweep("dormant_accounts")
def disable_dormant_accounts(session: Session, dry_run: bool) -> list[str]:
    """Warn once at three years less 30 days of no sign-in; disable at three years if still unused."""
    now = clock.utcnow()
    last_seen = func.coalesce(User.last_login_at, User.created_at)
    warned = select(ReminderSent.record_id).where(ReminderSent.kind == "dormant_warning")
    to_warn = session.execute(select(User.id, User.name, User.email).where(
        User.disabled_at.is_(None), last_seen <= now - DORMANT_AFTER + WARNING_BEFORE,
        last_seen > now - DORMANT_AFTER, User.id.not_in(warned))).all()
    to_disable = list(session.scalars(select(User.id).where(
        User.disabled_at.is_(None), last_seen <= now - DORMANT_AFTER,
        User.id.in_(select(ReminderSent.record_id).where(ReminderSent.kind == "dormant_warning",
                                                        ReminderSent.sent_at <= now - WARNING_BEFORE)))))
    if dry_run:
        return [f"warn {email}" for _, _, email in to_warn] + [f"disable user {user_id}" for user_id in to_disable]
    claimed = claim_many(session, "dormant_warning", [user_id for user_id, _, _ in to_warn], 1)
    lines = []
    for user_id, name, email in to_warn:
        if user_id not in claimed:
            continue  # a run at the same moment warns them
        lines.append(f"warn {email}")
        queue_email(session, "account_dormant", email, {"name": name, "link": external_url("accounts.login"),
                                                        "days": WARNING_BEFORE.days},
                    key=f"dormant:{user_id}:{now.date().isoformat()}", name=name, category="account")
    if to_disable:
        disabled = list(session.scalars(
            update(User).where(User.id.in_(to_disable), User.disabled_at.is_(None))
            .values(disabled_at=now, session_version=User.session_version + 1).returning(User.id)))
        lines += [f"disable user {user_id}" for user_id in sorted(disabled)]
        session.add_all([AuditEvent(record_type="user", record_id=user_id, action="disabled_dormant",
                                    actor_label="system", reason="No sign-in for three years", data={})
                         for user_id in disabled])
    return lines
