"""How and whether a person hears about something: preferences, in-app notices, bounced addresses.

Core, beside the outbox that asks it as each e-mail is queued and sent; the notifications feature holds the pages
(the notices list, preferences, unsubscribing) and the digest."""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, with_expression

from portal import links
from portal.models import Announcement, AnnouncementDismissal, Notification, NotificationPreference, OutboxMessage, User
from portal.models.notifications import CATEGORIES
from workflows import clock


def mode_for(session: Session, user_id: int, category: str) -> str:
    """'now', 'digest' or 'off'; mail an action depends on is always 'now'."""
    if not _switchable(category):
        return "now"
    return _effective(category, session.scalar(select(NotificationPreference.mode).where(
        NotificationPreference.user_id == user_id, NotificationPreference.category == category)))


def _switchable(category: str) -> bool:
    return category in CATEGORIES and CATEGORIES[category][1]


def _effective(category: str, stored: str | None) -> str:
    """A stored choice applies only where the category can be switched; the default is 'now'."""
    return (stored or "now") if _switchable(category) else "now"


def preferences(session: Session, user_id: int) -> dict[str, str]:
    rows = session.execute(select(NotificationPreference.category, NotificationPreference.mode)
                           .where(NotificationPreference.user_id == user_id)).all()
    stored = {category: mode for category, mode in rows}
    return {category: stored.get(category, "now") if switchable else "now"
            for category, (_, switchable) in CATEGORIES.items()}


def set_preference(session: Session, user_id: int, category: str, mode: str) -> None:
    if category not in CATEGORIES or not CATEGORIES[category][1]:
        return
    row = session.scalar(select(NotificationPreference).where(
        NotificationPreference.user_id == user_id, NotificationPreference.category == category))
    if row is None:
        session.add(NotificationPreference(user_id=user_id, category=category, mode=mode))
    else:
        row.mode = mode


def set_skill_alerts(user: User, on: bool) -> None:
    """The opt-in to e-mails about new opportunities that share a skill with the person's profile: alerts
    count from the moment it is turned on."""
    if on and user.skill_alerts_since is None:
        user.skill_alerts_since = clock.utcnow()
    elif not on:
        user.skill_alerts_since = None


def route_queued_emails(session: Session, queued: list[tuple[OutboxMessage, str, str | None]]) -> None:
    """Called as e-mails are queued (message, subject, link): add each in-app notice and apply each person's
    preference, in two queries for any number of messages."""
    queued = [item for item in queued if item[0].category in CATEGORIES]
    recipients = sorted({message.recipient for message, _, _ in queued})
    users = {user.email: user for start in range(0, len(recipients), 1000) for user in session.scalars(
        select(User).where(User.email.in_(recipients[start:start + 1000])))}
    ids = sorted({user.id for user in users.values()})
    stored = {(user_id, category): mode for start in range(0, len(ids), 1000)
              for user_id, category, mode in session.execute(
                  select(NotificationPreference.user_id, NotificationPreference.category, NotificationPreference.mode)
                  .where(NotificationPreference.user_id.in_(ids[start:start + 1000])))}
    for message, subject, link in queued:
        user = users.get(message.recipient)
        if user is None:
            continue
        session.add(Notification(user_id=user.id, category=message.category, title=subject[:300],
                                 link=link if link and len(link) <= 500 else None))
        mode = _effective(message.category, stored.get((user.id, message.category)))
        if user.email_bounced_at is not None or mode == "off":
            message.status = "skipped"
        elif mode == "digest":
            message.status = "held"


def mark_bounced(session: Session, address: str) -> None:
    """A permanent refusal: stop mailing this address until its owner confirms it again."""
    session.execute(update(User).where(User.email == address.lower(), User.email_bounced_at.is_(None))
                    .values(email_bounced_at=clock.utcnow()))


def unread_count(session: Session, user_id: int) -> int:
    return session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def header_figures() -> list:
    """Loader options that fill User.unread_notices and User.open_announcements in the statement that loads
    the user, so a page's header costs no statements of its own."""
    unread = select(func.count(Notification.id)).where(
        Notification.user_id == User.id, Notification.read_at.is_(None)).scalar_subquery()
    # Two levels down from the users row: without an explicit correlation SQLAlchemy would give the EXISTS its own
    # `users`, and one person's dismissal would hide the announcement from everyone.
    dismissed = select(AnnouncementDismissal.announcement_id).where(
        AnnouncementDismissal.user_id == User.id, AnnouncementDismissal.announcement_id == Announcement.id
    ).correlate(User, Announcement)
    announcements = select(func.count(Announcement.id)).where(
        Announcement.ends_at.is_(None), ~dismissed.exists()).scalar_subquery()
    return [with_expression(User.unread_notices, unread), with_expression(User.open_announcements, announcements)]


def showing_announcements(session: Session, user: User) -> list[Announcement]:
    """Announcements this person has not dismissed, newest first; no statement when the header count says none."""
    if user.open_announcements == 0:
        return []
    dismissed = select(AnnouncementDismissal.announcement_id).where(AnnouncementDismissal.user_id == user.id)
    return list(session.scalars(select(Announcement).where(
        Announcement.ends_at.is_(None), Announcement.id.not_in(dismissed)).order_by(Announcement.id.desc())))


# One-click unsubscribe (RFC 8058) never expires and may be used again: a List-Unsubscribe link must keep
# working for as long as the e-mail exists, and using it twice only switches off what is already off.
UNSUBSCRIBE_LINK = links.LinkKind("unsubscribe", single_use=False, expires=False, salt="unsubscribe")


def unsubscribe_token(user_id: int, category: str) -> str:
    return UNSUBSCRIBE_LINK.make(uid=user_id, c=category)


def unsubscribed(link: links.Link) -> tuple[int, str]:
    """The person and the category an unsubscribe link names; LinkRefused when it names no category one can
    switch off."""
    category, user_id = link.payload.get("c"), link.payload.get("uid")
    if category not in CATEGORIES or not CATEGORIES[category][1] or not isinstance(user_id, int):
        raise links.LinkRefused("invalid")
    return user_id, category


def has_account(session: Session, email: str) -> bool:
    """Whether the address belongs to someone who can sign in (e-mails to anyone else link only to open pages)."""
    return session.scalar(select(User.id).where(func.lower(User.email) == email.lower()).limit(1)) is not None


def unsubscribe_url(session: Session, message: OutboxMessage) -> str | None:
    """One-click unsubscribe for the message's category, when the person can switch it off."""
    if message.category not in CATEGORIES or not CATEGORIES[message.category][1]:
        return None
    user_id = session.scalar(select(User.id).where(User.email == message.recipient))
    if user_id is None:
        return None
    from portal.urls import external_url

    return external_url("notifications.unsubscribe", token=unsubscribe_token(user_id, message.category))
