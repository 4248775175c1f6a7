"""Close my account: open applications are withdrawn through the application machine, opportunities only they
own that have not yet matched are cancelled through the opportunity machine (their applicants are told), the
person is signed out everywhere and can no longer sign in; the retention sweep later anonymises what is left."""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal import transitions
from portal.applications.services import KIND as APPLICATION_KIND
from portal.applications.services import actor_for
from portal.audit import record_admin_event
from portal.models import ApiToken, Application, Opportunity, SavedSearch, User
from portal.opportunities import records
from portal.opportunities import services as opportunities
from workflows import clock
from workflows.application import LIVE

CLOSED_REASON = "The applicant closed their oneAPS account."
OWNER_CLOSED_REASON = "The owner of this opportunity closed their oneAPS account."
NOT_YET_MATCHED = ("draft", "approval", "open")


def close_account(session: Session, user: User) -> int:
    """Close `user`'s account; how many applications were withdrawn. The caller commits. Opportunities shared
    with co-owners carry on with them; matched ones (people taking part) are left to the admins."""
    now = clock.utcnow()
    withdrawn = 0
    for application in list(session.scalars(select(Application).where(
            Application.applicant_id == user.id, Application.state.in_(LIVE)).with_for_update())):
        transitions.apply(session, APPLICATION_KIND, application, "withdraw", actor_for(user, application),
                          reason=CLOSED_REASON)
        withdrawn += 1
    for opportunity in list(session.scalars(select(Opportunity).where(
            Opportunity.owner_id == user.id, Opportunity.state.in_(NOT_YET_MATCHED),
            ~Opportunity.coowners.any()).with_for_update(of=Opportunity))):
        opportunities.finish(session, opportunity, records.actor_for(user, opportunity), "cancel",
                             reason=OWNER_CLOSED_REASON)
    user.closed_at = user.disabled_at = now
    user.session_version += 1
    user.skill_alerts_since = None
    session.execute(update(SavedSearch).where(SavedSearch.user_id == user.id).values(alert=False))
    session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                    .values(revoked_at=now))
    record_admin_event(session, "user", user.id, "closed", actor=user, data={"withdrawn": withdrawn})
    return withdrawn
