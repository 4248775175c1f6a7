"""The demo cast: APS people across agencies, with the roles a reviewer wants to try."""
from __future__ import annotations

from dataclasses import dataclass, field

# Senior executives who manage the demo managers: named as supervisors, never signed in.
EXECUTIVES = {
    "DTA": ("Caroline Ashworth", "caroline.ashworth@dta.gov.au"),
    "ATO": ("Peter Galloway", "peter.galloway@ato.gov.au"),
    "SA": ("Deborah Kim", "deborah.kim@servicesaustralia.gov.au"),
    "ABS": ("Andrew Pollard", "andrew.pollard@abs.gov.au"),
    "Home Affairs": ("Simone Barrett", "simone.barrett@homeaffairs.gov.au"),
    "DHDA": ("Nicholas Ford", "nicholas.ford@health.gov.au"),
    "DISR": ("Julia Osei", "julia.osei@industry.gov.au"),
    "BOM": ("Graham Whitfield", "graham.whitfield@bom.gov.au"),
    "NDIA": ("Tanya Morgan", "tanya.morgan@ndis.gov.au"),
    "DVA": ("Robert McLeod", "robert.mcleod@dva.gov.au"),
}


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    email: str
    agency: str  # abbreviation in portal/reference/agencies.csv
    job_title: str
    location: str
    skills: tuple[str, ...]
    supervisor: str | None = None  # key of another Person; None: the agency's executive
    bio: str = ""
    contractor: bool = False
    site_admin: bool = False
    admin_of: tuple[str, ...] = field(default_factory=tuple)
    verified: bool = True
    posts: bool = False  # hosts opportunities in the demo


PEOPLE: tuple[Person, ...] = (
    Person("helen", "Helen Nguyen", "helen.nguyen@dta.gov.au", "DTA", "Director, oneAPS Programme",
           "Canberra ACT", ("Digital leadership", "Stakeholder engagement", "Workforce planning"),
           site_admin=True, bio="I run the oneAPS programme team and look after the portal."),
    Person("marcus", "Marcus Webb", "marcus.webb@dta.gov.au", "DTA", "EL2 Director, Digital Profession",
           "Canberra ACT", ("Digital strategy", "Team leadership", "Coaching and mentoring"), posts=True,
           bio="I lead the APS Digital Profession team and love lending people to good projects."),
    Person("aisha", "Aisha Karim", "aisha.karim@dta.gov.au", "DTA", "APS6 User Researcher", "Sydney NSW",
           ("User research", "Usability testing", "Co-design facilitation", "Accessibility"), supervisor="marcus",
           bio="Researcher with five years in government services, keen to work on data-heavy products."),
    Person("tom", "Tom O'Sullivan", "tom.osullivan@dta.gov.au", "DTA", "EL1 Delivery Manager", "Canberra ACT",
           ("Agile delivery management", "Scrum practice", "Risk and issue management"), supervisor="marcus",
           posts=True),
    Person("grace", "Grace Liu", "grace.liu@ato.gov.au", "ATO", "EL2 Director, Client Experience Design",
           "Melbourne VIC", ("Service design", "Design systems", "Team leadership"), posts=True),
    Person("daniel", "Daniel Okafor", "daniel.okafor@ato.gov.au", "ATO", "APS6 Data Analyst", "Brisbane QLD",
           ("Data analysis", "Data visualisation", "Statistical analysis", "Business intelligence"),
           supervisor="grace"),
    Person("sophie", "Sophie Mitchell", "sophie.mitchell@ato.gov.au", "ATO", "APS5 Content Designer",
           "Adelaide SA", ("Content design", "Plain language writing", "Editing and proofreading"),
           supervisor="grace"),
    Person("rajesh", "Rajesh Patel", "rajesh.patel@ato.gov.au", "ATO", "EL1 Solution Architect", "Canberra ACT",
           ("Solution architecture", "Cloud architecture", "API design and development"), supervisor="grace",
           posts=True),
    Person("kate", "Kate Brennan", "kate.brennan@ato.gov.au", "ATO", "APS6 Mobility Coordinator",
           "Canberra ACT", ("Workforce planning", "Stakeholder engagement"), supervisor="grace",
           admin_of=("ATO",)),
    Person("michael", "Michael Tran", "michael.tran@servicesaustralia.gov.au", "SA",
           "EL2 Director, myGov Design", "Canberra ACT", ("Service design", "Product management", "Digital strategy"),
           posts=True),
    Person("jessica", "Jessica Walker", "jessica.walker@servicesaustralia.gov.au", "SA", "APS6 Service Designer",
           "Hobart TAS", ("Service design", "User research", "Process mapping"), supervisor="michael"),
    Person("liam", "Liam Fraser", "liam.fraser@servicesaustralia.gov.au", "SA", "APS5 Software Engineer",
           "Brisbane QLD", ("Software engineering", "Front-end development", "Test automation"),
           supervisor="michael"),
    Person("ngaire", "Ngaire Thompson", "ngaire.thompson@servicesaustralia.gov.au", "SA", "EL1 Accessibility Lead",
           "Geelong VIC", ("Accessibility", "Accessibility testing", "Design systems"), supervisor="michael",
           posts=True),
    Person("olivia", "Olivia Chen", "olivia.chen@servicesaustralia.gov.au", "SA", "EL1 Workforce Mobility Lead",
           "Canberra ACT", ("Workforce planning", "Change management"), supervisor="michael", admin_of=("SA",)),
    Person("ben", "Ben Cartwright", "ben.cartwright@abs.gov.au", "ABS", "EL2 Director, Data Platforms",
           "Canberra ACT", ("Data engineering", "Data architecture", "Cloud engineering"), posts=True),
    Person("hannah", "Hannah Sato", "hannah.sato@abs.gov.au", "ABS", "APS6 Statistician", "Melbourne VIC",
           ("Statistical analysis", "Data science", "Machine learning"), supervisor="ben"),
    Person("isaac", "Isaac Roberts", "isaac.roberts@abs.gov.au", "ABS", "APS4 Graduate Data Engineer",
           "Canberra ACT", ("Data engineering", "Scripting and automation"), supervisor="ben"),
    Person("fatima", "Fatima Hassan", "fatima.hassan@homeaffairs.gov.au", "Home Affairs",
           "EL1 Cyber Security Lead", "Canberra ACT",
           ("Cyber security operations", "Incident response", "Essential Eight implementation"), posts=True),
    Person("jack", "Jack Morrison", "jack.morrison@homeaffairs.gov.au", "Home Affairs", "APS6 Security Analyst",
           "Perth WA", ("Vulnerability management", "Threat intelligence", "Penetration testing"),
           supervisor="fatima"),
    Person("emma", "Emma Davies", "emma.davies@health.gov.au", "DHDA",
           "EL2 Assistant Secretary, Digital Health Policy", "Canberra ACT",
           ("Digital policy development", "Privacy impact assessment", "Ministerial briefing"), posts=True),
    Person("samuel", "Samuel Nguyen", "samuel.nguyen@health.gov.au", "DHDA", "APS6 Business Analyst",
           "Sydney NSW", ("Business analysis", "Requirements engineering", "Process mapping"), supervisor="emma"),
    Person("chloe", "Chloe Anderson", "chloe.anderson@industry.gov.au", "DISR", "EL1 Product Manager",
           "Canberra ACT", ("Product management", "Roadmap planning", "Backlog management"), posts=True),
    Person("ahmed", "Ahmed Yusuf", "ahmed.yusuf@industry.gov.au", "DISR", "APS5 Front-end Developer",
           "Darwin NT", ("Front-end development", "Accessibility", "Prototyping"), supervisor="chloe"),
    Person("rebecca", "Rebecca Hall", "rebecca.hall@bom.gov.au", "BOM", "EL1 Cloud Platform Lead",
           "Melbourne VIC", ("Cloud engineering", "Site reliability engineering", "DevOps"), posts=True),
    Person("lachlan", "Lachlan Kelly", "lachlan.kelly@ndis.gov.au", "NDIA", "APS6 Content Designer",
           "Geelong VIC", ("Content design", "Content strategy", "Digital inclusion"), posts=True),
    Person("meilin", "Mei Lin Wong", "meilin.wong@dva.gov.au", "DVA", "APS5 Business Analyst", "Brisbane QLD",
           ("Business analysis", "User acceptance testing", "Stakeholder analysis")),
    Person("josh", "Josh Barker", "josh.barker@dta.gov.au", "DTA", "Contractor, Delivery Lead", "Canberra ACT",
           ("Agile delivery management", "Project management"), supervisor="marcus", contractor=True),
    Person("priscilla", "Priscilla Adeyemi", "priscilla.adeyemi@ato.gov.au", "ATO", "Contractor, Data Engineer",
           "Sydney NSW", ("Data engineering", "Cloud engineering"), supervisor="grace", contractor=True),
    Person("zoe", "Zoe Campbell", "zoe.campbell@dva.gov.au", "DVA", "APS4 Service Officer", "Townsville QLD",
           ("Service desk support", "Digital inclusion"), verified=False),
    Person("ryan", "Ryan Pearce", "ryan.pearce@abs.gov.au", "ABS", "APS5 Data Analyst", "Canberra ACT",
           ("Data analysis", "Geospatial analysis"), supervisor="ben", verified=False),
)

# What `flask seed-demo` prints: (who to try the portal as, e-mail).
LOGINS: tuple[tuple[str, str], ...] = (
    ("Site administrator", "helen"),
    ("Agency admin (ATO)", "kate"),
    ("Agency admin (Services Australia)", "olivia"),
    ("Opportunity owner, home manager", "marcus"),
    ("Opportunity owner (ATO)", "grace"),
    ("Employee and applicant", "aisha"),
    ("Employee and applicant (ATO)", "daniel"),
    ("Contractor", "josh"),
    ("Not yet verified", "zoe"),
)

# Demo logins placed in the showcase opportunity so their trackers (and their managers' approvals) have
# something waiting: Aisha waits on her home manager Marcus; Daniel has just been selected.
FEATURED = {"aisha": "manager_approval", "daniel": "selected"}

# Demo logins given one participation each, with its paperwork: Daniel's is confirmed, its arrangement acknowledged
# by him and the host but still owed by his home manager Grace; Aisha's is completed, with her certificate and
# feedback from both sides.
PARTICIPATIONS = {"daniel": "confirmed", "aisha": "completed"}
