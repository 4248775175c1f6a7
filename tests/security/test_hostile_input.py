"""Hostile input in every field of every form a signed-in person can reach: no 5xx, nothing rendered as markup."""
from __future__ import annotations

import re

from sqlalchemy import select

from portal.models import SavedSearch
from tests.support.forms import forms_on

SCRIPT = "<script>alert('xss')</script>"
CORPUS = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "'; DROP TABLE users; --",
    "1 OR 1=1",
    "x" * 100_000,
    "\u202egnp.exe \u200b\ufeff 👩🏽‍💻 ǅ ﷽",
    "bad\x00null",
    "2026-02-30",
    "-1",
    "=HYPERLINK(\"http://evil.example\")",
]
# Pages whose forms change who is signed in or what they may do; posting junk there proves nothing more.
SKIP_ACTIONS = re.compile(r"/sign-out|/disable|/site-admin|/agency-admin|/merge|/revoke|/remove|/retire")


def _reachable_form_pages(app) -> list[str]:
    pages = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith(("/api/", "/static", "/dev/")):
            pages.append(rule.rule)
    return sorted(pages)


def _fill(form, payload: str) -> dict:
    data = dict(form.hidden)
    for name in form.fields:
        data[name] = payload
    for name, values in form.options.items():
        real = [v for v in values if v not in ("", "0")]
        if real:
            data[name] = real[0]
    return data


def _post_hostile(web, pages: list[str]) -> int:
    """Every payload in every text field of every POST form on `pages`; how many forms were posted."""
    posted = 0
    for page in pages:
        response = web.get(page)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for form in forms_on(response.get_data(as_text=True), page):
            if form.method != "post" or SKIP_ACTIONS.search(form.action) or not form.fields:
                continue
            for payload in CORPUS:
                web.get(page)
                result = web.post(form.action, _fill(form, payload), follow_redirects=True)
                body = result.get_data(as_text=True)
                assert result.status_code < 500, f"{form.action} gave {result.status_code} for {payload[:40]!r}"
                assert SCRIPT not in body and "<img src=x onerror" not in body, f"{form.action} echoed markup"
                posted += 1
    return posted


def test_hostile_values_in_every_form_never_break_the_portal_or_render_as_markup(app, web, signed_in):
    signed_in(site_admin=True)
    posted = _post_hostile(web, _reachable_form_pages(app))
    print(f"posted {posted} hostile forms")
    assert posted >= 50


def test_hostile_values_in_the_saved_search_forms(web, signed_in, session):
    """Saving a search (its form shows only once there is a search) and renaming one (a page per search)."""
    person = signed_in()
    saved = SavedSearch(user_id=person.id, name="Data work", query="q=data")
    session.add(saved)
    session.commit()

    posted = _post_hostile(web, ["/opportunities?q=data&mode=remote", f"/saved-searches/{saved.id}/rename"])

    assert posted == 2 * len(CORPUS)
    assert all(s.user_id == person.id for s in session.scalars(select(SavedSearch)))


def test_digits_from_other_scripts_in_query_strings_are_ignored_not_a_500(web, signed_in):
    """'²' and '٣' are digits to str.isdigit() but not to int(): filters and paging must cope."""
    signed_in(site_admin=True)
    for path in ("/opportunities?skill=%C2%B2&agency=%D9%A3&page=%C2%B2", "/admin/audit?record_id=%C2%B2"):
        assert web.get(path).status_code < 500
