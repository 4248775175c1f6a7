"""Forms for the identity provider pages."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, ValidationError
from wtforms.validators import DataRequired, Length, Optional

from portal.admin.forms import valid_domain
from portal.forms import no_control_characters, strip

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def secure_issuer(form, field) -> None:
    """HTTPS, as OpenID Connect requires; plain HTTP only on this machine (development and tests)."""
    parts = urlsplit(field.data or "")
    if parts.scheme == "https" and parts.hostname or parts.scheme == "http" and parts.hostname in LOOPBACK:
        if parts.query or parts.fragment:
            raise ValidationError("The issuer URL has no ? or # part")
        return
    raise ValidationError("Enter the issuer's https:// address, like https://login.microsoftonline.com/<tenant id>/v2.0")


class ProviderForm(FlaskForm):
    name = StringField("Name on the button", filters=[strip],
                       description="People see \u201cSign in with\u201d and this, for example Australian Taxation Office.",
                       validators=[DataRequired("Enter the name people will see"), Length(max=120), no_control_characters])
    issuer = StringField("Issuer URL", filters=[strip],
                         description="Exactly as the provider names itself; we read /.well-known/openid-configuration from it.",
                         validators=[DataRequired("Enter the issuer URL"), Length(max=300), secure_issuer])
    client_id = StringField("Client ID", filters=[strip],
                            validators=[DataRequired("Enter the client ID"), Length(max=300), no_control_characters])
    client_secret = PasswordField("New client secret", validators=[Optional(), Length(max=500)],
                                  description="Leave empty to keep the one saved. Kept encrypted and never shown again.")
    authoritative = BooleanField("This provider vouches for every address in its domains",
                                 description="Tick for Entra ID, which does not send email_verified.")
    enabled = BooleanField("Offer this provider on the sign-in page", default=True)


class NewProviderForm(ProviderForm):
    client_secret = PasswordField("Client secret", description="Kept encrypted and never shown again.",
                                  validators=[DataRequired("Enter the client secret"), Length(max=500)])


class ProviderDomainForm(FlaskForm):
    domain = StringField("E-mail domain", filters=[strip], validators=[DataRequired("Enter a domain"), valid_domain],
                         description="Exactly this domain: list subdomains on their own.")
    agency_id = SelectField("Agency", coerce=int, validators=[DataRequired("Choose the agency")])


class RequireProviderForm(FlaskForm):
    domain = StringField(validators=[DataRequired()])
    required = BooleanField()
