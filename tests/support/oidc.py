"""The real OpenID provider the sign-in tests talk to: tests/oidc/provider.mjs (npm's oidc-provider) in a
Node process on loopback, and a person's visit to its pages, followed with `requests` as a browser would."""
from __future__ import annotations

import json
import os
import re
import select
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import requests

from portal.models import IdentityProvider, ProviderDomain
from portal.sso.secrets import seal
from tests.support import factories

HERE = Path(__file__).resolve().parents[1] / "oidc"
CLIENT_ID, CLIENT_SECRET = "oneaps-portal", "a test client secret"
# People with accounts at the provider (login name -> claims): two agencies' domains, an address nobody
# vouches for, and one outside the domains the portal lets this provider serve.
ACCOUNTS = {
    "alice": {"email": "alice.ng@ato.gov.au", "email_verified": True, "name": "Alice Ng"},
    "devi": {"email": "devi.rao@dta.gov.au", "email_verified": True, "given_name": "Devi", "family_name": "Rao"},
    "uma": {"email": "uma.park@ato.gov.au", "email_verified": False, "name": "Uma Park"},
    "olly": {"email": "olly.tran@finance.gov.au", "email_verified": True, "name": "Olly Tran"},
}
DOMAINS = {"ato.gov.au": "ATO", "dta.gov.au": "DTA"}
FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*method="post"', re.I)


class TestProvider:
    """One provider process; `restart(key_id=…)` brings it back on the same port with a new signing key."""

    __test__ = False

    def __init__(self, port: int, portal_base_url: str, log: Path) -> None:
        self.port, self.portal_base_url, self.log = port, portal_base_url, log
        self.process: subprocess.Popen | None = None
        self.issuer = f"http://127.0.0.1:{port}"

    def start(self, key_id: str = "test-key-1") -> "TestProvider":
        if not (HERE / "node_modules" / "oidc-provider").exists():
            raise RuntimeError(f"oidc-provider is not installed: run `npm ci --prefix {HERE}` (make does it)")
        env = dict(os.environ, PORT=str(self.port), PORTAL_BASE_URL=self.portal_base_url, CLIENT_ID=CLIENT_ID,
                   CLIENT_SECRET=CLIENT_SECRET, ACCOUNTS=json.dumps(ACCOUNTS), KEY_ID=key_id)
        self.process = subprocess.Popen(["node", str(HERE / "provider.mjs")], env=env, stdout=subprocess.PIPE,
                                        stderr=self.log.open("ab"), text=True)
        ready, _, _ = select.select([self.process.stdout], [], [], 30)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            self.stop()
            raise RuntimeError(f"the test OpenID provider did not start: see {self.log}")
        assert json.loads(line)["issuer"] == self.issuer
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def restart(self, key_id: str) -> None:
        self.stop()
        self.start(key_id)

    def misbehave(self, mode: str) -> None:
        """"rogue-key", "wrong-issuer", or "normal" again."""
        requests.post(f"{self.issuer}/__test/mode/{mode}", timeout=5).raise_for_status()


def add_provider(session, settings, issuer: str, *, name: str = "APS Identity", required: tuple[str, ...] = (),
                 authoritative: bool = False) -> IdentityProvider:
    """The provider as a site admin would register it, serving ato.gov.au (ATO) and dta.gov.au (DTA)."""
    provider = IdentityProvider(name=name, issuer=issuer, client_id=CLIENT_ID,
                                client_secret_sealed=seal(settings, CLIENT_SECRET), authoritative=authoritative)
    session.add(provider)
    session.flush()
    for domain, abbreviation in DOMAINS.items():
        session.add(ProviderDomain(domain=domain, provider_id=provider.id, agency_id=factories.agency(session, abbreviation).id,
                                   sso_required=domain in required))
    session.commit()
    return provider


def log_in(authorize_url: str, login: str, *, cancel: bool = False, browser: requests.Session | None = None) -> str:
    """Go through the provider's pages from the address the portal sent us to, and return the address the
    provider sends us back to (the portal's callback, with a code or an error)."""
    browser = browser or requests.Session()
    url, response = authorize_url, None
    for _ in range(10):
        response = browser.get(url, allow_redirects=False, timeout=10)
        while response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            if "/sign-in/callback" in url:
                return url
            response = browser.get(url, allow_redirects=False, timeout=10)
        if cancel:
            url = urljoin(url, re.search(r'href="([^"]*/abort)"', response.text).group(1))
            continue
        action = urljoin(url, FORM.search(response.text).group(1))
        response = browser.post(action, data={"prompt": "login", "login": login, "password": "any password"},
                                allow_redirects=False, timeout=10)
        url = urljoin(action, response.headers["Location"])
        if "/sign-in/callback" in url:
            return url
    raise AssertionError(f"the provider never sent us back: {response.status_code if response else ''} {url}")
