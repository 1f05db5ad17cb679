"""the conversation of a staples match (either side opens it)

Revision ID: 5a7c3e91d2b4
Revises: cf002599b9b9
Create Date: 2026-12-01 18:50:00

One conversation per (offer, need), between the owners of the two businesses; a new table, nothing existing changes.

"""
from alembic import op
import sqlalchemy as sa

import marketplace.models_base

revision = "5a7c3e91d2b4"
down_revision = "cf002599b9b9"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "match_conversation",
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("created_at", marketplace.models_base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversation.id"],
                                name=op.f("fk_match_conversation_conversation_id_conversation"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["need_id"], ["staples_post.id"],
                                name=op.f("fk_match_conversation_need_id_staples_post"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["offer_id"], ["staples_post.id"],
                                name=op.f("fk_match_conversation_offer_id_staples_post"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("offer_id", "need_id", name=op.f("pk_match_conversation")),
        sa.UniqueConstraint("conversation_id", name=op.f("uq_match_conversation_conversation_id")),
    )
    with op.batch_alter_table("match_conversation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_conversation_need_id"), ["need_id"], unique=False)


def downgrade():
    with op.batch_alter_table("match_conversation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_conversation_need_id"))
    op.drop_table("match_conversation")
