"""Operator commands: `flask --app wsgi <command>`."""
from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from portal.config import DEFAULT_PORT, served_on
from portal.extensions import db


def serving_app(port: int) -> Flask:
    """The app `flask serve --port N` runs: the current one, or one built again with the development mail page on
    and, unless PORTAL_BASE_URL is set, e-mailed links pointing at that port."""
    from dataclasses import replace

    from portal import create_app

    settings = current_app.config["SETTINGS"]
    wanted = replace(served_on(settings, port), dev_mail_page=True)
    return current_app._get_current_object() if wanted == settings else create_app(wanted)


def init_app(app: Flask) -> None:
    @app.cli.group("db")
    def db_group():
        """Database schema."""

    @db_group.command("upgrade")
    def db_upgrade():
        """Apply every migration (the only way the schema is made)."""
        from portal.migrate import upgrade

        upgrade(current_app.config["SETTINGS"].database_url)
        with db.transaction() as session:
            from portal.reference import load_reference_data

            agencies, skills = load_reference_data(session)
        click.echo(f"Schema up to date; reference data added: {agencies} agencies, {skills} skills.")

    @app.cli.command("seed-demo")
    @click.option("--force", is_flag=True, help="Seed even when there are people already.")
    def seed_demo(force: bool):
        """Load demo people, opportunities and applications when the database is empty."""
        from portal.demo import DEMO_PASSWORD, finish, loaded_logins, seed

        from portal.models import User

        with db.transaction() as session:
            seeding = not session.scalar(select(func.count(User.id))) or force
            if not seeding:
                logins, heading = loaded_logins(session), "Demo data already loaded."
                if not logins:
                    click.echo("The database already has people in it: demo data not loaded.")
                    return
            else:
                logins, heading = seed(session), "Demo data loaded."
        if seeding:
            finish(db)  # the paperwork its jobs render, once the seed is committed
        click.echo(f"{heading} Sign in with any of these (password: {DEMO_PASSWORD}):")
        for role, email in logins:
            click.echo(f"  {role:<36} {email}")

    @app.cli.command("create-admin")
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    @click.password_option()
    def create_admin(email: str, name: str, password: str):
        """Create (or promote) a verified site administrator."""
        from portal.accounts.domains import agencies_for_email
        from portal.accounts.passwords import hash_password
        from portal.accounts.services import find_user, normalise_email
        from portal.models import User
        from workflows import clock

        with db.transaction() as session:
            user = find_user(session, email) or User(email=normalise_email(email), name=name, password_hash="")
            if user.id is None and len(agencies := agencies_for_email(session, email)) == 1:
                user.agency = agencies[0]  # from the address, as at registration
            user.password_hash, user.is_site_admin = hash_password(password), True
            user.verified_at = user.verified_at or clock.utcnow()
            session.add(user)
        click.echo(f"{email} is a site administrator.")

    @app.cli.group("reminders")
    def reminders_group():
        """Periodic sweeps (reminders, escalations, expiry)."""

    @reminders_group.command("run")
    @click.argument("names", nargs=-1)
    @click.option("--dry-run", is_flag=True, help="List what would be sent and change nothing.")
    def reminders_run(names: tuple[str, ...], dry_run: bool):
        """Run the named sweeps (all when none is named)."""
        from portal.ops.background import run_sweep
        from portal.sweeps import load_all

        sweeps = load_all()
        for name in names or sorted(sweeps):
            if name not in sweeps:
                raise click.BadParameter(f"no sweep called {name}; known: {', '.join(sorted(sweeps))}")
            if dry_run:
                session = db.new_session()
                try:
                    lines = sweeps[name](session, True)
                finally:
                    session.rollback()
                    session.close()
            elif (lines := run_sweep(db, name)) is None:
                click.echo(f"{name}: already running elsewhere; left to that run")
                continue
            click.echo(f"{name}: {len(lines)} {'would be sent' if dry_run else 'sent'}")
            for line in lines:
                click.echo(f"  {line}")

    @app.cli.command("serve")
    @click.option("--port", default=DEFAULT_PORT, show_default=True)
    def serve(port: int):
        """Embedded mode: the web server plus a real Celery worker with embedded beat, and the development
        mail page (DEV_MAIL_PAGE) for whoever sits at this machine. Links in e-mail use this port unless
        PORTAL_BASE_URL is set."""
        from portal.embedded import serve as serve_embedded

        sys.exit(serve_embedded(serving_app(port), "127.0.0.1", port))
