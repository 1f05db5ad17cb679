"""business revisions: edits of a verified business's public profile wait for review

Revision ID: 2d2ad475f81e
Revises: 7c9848e2e9ad
Create Date: 2026-12-01 14:43:45.935782

An edit of a verified business's public profile (name, description, address, WhatsApp number, size class, logo,
links) waits in business_revision for the region's review while the business row stays the approved, public version
(businesses.services.update_business, moderation.services.decide_business_revision). No data to move: existing
businesses have no pending edit.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2d2ad475f81e'
down_revision = '7c9848e2e9ad'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('business_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('business_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'changes_requested', 'rejected', name='profileeditstatus', native_enum=False, length=24), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_business_revision_business_id_business'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_business_revision')),
    sa.UniqueConstraint('business_id', name=op.f('uq_business_revision_business_id'))
    )
    with op.batch_alter_table('business_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_business_revision_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('business_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_business_revision_status'))

    op.drop_table('business_revision')
