"""Static files: fingerprinted addresses kept by browsers for a year; a changed file gets a new address."""
from __future__ import annotations

import re


def test_pages_link_the_stylesheet_by_a_fingerprinted_address_kept_for_a_year(client):
    page = client.get("/sign-in").get_data(as_text=True)
    address = re.search(r'href="(/static/css/portal\.css\?v=[0-9a-f]{12})"', page).group(1)

    response = client.get(address)

    assert response.status_code == 200
    assert response.cache_control.max_age == 365 * 24 * 3600 and response.cache_control.public
    assert response.cache_control.immutable


def test_an_old_or_missing_fingerprint_is_not_kept_for_a_year(client):
    for address in ("/static/css/portal.css?v=000000000000", "/static/css/portal.css"):
        response = client.get(address)
        assert response.status_code == 200 and response.cache_control.max_age != 365 * 24 * 3600
