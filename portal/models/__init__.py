"""Typed SQLAlchemy 2.0 models, one module per aggregate."""
from portal.models.api import ApiToken
from portal.models.applications import Acknowledgement, Application, Arrangement, Certificate, Feedback
from portal.models.audit import AuditEvent
from portal.models.base import Base
from portal.models.date_changes import DateChange
from portal.models.notifications import Announcement, AnnouncementDismissal, Notification, NotificationPreference
from portal.models.operations import BackgroundStatus
from portal.models.opportunities import ListingGeneration, Opportunity, SavedOpportunity
from portal.models.outbox import OutboxMessage, ReminderSent, UsedToken
from portal.models.privacy import CorrectionRequest, DataExport
from portal.models.questions import Question
from portal.models.searches import SavedSearch
from portal.models.sso import IdentityProvider, LinkedIdentity, ProviderDomain
from portal.models.users import Agency, AllowedDomain, EmailDomain, Skill, User

__all__ = ["Acknowledgement", "Agency", "AllowedDomain", "EmailDomain", "ApiToken", "Announcement", "AnnouncementDismissal", "BackgroundStatus",
           "CorrectionRequest", "DataExport", "DateChange", "Notification",
           "NotificationPreference", "Application", "Arrangement", "AuditEvent", "Base", "Certificate",
           "Feedback", "IdentityProvider", "LinkedIdentity", "ListingGeneration", "ProviderDomain", "Opportunity", "OutboxMessage", "Question", "ReminderSent", "SavedOpportunity", "SavedSearch", "Skill", "UsedToken",
           "User"]
