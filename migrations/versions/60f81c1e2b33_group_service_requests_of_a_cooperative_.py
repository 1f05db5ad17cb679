"""group service requests of a cooperative: one row per member producer with the institution's decision; a
cooperative enrols its member producers in training

A cooperative's request may name several member producers (a cluster application); the institution issues each a
certificate of their own or declines them. An enrolment may be for a member producer (member_id): once per cohort an
owner for themselves and each member, by two partial unique indexes in place of the (cohort, user) constraint. No
existing row changes.

Revision ID: 60f81c1e2b33
Revises: e1073c85a569
Create Date: 2026-12-01 20:45:16.225847

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '60f81c1e2b33'
down_revision = 'e1073c85a569'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('request_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('pending', 'issued', 'declined', name='memberoutcome', native_enum=False, length=24), nullable=False),
    sa.Column('certificate_number', sa.String(length=80), nullable=False),
    sa.Column('certificate_valid_until', sa.Date(), nullable=True),
    sa.Column('certificate_document', sa.String(length=80), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['cooperative_member.id'], name=op.f('fk_request_member_member_id_cooperative_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['service_request.id'], name=op.f('fk_request_member_request_id_service_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_member')),
    sa.UniqueConstraint('request_id', 'member_id', name='one_member_once_per_request')
    )
    with op.batch_alter_table('request_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_member_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_request_member_request_id'), ['request_id'], unique=False)

    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('member_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_enrolment_member_id_cooperative_member'), 'cooperative_member',
                                    ['member_id'], ['id'], ondelete='CASCADE')
        batch_op.create_index(batch_op.f('ix_enrolment_member_id'), ['member_id'], unique=False)
        batch_op.drop_constraint('one_enrolment_per_person', type_='unique')
    op.create_index('one_enrolment_per_person', 'enrolment', ['cohort_id', 'user_id'], unique=True,
                    sqlite_where=sa.text('member_id IS NULL'), postgresql_where=sa.text('member_id IS NULL'))
    op.create_index('one_enrolment_per_member', 'enrolment', ['cohort_id', 'member_id'], unique=True,
                    sqlite_where=sa.text('member_id IS NOT NULL'), postgresql_where=sa.text('member_id IS NOT NULL'))



def downgrade():
    op.execute("DELETE FROM enrolment WHERE member_id IS NOT NULL")  # members' places cannot exist without the column
    op.drop_index('one_enrolment_per_member', table_name='enrolment')
    op.drop_index('one_enrolment_per_person', table_name='enrolment')
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.create_unique_constraint('one_enrolment_per_person', ['cohort_id', 'user_id'])
        batch_op.drop_index(batch_op.f('ix_enrolment_member_id'))
        batch_op.drop_constraint(batch_op.f('fk_enrolment_member_id_cooperative_member'), type_='foreignkey')
        batch_op.drop_column('member_id')

    with op.batch_alter_table('request_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_member_request_id'))
        batch_op.drop_index(batch_op.f('ix_request_member_member_id'))

    op.drop_table('request_member')
