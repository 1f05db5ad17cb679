"""conversations (an inquiry's thread of messages) and favourites (saved products and businesses)

Revision ID: 1806e0e84a7d
Revises: 6531183bcf6c
Create Date: 2026-12-01 17:16:28.728609

Data: every existing inquiry gets its thread, with the same id as the inquiry: the inquiry's note (kept as typed in
inquiry.message) becomes the thread's first message, by the buyer's account when there is one; the owner takes part
and has read it if the inquiry was opened (read_at), the buyer with an account takes part and has read it; a closed
inquiry's thread is closed. New inquiries open their thread in inquiries.services.send_inquiry.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1806e0e84a7d'
down_revision = '6531183bcf6c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('conversation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_message_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation'))
    )
    op.create_table('conversation_party',
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('last_read_message_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_conversation_party_conversation_id_conversation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_conversation_party_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('conversation_id', 'user_id', name=op.f('pk_conversation_party'))
    )
    with op.batch_alter_table('conversation_party', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_party_user_id'), ['user_id'], unique=False)

    op.create_table('message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_message_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_message_conversation_id_conversation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message'))
    )
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_message_conversation_id_id', ['conversation_id', 'id'], unique=False)

    op.create_table('saved_business',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('business_id', sa.Integer(), nullable=False),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_saved_business_business_id_business'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_saved_business_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'business_id', name=op.f('pk_saved_business'))
    )
    with op.batch_alter_table('saved_business', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_business_business_id'), ['business_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_saved_business_saved_at'), ['saved_at'], unique=False)

    op.create_table('saved_product',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seen_price', sa.BigInteger(), nullable=True),
    sa.Column('seen_available', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_saved_product_product_id_product'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_saved_product_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'product_id', name=op.f('pk_saved_product'))
    )
    with op.batch_alter_table('saved_product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_product_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_saved_product_saved_at'), ['saved_at'], unique=False)

    with op.batch_alter_table('inquiry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('conversation_id', sa.Integer(), nullable=True))

    _threads_for_existing_inquiries()

    with op.batch_alter_table('inquiry', schema=None) as batch_op:
        batch_op.alter_column('conversation_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_inquiry_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_inquiry_conversation_id_conversation'), 'conversation', ['conversation_id'], ['id'])


def _threads_for_existing_inquiries():
    """One conversation per inquiry (same id), its note as the first message, the owner and the buyer as parties."""
    op.execute("""
        INSERT INTO conversation (id, subject, created_at, last_message_at, closed_at)
        SELECT id, 'inquiry', created_at, created_at, CASE WHEN status = 'closed' THEN created_at END FROM inquiry
    """)
    op.execute("UPDATE inquiry SET conversation_id = id")
    op.execute("""
        INSERT INTO message (conversation_id, author_id, body, created_at)
        SELECT id, buyer_id, message, created_at FROM inquiry ORDER BY id
    """)
    first = "(SELECT MAX(m.id) FROM message m WHERE m.conversation_id = i.id)"
    op.execute(f"""
        INSERT INTO conversation_party (conversation_id, user_id, last_read_message_id)
        SELECT i.id, b.owner_id, CASE WHEN i.read_at IS NULL THEN 0 ELSE {first} END
        FROM inquiry i JOIN business b ON b.id = i.business_id
    """)
    op.execute(f"""
        INSERT INTO conversation_party (conversation_id, user_id, last_read_message_id)
        SELECT i.id, i.buyer_id, {first}
        FROM inquiry i JOIN business b ON b.id = i.business_id
        WHERE i.buyer_id IS NOT NULL AND i.buyer_id <> b.owner_id
    """)
    if op.get_bind().dialect.name == "postgresql":  # ids were given: the sequence continues after them
        op.execute("SELECT setval(pg_get_serial_sequence('conversation', 'id'), "
                   "COALESCE((SELECT MAX(id) FROM conversation), 0) + 1, false)")


def downgrade():
    with op.batch_alter_table('inquiry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_inquiry_conversation_id_conversation'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_inquiry_conversation_id'))
        batch_op.drop_column('conversation_id')

    with op.batch_alter_table('saved_product', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_product_saved_at'))
        batch_op.drop_index(batch_op.f('ix_saved_product_product_id'))

    op.drop_table('saved_product')
    with op.batch_alter_table('saved_business', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_business_saved_at'))
        batch_op.drop_index(batch_op.f('ix_saved_business_business_id'))

    op.drop_table('saved_business')
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index('ix_message_conversation_id_id')
        batch_op.drop_index(batch_op.f('ix_message_author_id'))

    op.drop_table('message')
    with op.batch_alter_table('conversation_party', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_party_user_id'))

    op.drop_table('conversation_party')
    op.drop_table('conversation')
