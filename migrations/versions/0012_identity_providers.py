"""Agency sign-in with OpenID Connect: identity providers, their e-mail domains, linked accounts;
accounts made through a provider have no password

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('identity_providers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('issuer', sa.String(length=300), nullable=False),
    sa.Column('client_id', sa.String(length=300), nullable=False),
    sa.Column('client_secret_sealed', sa.Text(), nullable=False),
    sa.Column('authoritative', sa.Boolean(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_providers')),
    sa.UniqueConstraint('issuer', name=op.f('uq_identity_providers_issuer')),
    sa.UniqueConstraint('name', name=op.f('uq_identity_providers_name'))
    )
    op.create_table('identity_provider_domains',
    sa.Column('domain', sa.String(length=120), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('sso_required', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_identity_provider_domains_agency_id_agencies')),
    sa.ForeignKeyConstraint(['provider_id'], ['identity_providers.id'],
                            name=op.f('fk_identity_provider_domains_provider_id_identity_providers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('domain', name=op.f('pk_identity_provider_domains'))
    )
    op.create_index(op.f('ix_identity_provider_domains_provider_id'), 'identity_provider_domains', ['provider_id'],
                    unique=False)
    op.create_table('linked_identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['provider_id'], ['identity_providers.id'],
                            name=op.f('fk_linked_identities_provider_id_identity_providers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_linked_identities_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_linked_identities')),
    sa.UniqueConstraint('provider_id', 'subject', name=op.f('uq_linked_identities_provider_id'))
    )
    op.create_index(op.f('ix_linked_identities_user_id'), 'linked_identities', ['user_id'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('password_hash', existing_type=sa.String(length=255), nullable=True)


def downgrade() -> None:
    # People who only ever signed in through a provider get an unusable password: they can reset it.
    op.execute("UPDATE users SET password_hash = '' WHERE password_hash IS NULL")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('password_hash', existing_type=sa.String(length=255), nullable=False)
    op.drop_index(op.f('ix_linked_identities_user_id'), table_name='linked_identities')
    op.drop_table('linked_identities')
    op.drop_index(op.f('ix_identity_provider_domains_provider_id'), table_name='identity_provider_domains')
    op.drop_table('identity_provider_domains')
    op.drop_table('identity_providers')
