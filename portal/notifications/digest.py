"""The daily digest: e-mails people asked to get once a day, bundled into one message."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.mail import subject
from portal.models import OutboxMessage, ReminderSent, User
from portal.outbox import queue_email
from portal.sweeps import claim, sweep, today_step
from portal.urls import external_url
from workflows import clock


@sweep("daily_digest")
def send_daily_digests(session: Session, dry_run: bool) -> list[str]:
    """One e-mail per person per Canberra day with everything held for them; none when nothing is held."""
    step = today_step()
    already = select(ReminderSent.record_id).where(ReminderSent.kind == "digest", ReminderSent.step == step)
    rows = session.execute(
        select(User.id, User.name, User.email, OutboxMessage)
        .join(User, User.email == OutboxMessage.recipient)
        .where(OutboxMessage.status == "held", User.id.not_in(already))
        .order_by(User.id, OutboxMessage.created_at)).all()
    held: dict[tuple[int, str, str], list[OutboxMessage]] = defaultdict(list)
    for user_id, name, email, message in rows:
        held[(user_id, name, email)].append(message)
    lines = []
    for (user_id, name, email), messages in held.items():
        lines.append(f"digest of {len(messages)} to {email}")
        if dry_run:
            continue
        if not claim(session, "digest", user_id, step):
            continue
        items = [{"title": subject(m), "link": m.context.get("link"), "when": m.created_at.isoformat()}
                 for m in messages]
        queue_email(session, "daily_digest", email, {"items": items, "link": external_url("notifications.index")},
                    key=f"digest:{user_id}:{step}", name=name, category="digest_summary")
        for message in messages:
            message.status, message.sent_at = "digested", clock.utcnow()
    return lines
