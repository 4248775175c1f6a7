"""One Settings object read from the environment; the defaults are the embedded mode."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PORT = 5000  # `flask serve`'s, and so the default public address's


def _instance_dir() -> Path:
    return Path(os.environ.get("INSTANCE_DIR", PROJECT_ROOT / "instance"))


def _persistent_secret(instance: Path) -> str:
    """A development secret kept in instance/ so sessions and links survive restarts."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def local_address(port: int) -> str:
    """The portal's address on this machine when it is served on `port` (the embedded default)."""
    return f"http://127.0.0.1:{port}"


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _count(value: str, name: str) -> int:
    number = int(value.strip() or "0")
    if number < 0:
        raise ValueError(f"{name} must be 0 or more, not {number}")
    return number


@dataclass(frozen=True)
class Settings:
    """Every knob the portal has. Documented one by one in the README."""

    instance_dir: Path
    database_url: str
    redis_url: str | None
    broker_url: str
    smtp_host: str | None
    smtp_port: int
    smtp_username: str | None
    smtp_password: str | None
    smtp_starttls: bool
    mail_from: str
    secret_key: str
    portal_base_url: str
    allowed_email_domains: tuple[str, ...]
    ratelimit_storage_uri: str
    login_rate_limit: str
    api_rate_limit: str
    # Fernet keys that encrypt identity providers' client secrets; the first encrypts, any decrypts (rotation).
    # Empty: one key derived from SECRET_KEY.
    identity_provider_keys: tuple[str, ...] = ()
    oidc_clock_skew_seconds: int = 60
    oidc_timeout_seconds: int = 10
    timezone: str = "Australia/Canberra"
    link_max_age_days: int = 7
    approval_reminder_days: tuple[int, ...] = (3, 6)
    approval_escalation_days: int = 7
    home_manager_lapse_days: int = 10
    expiry_grace_days: int = 14
    closing_soon_days: int = 3
    outbox_relay_seconds: int = 60
    outbox_relay_after_seconds: int = 30
    mail_retry_backoff_seconds: int = 5
    mail_retry_backoff_max_seconds: int = 600
    sweep_interval_seconds: int = 300
    celery_queue: str = "portal"
    cv_max_bytes: int = 5 * 1024 * 1024
    trusted_proxies: int = 0
    dev_mail_page: bool = False
    log_format: str = "json"
    metrics_allowed_networks: tuple[str, ...] = ("127.0.0.0/8", "::1/128")
    prometheus_multiproc_dir: str | None = None
    readiness_timeout_seconds: float = 2.0
    participation_retention_days: int = 7 * 365
    application_retention_days: int = 2 * 365
    data_export_hours: int = 24
    testing: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def embedded(self) -> bool:
        """No Redis configured: in-process broker on SQLite, mail to files."""
        return self.redis_url is None

    @property
    def shows_dev_mail(self) -> bool:
        """The development mail page shows everyone's sign-in links: only when asked for (DEV_MAIL_PAGE, which
        `flask serve` sets) on a portal that writes its mail to files, or in the test suite."""
        return self.dev_mail_page and (self.embedded or self.testing)

    @property
    def mail_dir(self) -> Path:
        return self.instance_dir / "mail"

    @property
    def upload_dir(self) -> Path:
        return self.instance_dir / "uploads"

    @property
    def secure_cookies(self) -> bool:
        return self.portal_base_url.startswith("https://")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides) -> "Settings":
        env = dict(os.environ if env is None else env)
        instance = Path(env.get("INSTANCE_DIR", _instance_dir()))
        redis_url = env.get("REDIS_URL") or None
        database_url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'portal.db'}"
        broker_url = env.get("CELERY_BROKER_URL") or redis_url or f"sqla+sqlite:///{instance / 'broker.db'}"
        settings = cls(
            instance_dir=instance,
            database_url=database_url,
            redis_url=redis_url,
            broker_url=broker_url,
            smtp_host=env.get("SMTP_HOST") or None,
            smtp_port=int(env.get("SMTP_PORT", "25")),
            smtp_username=env.get("SMTP_USERNAME") or None,
            smtp_password=env.get("SMTP_PASSWORD") or None,
            smtp_starttls=_bool(env.get("SMTP_STARTTLS", "false")),
            mail_from=env.get("MAIL_FROM", "oneAPS Opportunities <no-reply@opportunities.apps.gov.au>"),
            secret_key=env.get("SECRET_KEY") or _persistent_secret(instance),
            portal_base_url=(env.get("PORTAL_BASE_URL") or local_address(DEFAULT_PORT)).rstrip("/"),
            allowed_email_domains=tuple(
                d.strip().lower().lstrip("@.") for d in env.get("ALLOWED_EMAIL_DOMAINS", "gov.au").split(",") if d.strip()
            ),
            ratelimit_storage_uri=env.get("RATELIMIT_STORAGE_URI") or (redis_url or "memory://"),
            login_rate_limit=env.get("LOGIN_RATE_LIMIT", "20 per minute"),
            api_rate_limit=env.get("API_RATE_LIMIT", "300 per minute"),
            identity_provider_keys=tuple(k.strip() for k in env.get("IDENTITY_PROVIDER_KEYS", "").split(",") if k.strip()),
            oidc_clock_skew_seconds=int(env.get("OIDC_CLOCK_SKEW_SECONDS", "60")),
            oidc_timeout_seconds=int(env.get("OIDC_TIMEOUT_SECONDS", "10")),
            outbox_relay_seconds=int(env.get("OUTBOX_RELAY_SECONDS", "60")),
            outbox_relay_after_seconds=int(env.get("OUTBOX_RELAY_AFTER_SECONDS", "30")),
            mail_retry_backoff_seconds=int(env.get("MAIL_RETRY_BACKOFF_SECONDS", "5")),
            mail_retry_backoff_max_seconds=int(env.get("MAIL_RETRY_BACKOFF_MAX_SECONDS", "600")),
            sweep_interval_seconds=int(env.get("SWEEP_INTERVAL_SECONDS", "300")),
            celery_queue=env.get("CELERY_QUEUE", "portal"),
            trusted_proxies=_count(env.get("TRUSTED_PROXIES", "0"), "TRUSTED_PROXIES"),
            dev_mail_page=_bool(env.get("DEV_MAIL_PAGE", "false")),
            log_format=env.get("LOG_FORMAT", "json").strip().lower(),
            metrics_allowed_networks=tuple(
                n.strip() for n in env.get("METRICS_ALLOWED_NETWORKS", "127.0.0.0/8,::1/128").split(",") if n.strip()),
            prometheus_multiproc_dir=env.get("PROMETHEUS_MULTIPROC_DIR") or None,
            readiness_timeout_seconds=float(env.get("READINESS_TIMEOUT_SECONDS", "2")),
            participation_retention_days=int(env.get("PARTICIPATION_RETENTION_DAYS", str(7 * 365))),
            application_retention_days=int(env.get("APPLICATION_RETENTION_DAYS", str(2 * 365))),
        )
        names = {f.name for f in fields(cls)}
        unknown = set(overrides) - names
        if unknown:
            raise TypeError(f"unknown settings: {sorted(unknown)}")
        return replace(settings, **overrides)


def served_on(settings: Settings, port: int, env: dict[str, str] | None = None) -> Settings:
    """`flask serve --port N`: links in e-mail point at that port, unless PORTAL_BASE_URL names the address."""
    env = dict(os.environ if env is None else env)
    if env.get("PORTAL_BASE_URL"):
        return settings
    return replace(settings, portal_base_url=local_address(port))


def worker_environment(settings: Settings) -> dict[str, str]:
    """The environment of a worker started beside the web server: its links use the server's address too."""
    return dict(os.environ, PORTAL_BASE_URL=settings.portal_base_url)
