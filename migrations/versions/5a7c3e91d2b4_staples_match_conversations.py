"""the conversation of a staples match (either side opens it); a staples post's member producer as a key

Revision ID: 5a7c3e91d2b4
Revises: cf002599b9b9
Create Date: 2026-12-01 18:50:00

One conversation per (offer, need), between the owners of the two businesses (a new table). staples_post.member_id
gets its foreign key to cooperative_member (SET NULL); a value naming no member of the post's own business (there
can be none: nothing wrote it before) is cleared first.

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


    op.execute("UPDATE staples_post SET member_id = NULL WHERE member_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
               "cooperative_member m WHERE m.id = staples_post.member_id AND m.business_id = staples_post.business_id)")
    with op.batch_alter_table("staples_post", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staples_post_member_id"), ["member_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_staples_post_member_id_cooperative_member"), "cooperative_member",
                                    ["member_id"], ["id"], ondelete="SET NULL")


def downgrade():
    with op.batch_alter_table("staples_post", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_staples_post_member_id_cooperative_member"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_staples_post_member_id"))
    with op.batch_alter_table("match_conversation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_conversation_need_id"))
    op.drop_table("match_conversation")
