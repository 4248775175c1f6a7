"""PDF documents (the arrangement, that is the mobility plan, and the completion certificate) and the .ics entry.

The documents are templates under templates/documents/ (HTML and CSS, the wording lives there), rendered to PDF by
WeasyPrint. Markdown typed by people (duties, what you'll gain) goes through the same renderer and sanitiser as the
opportunity page, so the PDF shows lists and emphasis, never raw markup; a link prints as its text followed by its
address in brackets (document.css), since a printed page cannot be clicked. WeasyPrint lays text out with Debian's
Pango and finds fonts through fontconfig: DejaVu Sans (fonts-dejavu-core) prints names such as Nguyễn or Pōmare.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from icalendar import Calendar, Event

from portal.participation import plan
from portal.models import Application, Arrangement, Certificate
from workflows import clock


def render_pdf(template: str, context: dict) -> bytes:
    """templates/documents/<template> rendered with the app's Jinja filters (no request needed: jobs run this)."""
    html = current_app.jinja_env.get_template(f"documents/{template}").render(**context)
    from weasyprint import HTML  # imported when a document is drawn: it takes most of a second to load

    return HTML(string=html).write_pdf()


def arrangement_pdf(application: Application, arrangement: Arrangement, opportunity_link: str,
                    home_manager_title: str | None) -> bytes:
    """The informal arrangement with the sections of the programme's mobility plan."""
    return render_pdf("arrangement.html",
                      plan.arrangement_context(application, arrangement, opportunity_link, home_manager_title))


def certificate_pdf(application: Application, certificate: Certificate) -> bytes:
    return render_pdf("certificate.html", plan.certificate_context(application, certificate.reference))


def start_date_ics(arrangement: Arrangement, title: str, link: str) -> bytes | None:
    """A calendar entry for the first day, so nobody forgets the start."""
    if arrangement.start_date is None:
        return None
    calendar = Calendar()
    calendar.add("prodid", "-//oneAPS Opportunities//arrangements//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"arrangement-{arrangement.application_id}@opportunities.apps.gov.au")
    event.add("dtstamp", clock.utcnow())
    event.add("dtstart", arrangement.start_date)
    event.add("dtend", arrangement.start_date + timedelta(days=1))
    event.add("summary", f"Start: {title}")
    event.add("description", f"First day of your short-term opportunity. Arrangement {arrangement.reference}: {link}")
    event.add("sequence", arrangement.version)
    calendar.add_component(event)
    return calendar.to_ical()
