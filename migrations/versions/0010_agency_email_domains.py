"""Agencies own their e-mail domains (several each, some shared); a person's agency comes from their address

Each agency's single `email_domain` becomes a row of `email_domains` owned by that agency, and the domains
site admins had allowed become extra domains owned by no agency, except `gov.au`, the old default that let
any government address in. People's agencies are left exactly as they are: the ones that disagree with
their address are listed for site admins to fix (portal.accounts.domains).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0016'
branch_labels = None
depends_on = None

NEVER_AN_EXTRA_DOMAIN = {'au', 'gov.au'}


def upgrade() -> None:
    op.create_table('email_domains',
    sa.Column('domain', sa.String(length=120), nullable=False),
    sa.Column('contractors_only', sa.Boolean(), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('domain', name=op.f('pk_email_domains'))
    )
    op.create_table('email_domain_agencies',
    sa.Column('domain', sa.String(length=120), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_email_domain_agencies_agency_id_agencies')),
    sa.ForeignKeyConstraint(['domain'], ['email_domains.domain'], name=op.f('fk_email_domain_agencies_domain_email_domains'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('domain', 'agency_id', name=op.f('pk_email_domain_agencies'))
    )
    _copy_domains_in()
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_column('email_domain')


def _copy_domains_in() -> None:
    connection = op.get_bind()
    domains = sa.table('email_domains', sa.column('domain', sa.String), sa.column('contractors_only', sa.Boolean),
                       sa.column('created_at', sa.DateTime(timezone=True)))
    owners = sa.table('email_domain_agencies', sa.column('domain', sa.String), sa.column('agency_id', sa.Integer))
    now = sa.func.current_timestamp()
    owned: dict[str, list[int]] = {}
    for agency_id, domain in connection.execute(sa.text(
            "SELECT id, lower(trim(email_domain)) FROM agencies WHERE email_domain IS NOT NULL AND active "
            "ORDER BY id")):
        if domain:
            owned.setdefault(domain, []).append(agency_id)
    extras = {d for (d,) in connection.execute(sa.text("SELECT lower(domain) FROM allowed_domains"))}
    extras -= set(owned) | NEVER_AN_EXTRA_DOMAIN
    for domain in sorted(set(owned) | extras):
        connection.execute(domains.insert().values(domain=domain, contractors_only=False, created_at=now))
    for domain, agency_ids in owned.items():
        for agency_id in agency_ids:
            connection.execute(owners.insert().values(domain=domain, agency_id=agency_id))


def downgrade() -> None:
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_domain', sa.String(length=120), nullable=True))
    op.execute("UPDATE agencies SET email_domain = (SELECT min(o.domain) FROM email_domain_agencies o "
               "WHERE o.agency_id = agencies.id)")
    op.drop_table('email_domain_agencies')
    op.drop_table('email_domains')
