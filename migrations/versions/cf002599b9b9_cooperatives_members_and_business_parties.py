"""cooperatives and their members; agreement parties that are businesses

Revision ID: cf002599b9b9
Revises: dbe8d1698806
Create Date: 2026-12-01 17:15:23.519278

A business can be a cooperative (business.kind, cooperative_kind, legal_entity_number; existing businesses become
kind 'usaha'). Member producers of a cooperative with their recorded consent (cooperative_member); a product and an
inquiry may name the member who produced the product (member_id, NULL for existing rows).

Agreement parties that are businesses become records (agreement_party_business). Data: a free-text party line
(agreement_party.institution) that names an existing business of the same region (case and a leading "Koperasi"
ignored) becomes a link to that business, which is marked a cooperative when either name says "Koperasi"; every other
line stays as it is, a free-text note shown in admin, so nothing is lost. The downgrade turns links back into lines.

"""
import re
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cf002599b9b9'
down_revision = 'dbe8d1698806'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agreement_party_business',
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('business_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_agreement_party_business_agreement_id_agreement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_agreement_party_business_business_id_business'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('agreement_id', 'business_id', name=op.f('pk_agreement_party_business'))
    )
    with op.batch_alter_table('agreement_party_business', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_party_business_business_id'), ['business_id'], unique=False)

    op.create_table('cooperative_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('business_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('desa', sa.String(length=80), nullable=False),
    sa.Column('kecamatan', sa.String(length=80), nullable=False),
    sa.Column('commodities', sa.String(length=300), nullable=False),
    sa.Column('nib', sa.String(length=13), nullable=True),
    sa.Column('consent_scope', sa.Enum('name_and_desa', 'desa_only', 'nothing', name='consentscope', native_enum=False, length=24), nullable=False),
    sa.Column('consent_method', sa.Enum('signed_form', 'member_confirmation', name='consentmethod', native_enum=False, length=24), nullable=False),
    sa.Column('consent_note', sa.Text(), nullable=False),
    sa.Column('consent_document', sa.String(length=80), nullable=True),
    sa.Column('consent_recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('consent_recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_cooperative_member_business_id_business'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['consent_recorded_by_id'], ['user.id'], name=op.f('fk_cooperative_member_consent_recorded_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cooperative_member'))
    )
    with op.batch_alter_table('cooperative_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cooperative_member_business_id'), ['business_id'], unique=False)

    with op.batch_alter_table('business', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('usaha', 'koperasi', name='businesskind', native_enum=False, length=24), server_default='usaha', nullable=False))
        batch_op.add_column(sa.Column('cooperative_kind', sa.Enum('konsumen', 'produsen', 'pemasaran', 'jasa', 'simpan_pinjam', 'serba_usaha', name='cooperativekind', native_enum=False, length=24), nullable=True))
        batch_op.add_column(sa.Column('legal_entity_number', sa.String(length=80), nullable=True))
        batch_op.create_index(batch_op.f('ix_business_kind'), ['kind'], unique=False)

    with op.batch_alter_table('inquiry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('member_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_inquiry_member_id'), ['member_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_inquiry_member_id_cooperative_member'), 'cooperative_member', ['member_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.add_column(sa.Column('member_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_product_member_id'), ['member_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_product_member_id_cooperative_member'), 'cooperative_member', ['member_id'], ['id'], ondelete='SET NULL')

    _link_named_businesses()


def _plain(name: str) -> str:
    """A name as compared: lower case, single spaces, without a leading "koperasi"."""
    return re.sub(r"^koperasi\s+", "", " ".join((name or "").lower().split()))


def _link_named_businesses():
    connection = op.get_bind()
    party = sa.table("agreement_party", sa.column("id", sa.Integer), sa.column("agreement_id", sa.Integer),
                     sa.column("region_code", sa.String), sa.column("institution", sa.String))
    business = sa.table("business", sa.column("id", sa.Integer), sa.column("name", sa.String),
                        sa.column("region_code", sa.String), sa.column("kind", sa.String))
    link = sa.table("agreement_party_business", sa.column("agreement_id", sa.Integer), sa.column("business_id", sa.Integer))
    notes = connection.execute(sa.select(party.c.id, party.c.agreement_id, party.c.region_code, party.c.institution)
                               .where(party.c.institution.is_not(None))).all()
    if not notes:
        return
    businesses = connection.execute(sa.select(business.c.id, business.c.name, business.c.region_code)).all()
    linked = set()
    for note in notes:
        found = [b for b in businesses if _plain(b.name) == _plain(note.institution)
                 and (note.region_code is None or b.region_code == note.region_code)]
        if len(found) != 1:  # none, or more than one that fits: left as a note for an admin to link
            continue
        target = found[0]
        if (note.agreement_id, target.id) not in linked:
            connection.execute(link.insert().values(agreement_id=note.agreement_id, business_id=target.id))
            linked.add((note.agreement_id, target.id))
        connection.execute(party.delete().where(party.c.id == note.id))
        if "koperasi" in f"{note.institution} {target.name}".lower():
            connection.execute(business.update().where(business.c.id == target.id).values(kind="koperasi"))


def _unlink_businesses():
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT l.agreement_id, b.name, b.region_code FROM agreement_party_business l JOIN business b ON b.id = l.business_id"
    )).all()
    party = sa.table("agreement_party", sa.column("agreement_id", sa.Integer), sa.column("region_code", sa.String),
                     sa.column("institution", sa.String))
    for row in rows:
        connection.execute(party.insert().values(agreement_id=row.agreement_id, region_code=row.region_code,
                                                 institution=row.name[:200]))


def downgrade():
    _unlink_businesses()
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_product_member_id_cooperative_member'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_product_member_id'))
        batch_op.drop_column('member_id')

    with op.batch_alter_table('inquiry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_inquiry_member_id_cooperative_member'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_inquiry_member_id'))
        batch_op.drop_column('member_id')

    with op.batch_alter_table('business', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_business_kind'))
        batch_op.drop_column('legal_entity_number')
        batch_op.drop_column('cooperative_kind')
        batch_op.drop_column('kind')

    with op.batch_alter_table('cooperative_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cooperative_member_business_id'))

    op.drop_table('cooperative_member')
    with op.batch_alter_table('agreement_party_business', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_party_business_business_id'))

    op.drop_table('agreement_party_business')
