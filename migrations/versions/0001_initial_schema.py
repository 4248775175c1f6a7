"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa

from portal import search_schema


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('abbreviation', sa.String(length=30), nullable=True),
    sa.Column('email_domain', sa.String(length=120), nullable=True),
    sa.Column('portfolio', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['merged_into_id'], ['agencies.id'], name=op.f('fk_agencies_merged_into_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agencies')),
    sa.UniqueConstraint('name', name=op.f('uq_agencies_name'))
    )
    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=False),
    sa.Column('template', sa.String(length=80), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('recipient_name', sa.String(length=120), nullable=True),
    sa.Column('context', sa.JSON(), nullable=False),
    sa.Column('attachments', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('relayed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_outbox_messages_idempotency_key'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_messages_status_created', ['status', 'created_at'], unique=False)

    op.create_table('reminders_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders_sent')),
    sa.UniqueConstraint('kind', 'record_id', 'step', name=op.f('uq_reminders_sent_kind'))
    )
    op.create_table('skills',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('family', sa.String(length=80), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skills')),
    sa.UniqueConstraint('name', name=op.f('uq_skills_name'))
    )
    op.create_table('used_tokens',
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('digest', name=op.f('pk_used_tokens'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('job_title', sa.String(length=120), nullable=True),
    sa.Column('location', sa.String(length=120), nullable=True),
    sa.Column('is_contractor', sa.Boolean(), nullable=False),
    sa.Column('supervisor_name', sa.String(length=120), nullable=True),
    sa.Column('supervisor_email', sa.String(length=254), nullable=True),
    sa.Column('bio', sa.Text(), nullable=True),
    sa.Column('is_site_admin', sa.Boolean(), nullable=False),
    sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_users_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('agency_admins',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_agency_admins_agency_id_agencies')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_agency_admins_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'agency_id', name=op.f('pk_agency_admins'))
    )
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_type', sa.String(length=30), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_state', sa.String(length=20), nullable=True),
    sa.Column('to_state', sa.String(length=20), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=300), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_actor', ['actor_id', 'created_at'], unique=False)
        batch_op.create_index('ix_audit_events_record', ['record_type', 'record_id', 'created_at'], unique=False)

    op.create_table('opportunities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('what_you_do', sa.Text(), nullable=False),
    sa.Column('what_you_gain', sa.Text(), nullable=False),
    sa.Column('about_team', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('host_agency_id', sa.Integer(), nullable=True),
    sa.Column('team', sa.String(length=120), nullable=True),
    sa.Column('location_state', sa.String(length=3), nullable=True),
    sa.Column('location_city', sa.String(length=80), nullable=True),
    sa.Column('host_address', sa.String(length=250), nullable=True),
    sa.Column('work_mode', sa.String(length=10), nullable=False),
    sa.Column('commitment_kind', sa.String(length=20), nullable=False),
    sa.Column('commitment_amount', sa.Integer(), nullable=True),
    sa.Column('commitment_band', sa.String(length=12), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('positions', sa.Integer(), nullable=False),
    sa.Column('clearance', sa.String(length=10), nullable=False),
    sa.Column('restricted_to_agency', sa.Boolean(), nullable=False),
    sa.Column('accepting_applications', sa.Boolean(), nullable=False),
    sa.Column('contact_name', sa.String(length=120), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('creator_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('approving_manager_name', sa.String(length=120), nullable=True),
    sa.Column('approving_manager_email', sa.String(length=254), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['creator_id'], ['users.id'], name=op.f('fk_opportunities_creator_id_users')),
    sa.ForeignKeyConstraint(['host_agency_id'], ['agencies.id'], name=op.f('fk_opportunities_host_agency_id_agencies')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_opportunities_owner_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opportunities'))
    )
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.create_index('ix_opportunities_owner_state', ['owner_id', 'state'], unique=False)
        batch_op.create_index('ix_opportunities_state_deadline', ['state', 'deadline'], unique=False)

    op.create_table('user_skills',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], name=op.f('fk_user_skills_skill_id_skills')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_skills_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'skill_id', name=op.f('pk_user_skills'))
    )
    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('relevant_skills', sa.Text(), nullable=True),
    sa.Column('availability', sa.Text(), nullable=True),
    sa.Column('cv_filename', sa.String(length=200), nullable=True),
    sa.Column('cv_path', sa.String(length=200), nullable=True),
    sa.Column('home_manager_name', sa.String(length=120), nullable=False),
    sa.Column('home_manager_email', sa.String(length=254), nullable=False),
    sa.Column('manager_requested_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('manager_decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('manager_comment', sa.Text(), nullable=True),
    sa.Column('owner_message', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['applicant_id'], ['users.id'], name=op.f('fk_applications_applicant_id_users')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_applications_opportunity_id_opportunities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications')),
    sa.UniqueConstraint('opportunity_id', 'applicant_id', name=op.f('uq_applications_opportunity_id'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index('ix_applications_applicant_state', ['applicant_id', 'state'], unique=False)
        batch_op.create_index('ix_applications_opportunity_state', ['opportunity_id', 'state'], unique=False)
        batch_op.create_index('ix_applications_state_requested', ['state', 'manager_requested_at'], unique=False)

    op.create_table('opportunity_coowners',
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_opportunity_coowners_opportunity_id_opportunities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_opportunity_coowners_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('opportunity_id', 'user_id', name=op.f('pk_opportunity_coowners'))
    )
    op.create_table('opportunity_skills',
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_opportunity_skills_opportunity_id_opportunities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], name=op.f('fk_opportunity_skills_skill_id_skills')),
    sa.PrimaryKeyConstraint('opportunity_id', 'skill_id', name=op.f('pk_opportunity_skills'))
    )
    op.create_table('saved_opportunities',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_saved_opportunities_opportunity_id_opportunities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_saved_opportunities_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'opportunity_id', name=op.f('pk_saved_opportunities'))
    )
    op.create_table('arrangements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_arrangements_application_id_applications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_arrangements')),
    sa.UniqueConstraint('application_id', 'version', name=op.f('uq_arrangements_application_id'))
    )
    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_certificates_application_id_applications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('application_id', name=op.f('uq_certificates_application_id'))
    )
    op.create_table('feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('author_role', sa.String(length=20), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('endorsed_skill_ids', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_feedback_application_id_applications')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_feedback_author_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback')),
    sa.UniqueConstraint('application_id', 'author_role', name=op.f('uq_feedback_application_id'))
    )
    op.create_table('acknowledgements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('arrangement_id', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['arrangement_id'], ['arrangements.id'], name=op.f('fk_acknowledgements_arrangement_id_arrangements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acknowledgements')),
    sa.UniqueConstraint('arrangement_id', 'party', name=op.f('uq_acknowledgements_arrangement_id'))
    )
    for statement in search_schema.statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in search_schema.statements(op.get_bind().dialect.name, up=False):
        op.execute(statement)
    op.drop_table('acknowledgements')
    op.drop_table('feedback')
    op.drop_table('certificates')
    op.drop_table('arrangements')
    op.drop_table('saved_opportunities')
    op.drop_table('opportunity_skills')
    op.drop_table('opportunity_coowners')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('ix_applications_state_requested')
        batch_op.drop_index('ix_applications_opportunity_state')
        batch_op.drop_index('ix_applications_applicant_state')

    op.drop_table('applications')
    op.drop_table('user_skills')
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.drop_index('ix_opportunities_state_deadline')
        batch_op.drop_index('ix_opportunities_owner_state')

    op.drop_table('opportunities')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_record')
        batch_op.drop_index('ix_audit_events_actor')

    op.drop_table('audit_events')
    op.drop_table('agency_admins')
    op.drop_table('users')
    op.drop_table('used_tokens')
    op.drop_table('skills')
    op.drop_table('reminders_sent')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_status_created')

    op.drop_table('outbox_messages')
    op.drop_table('agencies')
