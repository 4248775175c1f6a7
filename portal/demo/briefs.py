"""Sixty demo opportunities: the kind of short-term digital work APS teams post (the rest in more_briefs.py)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Brief:
    owner: str  # key of a demo Person; the host agency is theirs
    kind: str
    title: str
    skills: tuple[str, ...]
    summary: str
    tasks: tuple[str, ...]
    team: str
    creator: str | None = None  # a contractor posting on the owner's behalf


def brief(owner: str, kind: str, title: str, skills: str, summary: str, tasks: str, team: str,
          creator: str | None = None) -> Brief:
    return Brief(owner, kind, title, tuple(s.strip() for s in skills.split(";")), summary,
                 tuple(t.strip() for t in tasks.split(";")), team, creator)


FIRST_BRIEFS: tuple[Brief, ...] = (
    brief("marcus", "project", "Map the APS digital skills pipeline",
          "Workforce planning; Data analysis; Data visualisation",
          "Help us understand where the APS will find its next cloud engineers, designers and data people.",
          "Combine census and recruitment data into one view; interview five agency workforce leads; "
          "present the gaps to the Digital Profession steering group", "Digital Profession"),
    brief("marcus", "mentoring", "Mentor a cohort of digital graduates",
          "Coaching and mentoring; Team leadership",
          "Meet a small group of first-year digital graduates every fortnight and help them find their feet.",
          "Run six fortnightly small-group conversations; share how you grew your own career; "
          "point graduates to communities of practice", "Digital Profession"),
    brief("tom", "working_group", "Join the APS agile community of practice working group",
          "Agile delivery management; Agile coaching; Kanban and flow",
          "Shape the guidance APS teams use when they start working in an agile way.",
          "Review the draft agile playbook chapters; run one lunchtime session for new delivery managers; "
          "collect stories from teams using Kanban", "Digital Delivery Practice"),
    brief("tom", "project", "Delivery manager for the Digital Service Standard refresh",
          "Agile delivery management; Backlog management; Stakeholder engagement",
          "Keep a small multidisciplinary team moving as it rewrites the Digital Service Standard criteria.",
          "Facilitate sprint planning and retrospectives; keep the backlog and risks visible; "
          "report progress to the standard's owners", "Digital Delivery Practice"),
    brief("marcus", "project", "Build a skills self-assessment for the Digital Profession",
          "Product management; User research; Prototyping",
          "Prototype a quick self-assessment that helps APS staff see which digital skills they have.",
          "Test early prototypes with APS staff; turn the Digital Profession framework into questions; "
          "write up what should be built next", "Digital Profession", creator="josh"),
    brief("tom", "testing", "Test the new AI transparency statement template",
          "AI policy and ethics; Plain language writing; Usability testing",
          "Try our draft template for publishing how your agency uses AI, and tell us where it confuses.",
          "Fill in the template for a real or invented AI use; join a one-hour feedback session; "
          "suggest clearer wording", "AI in Government", creator="josh"),
    brief("grace", "project", "Redesign the myTax deductions journey",
          "Service design; Interaction design; User research",
          "Work with our design team to make claiming work-related deductions clearer for first-time lodgers.",
          "Map the current journey with call centre data; sketch and test alternative flows; "
          "work with developers on the chosen design", "Client Experience Design"),
    brief("grace", "testing", "Usability test the small business registration wizard",
          "Usability testing; Accessibility testing",
          "Spend a few hours trying our new registration wizard as if you were starting a small business.",
          "Complete three tasks while thinking aloud; note anything unclear; join a short debrief",
          "Client Experience Design"),
    brief("rajesh", "project", "Design the API for third-party tax agents",
          "API design and development; Solution architecture; Security architecture",
          "Help define the next version of the API that tax agent software uses to lodge on behalf of clients.",
          "Review current API usage patterns; draft the OpenAPI description with our architects; "
          "run a design review with two software vendors", "Digital Partnership Office"),
    brief("rajesh", "working_group", "Cloud cost working group",
          "Cloud architecture; Cloud engineering; Project financial management",
          "A monthly working group sharing how agencies keep their public cloud bills under control.",
          "Bring one cost-saving practice from your agency; help write a short guide; "
          "review tagging conventions", "Enterprise Architecture"),
    brief("grace", "project", "Plain-language rewrite of superannuation letters",
          "Content design; Plain language writing; Editing and proofreading",
          "Rewrite the ten most-sent superannuation letters so people understand them the first time.",
          "Pair with a content designer on each letter; test the rewrites with members of the public; "
          "work through legal clearance", "Client Experience Design"),
    brief("grace", "project", "Data pipeline for lodgment insights",
          "Data engineering; Data governance; Cloud engineering",
          "Build a reliable pipeline that brings daily lodgment figures into our analytics platform.",
          "Write and test transformation jobs; document data lineage; hand over to the operations team",
          "Smarter Data", creator="priscilla"),
    brief("michael", "project", "Improve the myGov inbox for people using screen readers",
          "Accessibility; Front-end development; Accessibility testing",
          "Fix the barriers screen reader users meet when reading and filing letters in the myGov inbox.",
          "Audit the inbox against WCAG 2.1 AA; pair with developers on fixes; "
          "test with assistive technology users", "myGov"),
    brief("michael", "shadowing", "Shadow a service design team for two weeks",
          "Service design; Co-design facilitation",
          "See how a large service design team works, from discovery interviews to alpha prototypes.",
          "Sit in on research and design critiques; help synthesise interview notes; "
          "share what you learnt with your home team", "myGov"),
    brief("ngaire", "working_group", "Accessibility champions network", "Accessibility; Accessibility testing",
          "Join a cross-agency network that helps teams build accessibility in from the start.",
          "Attend a monthly call; review one service each quarter; share testing techniques",
          "Digital Accessibility"),
    brief("ngaire", "testing", "Test the Australian Government Design System components",
          "Design systems; Accessibility testing; Front-end development",
          "Put new form components through their paces with a keyboard, screen reader and zoom.",
          "Work through a test script for eight components; log issues with clear steps; "
          "join the fortnightly triage", "Digital Accessibility"),
    brief("michael", "project", "Discovery: help for people leaving prison",
          "User research; Service design; Policy analysis",
          "A six-week discovery into how people leaving custody find Centrelink and Medicare support.",
          "Plan and run interviews with support workers; map the services involved; "
          "present opportunities to the service owners", "Life Events Design"),
    brief("ngaire", "project", "Front-end developer for the payments calculator",
          "Front-end development; Accessibility; Test automation",
          "Help rebuild the payment and service finder so it works well on phones and with assistive technology.",
          "Build accessible form components; write automated tests; pair with our designer on edge cases",
          "Digital Accessibility"),
    brief("ben", "project", "Migrate census tables to the new data platform",
          "Data engineering; Data management; Scripting and automation",
          "Move historic census tables into our cloud data platform without losing a single row.",
          "Write migration and reconciliation scripts; check results against published tables; "
          "document the new table layouts", "Data Platforms"),
    brief("ben", "project", "Explore machine learning for coding occupations",
          "Machine learning; Data science; Statistical analysis",
          "Test whether a classifier can suggest occupation codes for free-text survey answers.",
          "Prepare a training set from coded responses; compare two model approaches; "
          "write up accuracy and risks for the methods board", "Data Science Hub"),
    brief("ben", "mentoring", "Be a data engineering buddy for a graduate", "Data engineering; Coaching and mentoring",
          "Pair with a graduate data engineer for an hour a week while they learn our platform.",
          "Meet weekly to review their work; share good habits for testing pipelines; "
          "help them plan their first project", "Data Platforms"),
    brief("ben", "testing", "Test the new data explorer for regional statistics",
          "Data visualisation; Usability testing; Geospatial analysis",
          "Try our beta data explorer and tell us whether the maps and charts answer your questions.",
          "Complete five tasks with the explorer; rate how easy each was; join a 30-minute interview",
          "Dissemination"),
    brief("fatima", "project", "Essential Eight uplift sprint",
          "Essential Eight implementation; Vulnerability management; Security governance and risk",
          "Help a small team lift application control and patching to Essential Eight maturity level two.",
          "Assess current controls; plan and track remediation; write evidence for the assessor",
          "Cyber Security Operations"),
    brief("fatima", "project", "Incident response tabletop exercise designer",
          "Incident response; Threat intelligence; Co-design facilitation",
          "Design a realistic ransomware tabletop exercise for our executive and technical teams.",
          "Write the scenario and injects; facilitate the exercise; write the lessons-learnt report",
          "Cyber Security Operations"),
    brief("fatima", "shadowing", "Shadow the security operations centre",
          "Cyber security operations; Threat intelligence",
          "Spend a week with our SOC analysts to see how alerts are triaged and escalated.",
          "Observe triage shifts; help tune two detection rules; present a short summary to your team",
          "Cyber Security Operations"),
    brief("fatima", "project", "Penetration test of the visa status checker", "Penetration testing; Security testing",
          "Join an internal red team testing the visa status checker before its public release.",
          "Plan tests with the product team; test authentication and session handling; "
          "write findings with clear fixes", "Offensive Security"),
    brief("emma", "project", "Privacy impact assessment for the digital health record update",
          "Privacy impact assessment; Data sharing frameworks; Digital policy development",
          "Help complete a privacy impact assessment for changes to how health records are shared.",
          "Map the personal information flows; consult with the privacy team; "
          "draft the assessment and recommendations", "Digital Health Policy"),
    brief("emma", "working_group", "AI in health policy working group",
          "AI policy and ethics; Digital policy development",
          "Contribute to a cross-agency group drafting principles for AI use in health services.",
          "Review international approaches; draft one principle with worked examples; "
          "take part in four fortnightly meetings", "Digital Health Policy"),
    brief("emma", "project", "Business analyst for aged care reporting",
          "Business analysis; Requirements engineering; Process mapping",
          "Define the requirements for a simpler way for aged care providers to report quality indicators.",
          "Run workshops with providers; write user stories and acceptance criteria; "
          "map the current reporting process", "Aged Care Digital"),
    brief("emma", "project", "Write the ministerial brief on digital mental health",
          "Ministerial briefing; Policy analysis; Plain language writing",
          "Pull together evidence on digital mental health services into a clear brief for the Minister.",
          "Gather evidence from research and programme data; draft the brief; work through clearance",
          "Digital Health Policy"),
    brief("chloe", "project", "Product owner for the business grants finder",
          "Product ownership; Backlog management; User research",
          "Act as product owner for a small team improving how businesses find grants they are eligible for.",
          "Own the backlog and priorities; attend research sessions; accept completed work",
          "Business Grants Hub"),
    brief("chloe", "project", "Roadmap the national science data catalogue",
          "Roadmap planning; Product management; Data governance",
          "Help turn research and stakeholder needs into a 12-month roadmap for a national science data catalogue.",
          "Interview research agencies; prioritise needs; present the roadmap to the steering committee",
          "Science Data"),
    brief("chloe", "testing", "Give feedback on the grant application form",
          "Usability testing; Content design",
          "Two hours testing a redesigned grant application form and telling us what trips you up.",
          "Complete the form with sample data; note confusing questions; join a short interview",
          "Business Grants Hub"),
    brief("chloe", "project", "Low-code prototype for licence renewals",
          "Low-code development; Prototyping; Business process improvement",
          "Build a low-code prototype that lets businesses renew a licence in minutes instead of weeks.",
          "Map the current renewal process; build and test the prototype; recommend next steps",
          "Regulatory Digital"),
    brief("rebecca", "project", "Site reliability engineer for the forecast platform",
          "Site reliability engineering; Cloud engineering; DevOps",
          "Help keep forecasts flowing during severe weather season by improving our platform's resilience.",
          "Define service level objectives; automate recovery runbooks; join a game-day exercise",
          "Forecast Platform"),
    brief("rebecca", "project", "Automate infrastructure for the observations network",
          "Platform engineering; Scripting and automation; Network engineering",
          "Turn manual server builds for our observation stations into repeatable infrastructure code.",
          "Write infrastructure as code modules; test them against a staging network; document the pipeline",
          "Observations Engineering"),
    brief("rebecca", "working_group", "Cloud platform guild", "Cloud architecture; Platform engineering",
          "Share patterns with other agencies running container platforms in the cloud.",
          "Present one pattern from your agency; review reference designs; help write a shared checklist",
          "Forecast Platform"),
    brief("lachlan", "project", "Easy Read versions of NDIS plan letters",
          "Content design; Digital inclusion; Plain language writing",
          "Create Easy Read versions of the letters participants receive about their NDIS plans.",
          "Work with an Easy Read specialist; test drafts with participants; prepare the templates for release",
          "Participant Communications"),
    brief("lachlan", "project", "Content audit of ndis.gov.au",
          "Content strategy; Web content management; Information architecture",
          "Audit the 1,200 pages of the NDIS website and recommend what to merge, rewrite or retire.",
          "Run an automated inventory; review pages against user needs; present recommendations",
          "Participant Communications"),
    brief("lachlan", "testing", "Review a new participant portal with us", "Usability testing; Accessibility testing",
          "Spend an hour reviewing the new participant portal with a fresh pair of eyes.",
          "Complete three tasks; tell us what was unclear; suggest improvements", "Participant Communications"),
)
