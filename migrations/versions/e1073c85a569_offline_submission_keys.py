"""the offline product form's idempotency keys: one client UUID per queued submission or photo, unique per owner

Revision ID: e1073c85a569
Revises: e5a8cce4236c
Create Date: 2026-12-01 20:39:47

A new table; UNIQUE (owner_id, key) is what makes a replayed submission save one product.

"""
from alembic import op
import sqlalchemy as sa

import marketplace.models_base

revision = "e1073c85a569"
down_revision = "e5a8cce4236c"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "submission_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("photo_id", sa.Integer(), nullable=True),
        sa.Column("created_at", marketplace.models_base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], name=op.f("fk_submission_key_owner_id_user"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["photo_id"], ["photo.id"], name=op.f("fk_submission_key_photo_id_photo"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"], name=op.f("fk_submission_key_product_id_product"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission_key")),
        sa.UniqueConstraint("owner_id", "key", name="uq_submission_key_owner_id_key"),
    )
    with op.batch_alter_table("submission_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submission_key_photo_id"), ["photo_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_submission_key_product_id"), ["product_id"], unique=False)


def downgrade():
    with op.batch_alter_table("submission_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_key_product_id"))
        batch_op.drop_index(batch_op.f("ix_submission_key_photo_id"))
    op.drop_table("submission_key")
