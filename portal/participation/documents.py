"""PDF documents (informal arrangement, completion certificate) and the .ics entry, drawn with fpdf2.

Names such as Nguyễn or Pōmare need a Unicode font: DejaVu Sans is embedded (subset) when the machine has it
(Debian's fonts-dejavu-core, or the same font where other distributions put it). Without it the PDF falls
back to the core Helvetica, which speaks Latin-1 only, and other letters print as "?". Nothing is
downloaded or shipped with the portal; text stays extractable by any reader either way.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from pathlib import Path

from fpdf import FPDF
from icalendar import Calendar, Event

from portal.models import Application, Arrangement, Certificate
from portal.models.opportunities import CLEARANCES, COMMITMENT_KINDS, WORK_MODES
from workflows import clock

LATIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                       "\u2026": "...", "\u00a0": " "})


FONT_DIRECTORIES = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu-sans-fonts",
                    "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF")
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


def _plain(text: str | None) -> str:
    """The core fonts speak Latin-1: typographic quotes and dashes become their plain forms."""
    return (text or "").translate(LATIN).encode("latin-1", "replace").decode("latin-1")


@cache
def unicode_font() -> dict[str, Path] | None:
    """DejaVu Sans regular and bold, from the first directory that has both; None when none has."""
    for directory in FONT_DIRECTORIES:
        paths = {style: Path(directory) / name for style, name in FONT_FILES.items()}
        if all(path.is_file() for path in paths.values()):
            return paths
    return None


def _day(value: date | None) -> str:
    return value.strftime("%-d %B %Y") if value else "to be agreed"


class _Document(FPDF):
    """A plain A4 document: title, reference, headed sections; every block starts at the left margin."""

    def __init__(self, title: str, reference: str) -> None:
        super().__init__(format="A4")
        fonts = unicode_font()
        self.family = "DejaVu" if fonts else "Helvetica"
        for style, path in (fonts or {}).items():
            self.add_font(self.family, style, str(path))
        self.set_title(self.text_of(title))
        self.set_author("oneAPS Opportunities")
        self.reference = reference
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=18)
        self.add_page()
        self.set_font(self.family, "B", 16)
        self.multi_cell(0, 8, self.text_of(title))
        self.set_font(self.family, "", 10)
        self.multi_cell(0, 6, self.text_of(f"Reference {reference}"))
        self.ln(3)

    def text_of(self, text: str | None) -> str:
        """Text as this document's font can print it."""
        return (text or "") if self.family != "Helvetica" else _plain(text)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.cell(0, 6, self.text_of(f"{self.reference} - page {self.page_no()}"), align="C")

    def multi_cell(self, w, h=None, text="", **kwargs):
        kwargs.setdefault("new_x", "LMARGIN")
        kwargs.setdefault("new_y", "NEXT")
        return super().multi_cell(w, h, text, **kwargs)

    def heading(self, text: str) -> None:
        self.ln(2)
        self.set_font(self.family, "B", 12)
        self.multi_cell(0, 7, self.text_of(text))

    def para(self, text: str) -> None:
        self.set_font(self.family, "", 10)
        self.multi_cell(0, 5.5, self.text_of(text), align="L")
        self.ln(1)

    def pairs(self, rows: list[tuple[str, str]]) -> None:
        for label, value in rows:
            self.set_font(self.family, "B", 10)
            self.cell(55, 5.5, self.text_of(label))
            self.set_font(self.family, "", 10)
            self.multi_cell(0, 5.5, self.text_of(value), align="L")

    def bytes(self) -> bytes:
        return bytes(self.output())


def commitment_words(application: Application) -> str:
    o = application.opportunity
    amount = f"{o.commitment_amount} {COMMITMENT_KINDS[o.commitment_kind]}" if o.commitment_amount else "to be agreed"
    place = WORK_MODES[o.work_mode]
    if o.work_mode != "remote":
        place += f" at {o.host_address or 'the host office'}" + (f", {o.location_city}" if o.location_city else "")
    return f"{place}; {amount}"


def arrangement_pdf(application: Application, arrangement: Arrangement, opportunity_link: str,
                    home_manager_title: str | None) -> bytes:
    """The informal arrangement with the fields of the programme's mobility plan."""
    o, person, host = application.opportunity, application.applicant, application.opportunity.owner
    pdf = _Document("Informal arrangement for short-term participation", arrangement.reference)
    pdf.para(f"Version {arrangement.version}, issued {clock.canberra_today().strftime('%-d %B %Y')}.")
    pdf.heading("The opportunity")
    pdf.pairs([("Opportunity", o.title), ("Link", opportunity_link),
               ("Host agency and team", f"{o.host_agency.name if o.host_agency else ''} {o.team or ''}".strip()),
               ("Start date", _day(arrangement.start_date)), ("End date", _day(arrangement.end_date)),
               ("Commitment", commitment_words(application)),
               ("Security clearance", CLEARANCES[o.clearance])])
    pdf.heading("The three parties")
    pdf.pairs([("Participant", person.name), ("Participant e-mail", person.email),
               ("Home agency", person.agency.name if person.agency else "not recorded"),
               ("Clearance required", CLEARANCES[o.clearance]),
               ("Home manager", application.home_manager_name),
               ("Home manager title", home_manager_title or "not recorded"),
               ("Home manager e-mail", application.home_manager_email),
               ("Host manager", host.name), ("Host manager title", host.job_title or "not recorded"),
               ("Host manager e-mail", host.email)])
    pdf.heading("Objectives")
    pdf.para(o.what_you_do or o.summary or "As described in the opportunity.")
    pdf.heading("Responsibilities")
    pdf.para("Host: give the participant clear tasks, the access and induction they need, regular check-ins, "
             "and recognition of their work at the end.")
    pdf.para("Participant: do the agreed work within the agreed time, keep their home manager informed, and "
             "raise early any clash with their home duties.")
    pdf.heading("Ways of working")
    pdf.para("The host and participant agree how and when they meet, which tools they use and how work is "
             "handed over. The participant's home duties come first unless the home manager agrees otherwise.")
    pdf.heading("Leave, safety and flexible work")
    pdf.para("Leave: the participant applies for leave through their home agency as usual and tells the host.")
    pdf.para("Work health and safety: while the participant works with the host, the host agency has a duty of "
             "care for their health and safety, including at any host workplace.")
    pdf.para("Workers' compensation: the participant stays covered by their home agency's workers' "
             "compensation arrangements (home jurisdiction).")
    pdf.para("Flexible work: existing flexible work arrangements with the home agency continue.")
    pdf.heading("Pay and conditions")
    pdf.para("Pay and conditions stay with the home agency under its enterprise agreement, and the participant "
             "stays on the home agency's payroll. No money changes hands between agencies.")
    pdf.heading("Conduct and opting out")
    pdf.para("The participant, host and home manager remain bound by the APS Values and the APS Code of Conduct. "
             "Information seen at the host is kept confidential and handled under its security rules.")
    pdf.para("Any of the three parties may end the arrangement early by telling the other two. "
             "The participant has the right to opt out at any time.")
    pdf.heading("Acknowledgement")
    pdf.para("Each party acknowledges this arrangement by the link e-mailed to them; the time of each "
             "acknowledgement is recorded and shown on the arrangement page of oneAPS Opportunities.")
    pdf.pairs([("Participant", person.name), ("Home manager", application.home_manager_name),
               ("Host manager", host.name)])
    return pdf.bytes()


def certificate_pdf(application: Application, certificate: Certificate) -> bytes:
    o, person = application.opportunity, application.applicant
    pdf = _Document("Certificate of completion", certificate.reference)
    pdf.ln(8)
    pdf.para(f"This certifies that {person.name}"
             f"{' of ' + person.agency.name if person.agency else ''} completed the opportunity")
    pdf.heading(o.title)
    pdf.para(f"hosted by {o.host_agency.name if o.host_agency else 'the host agency'}"
             f"{', ' + o.team if o.team else ''}, from {_day(o.start_date)} to {_day(o.end_date)}.")
    pdf.para(f"Host manager: {o.owner.name}. Completed {_day(clock.canberra_date(application.completed_at or clock.utcnow()))}.")
    pdf.para("Issued by oneAPS Opportunities, the Australian Public Service talent-mobility marketplace.")
    return pdf.bytes()


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
