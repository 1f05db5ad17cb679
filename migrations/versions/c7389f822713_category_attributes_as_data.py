"""category attributes as data

Revision ID: c7389f822713
Revises: 1806e0e84a7d
Create Date: 2026-12-01 17:15:46.480733

Attributes were groups written in the code (batik, food, produce) and stored as JSON on each product. They become
data per category: category_attribute (inherited by subcategories), attribute_option (a choice's options) and
product_attribute_value (one row per product and attribute, indexed for the catalogue's facets).

Existing products keep their values: the shipped attributes are added to the categories that exist (the same as
catalog/attributes/reference.py at the time of writing, frozen here), every product's JSON values are moved into the
new table (a choice's value is matched to its option, a number is read with its unit and converted to the
attribute's: "1 kg" is 1000 gram, "6 bulan" 180 days), and a value that fits no definition is never dropped: a key
no category defines becomes a text attribute of the product's top category, a choice value no option names becomes
a new option, a number that cannot be read is kept as it was typed. Pending edits (product_revision.data) get their
choice values as option codes too. Only then is product.attributes dropped; downgrade rebuilds it from the table.

"""
import re
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from alembic import op
from slugify import slugify

# revision identifiers, used by Alembic.
revision = 'c7389f822713'
down_revision = '1806e0e84a7d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('category_attribute',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_id', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.Enum('text', 'choice', 'number', 'date', 'identifier', name='attributekind', native_enum=False, length=24), nullable=False),
    sa.Column('unit_id', sa.String(length=20), nullable=False),
    sa.Column('unit_en', sa.String(length=20), nullable=False),
    sa.Column('pattern', sa.String(length=200), nullable=False),
    sa.Column('example', sa.String(length=60), nullable=False),
    sa.Column('required', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_category_attribute_category_id_category'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category_attribute')),
    sa.UniqueConstraint('category_id', 'code', name=op.f('uq_category_attribute_category_id'))
    )
    with op.batch_alter_table('category_attribute', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_category_attribute_category_id'), ['category_id'], unique=False)

    op.create_table('attribute_option',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attribute_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('label_id', sa.String(length=80), nullable=False),
    sa.Column('label_en', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['attribute_id'], ['category_attribute.id'], name=op.f('fk_attribute_option_attribute_id_category_attribute'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attribute_option')),
    sa.UniqueConstraint('attribute_id', 'code', name=op.f('uq_attribute_option_attribute_id'))
    )
    with op.batch_alter_table('attribute_option', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attribute_option_attribute_id'), ['attribute_id'], unique=False)

    op.create_table('product_attribute_value',
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('attribute_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=True),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['attribute_id'], ['category_attribute.id'], name=op.f('fk_product_attribute_value_attribute_id_category_attribute'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['option_id'], ['attribute_option.id'], name=op.f('fk_product_attribute_value_option_id_attribute_option'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_product_attribute_value_product_id_product'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('product_id', 'attribute_id', name=op.f('pk_product_attribute_value'))
    )
    with op.batch_alter_table('product_attribute_value', schema=None) as batch_op:
        batch_op.create_index('ix_product_attribute_value_facet', ['attribute_id', 'option_id', 'product_id'], unique=False)

    _move_values()
    # Not batch mode: on SQLite that recreates product, and dropping the old table with foreign keys on would cascade
    # to its photos, revisions and the values just moved. SQLite >= 3.35 drops a plain column in place.
    op.drop_column('product', 'attributes')


def downgrade():
    # added in place (a batch recreate of product would cascade, see upgrade)
    op.add_column('product', sa.Column('attributes', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    _restore_json()

    with op.batch_alter_table('product_attribute_value', schema=None) as batch_op:
        batch_op.drop_index('ix_product_attribute_value_facet')

    op.drop_table('product_attribute_value')
    with op.batch_alter_table('attribute_option', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attribute_option_attribute_id'))

    op.drop_table('attribute_option')
    with op.batch_alter_table('category_attribute', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_category_attribute_category_id'))

    op.drop_table('category_attribute')


# The shipped attributes when this migration was written (catalog/attributes/reference.py), by category slug.
ATTRIBUTES = {'batik': [{'code': 'technique',
            'name': ('Teknik batik', 'Batik technique'),
            'kind': 'choice',
            'options': [('tulis', 'Tulis', 'Tulis (hand-drawn)'),
                        ('cap', 'Cap', 'Cap (stamped)'),
                        ('printing', 'Printing', 'Printing'),
                        ('kombinasi', 'Kombinasi tulis dan cap', 'Kombinasi (tulis and cap)')]},
           {'code': 'motif', 'name': ('Motif', 'Motif'), 'kind': 'text'},
           {'code': 'fabric', 'name': ('Bahan kain', 'Fabric'), 'kind': 'text'},
           {'code': 'dye',
            'name': ('Pewarna', 'Dye'),
            'kind': 'choice',
            'options': [('alami', 'Pewarna alami', 'Natural dye'),
                        ('sintetis', 'Pewarna sintetis', 'Synthetic dye')]},
           {'code': 'size', 'name': ('Ukuran', 'Size'), 'kind': 'text'}],
 'bordir': [{'code': 'material', 'name': ('Bahan', 'Material'), 'kind': 'text'}],
 'makanan-olahan': [{'code': 'net_weight',
                     'name': ('Berat bersih', 'Net weight'),
                     'kind': 'number',
                     'unit': ('gram', 'grams')},
                    {'code': 'shelf_life',
                     'name': ('Masa simpan', 'Shelf life'),
                     'kind': 'number',
                     'unit': ('hari', 'days')},
                    {'code': 'pirt',
                     'name': ('Nomor P-IRT', 'P-IRT number'),
                     'kind': 'identifier',
                     'pattern': '\\d{13}-?\\d{2}',
                     'example': '1234567890123-45'},
                    {'code': 'ingredients', 'name': ('Komposisi', 'Ingredients'), 'kind': 'text'},
                    {'code': 'halal',
                     'name': ('Halal', 'Halal'),
                     'kind': 'choice',
                     'options': [('bersertifikat', 'Bersertifikat halal', 'Halal certified'),
                                 ('proses', 'Sertifikasi sedang diproses', 'Certification in progress'),
                                 ('belum', 'Belum bersertifikat', 'Not certified')]}],
 'minuman': [{'code': 'net_weight', 'name': ('Isi bersih', 'Net content'), 'kind': 'number', 'unit': ('ml', 'ml')},
             {'code': 'shelf_life',
              'name': ('Masa simpan', 'Shelf life'),
              'kind': 'number',
              'unit': ('hari', 'days')},
             {'code': 'pirt',
              'name': ('Nomor P-IRT', 'P-IRT number'),
              'kind': 'identifier',
              'pattern': '\\d{13}-?\\d{2}',
              'example': '1234567890123-45'},
             {'code': 'ingredients', 'name': ('Komposisi', 'Ingredients'), 'kind': 'text'},
             {'code': 'halal',
              'name': ('Halal', 'Halal'),
              'kind': 'choice',
              'options': [('bersertifikat', 'Bersertifikat halal', 'Halal certified'),
                          ('proses', 'Sertifikasi sedang diproses', 'Certification in progress'),
                          ('belum', 'Belum bersertifikat', 'Not certified')]}],
 'hasil-pertanian': [{'code': 'grade',
                      'name': ('Mutu', 'Grade'),
                      'kind': 'choice',
                      'options': [('a', 'Grade A', 'Grade A'),
                                  ('b', 'Grade B', 'Grade B'),
                                  ('c', 'Grade C', 'Grade C')]},
                     {'code': 'sales_unit',
                      'name': ('Satuan jual', 'Sales unit'),
                      'kind': 'choice',
                      'options': [('kg', 'Kilogram', 'Kilogram'),
                                  ('kuintal', 'Kuintal', 'Quintal (100 kg)'),
                                  ('ton', 'Ton', 'Tonne'),
                                  ('karung', 'Karung', 'Sack'),
                                  ('ikat', 'Ikat', 'Bunch')]},
                     {'code': 'harvest_season', 'name': ('Musim panen', 'Harvest season'), 'kind': 'text'},
                     {'code': 'supply_capacity',
                      'name': ('Kapasitas pasok per periode', 'Supply capacity per period'),
                      'kind': 'text'}],
 'hasil-peternakan': [{'code': 'grade',
                       'name': ('Mutu', 'Grade'),
                       'kind': 'choice',
                       'options': [('a', 'Grade A', 'Grade A'),
                                   ('b', 'Grade B', 'Grade B'),
                                   ('c', 'Grade C', 'Grade C')]},
                      {'code': 'supply_capacity',
                       'name': ('Kapasitas pasok per periode', 'Supply capacity per period'),
                       'kind': 'text'}],
 'hasil-perikanan': [{'code': 'grade',
                      'name': ('Mutu', 'Grade'),
                      'kind': 'choice',
                      'options': [('a', 'Grade A', 'Grade A'),
                                  ('b', 'Grade B', 'Grade B'),
                                  ('c', 'Grade C', 'Grade C')]},
                     {'code': 'supply_capacity',
                      'name': ('Kapasitas pasok per periode', 'Supply capacity per period'),
                      'kind': 'text'}],
 'kerajinan-tangan': [{'code': 'material', 'name': ('Bahan', 'Material'), 'kind': 'text'},
                      {'code': 'dimensions',
                       'name': ('Ukuran (p × l × t)', 'Dimensions (l × w × h)'),
                       'kind': 'text'}]}

# Names of the keys the old code knew (catalog/fields.py), for keys that no shipped attribute defines.
LEGACY_NAMES = {"supply_capacity": ("Kapasitas pasok per periode", "Supply capacity per period"),
                "material": ("Bahan", "Material")}
# Units a number was typed with, per unit of the attribute: the factor to it.
UNIT_FACTORS = {
    "gram": {"": 1, "g": 1, "gr": 1, "gram": 1, "grams": 1, "ons": 100, "kg": 1000, "kilogram": 1000},
    "ml": {"": 1, "ml": 1, "l": 1000, "liter": 1000, "litre": 1000, "ltr": 1000},
    "hari": {"": 1, "hari": 1, "day": 1, "days": 1, "minggu": 7, "week": 7, "weeks": 7, "bulan": 30, "month": 30,
             "months": 30, "tahun": 365, "year": 365, "years": 365},
}
# Old free-text dye values and what they meant.
CHOICE_SYNONYMS = {"dye": {"alam": "alami", "natural": "alami", "kimia": "sintetis", "synthetic": "sintetis"}}

category = sa.table("category", sa.column("id", sa.Integer), sa.column("slug", sa.String),
                    sa.column("parent_id", sa.Integer))
product = sa.table("product", sa.column("id", sa.Integer), sa.column("category_id", sa.Integer),
                   sa.column("attributes", sa.JSON))
revision_table = sa.table("product_revision", sa.column("id", sa.Integer), sa.column("product_id", sa.Integer),
                          sa.column("data", sa.JSON))
attribute_table = sa.table(
    "category_attribute", sa.column("id", sa.Integer), sa.column("category_id", sa.Integer),
    sa.column("code", sa.String), sa.column("name_id", sa.String), sa.column("name_en", sa.String),
    sa.column("kind", sa.String), sa.column("unit_id", sa.String), sa.column("unit_en", sa.String),
    sa.column("pattern", sa.String), sa.column("example", sa.String), sa.column("required", sa.Boolean),
    sa.column("position", sa.Integer))
option_table = sa.table("attribute_option", sa.column("id", sa.Integer), sa.column("attribute_id", sa.Integer),
                        sa.column("code", sa.String), sa.column("label_id", sa.String), sa.column("label_en", sa.String),
                        sa.column("position", sa.Integer))
value_table = sa.table("product_attribute_value", sa.column("product_id", sa.Integer),
                       sa.column("attribute_id", sa.Integer), sa.column("option_id", sa.Integer),
                       sa.column("value", sa.String))


class Definitions:
    """The attributes inserted so far, by category, with their options; adds what a value needs."""

    def __init__(self, conn):
        self.conn = conn
        self.by_category = {}  # category id -> {code: attribute dict}

    def add_attribute(self, category_id, spec, position):
        unit = spec.get("unit", ("", ""))
        row = {"category_id": category_id, "code": spec["code"], "name_id": spec["name"][0], "name_en": spec["name"][1],
               "kind": spec["kind"], "unit_id": unit[0], "unit_en": unit[1], "pattern": spec.get("pattern", ""),
               "example": spec.get("example", ""), "required": False, "position": position}
        row["id"] = self.conn.execute(attribute_table.insert().values(**row).returning(attribute_table.c.id)).scalar_one()
        row["options"] = {}
        self.by_category.setdefault(category_id, {})[spec["code"]] = row
        for n, (code, label_id, label_en) in enumerate(spec.get("options", [])):
            self.add_option(row, code, label_id, label_en, n)
        return row

    def add_option(self, attribute, code, label_id, label_en, position):
        option_id = self.conn.execute(option_table.insert().values(
            attribute_id=attribute["id"], code=code, label_id=label_id, label_en=label_en, position=position,
        ).returning(option_table.c.id)).scalar_one()
        attribute["options"][code] = {"id": option_id, "labels": {code.casefold(), label_id.casefold(), label_en.casefold()}}
        return code, option_id

    def find(self, chain, code):
        for category_id in reversed(chain):
            if code in self.by_category.get(category_id, {}):
                return self.by_category[category_id][code]
        return None


def _number(text, unit):
    match = re.fullmatch(r"\s*([\d.,]+)\s*([^\d\s]*)\s*", text)
    factors = UNIT_FACTORS.get(unit, {"": 1, unit.casefold(): 1})
    if not match or match.group(2).casefold() not in factors:
        return None
    digits = match.group(1)
    if "," in digits and "." in digits:
        digits = digits.replace(".", "").replace(",", ".")
    elif "," in digits:
        digits = digits.replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", digits):
        digits = digits.replace(".", "")
    try:
        number = Decimal(digits) * factors[match.group(2).casefold()]
    except InvalidOperation:
        return None
    text = format(number.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _value(definitions, attribute, raw):
    """(the value to store, its option id) for an old value; a choice value no option names becomes an option."""
    text = str(raw).strip()[:200]
    if attribute["kind"] == "choice":
        synonyms = CHOICE_SYNONYMS.get(attribute["code"], {})
        meant = synonyms.get(text.casefold()) or next((synonyms[w] for w in text.casefold().split() if w in synonyms), None)
        wanted = (meant or text).casefold()
        for code, option in attribute["options"].items():
            if wanted in option["labels"]:
                return code, option["id"]
        code = (slugify(text, max_length=40) or "option")[:40]
        if code in attribute["options"]:
            code = f"{code[:36]}-{len(attribute['options'])}"
        return definitions.add_option(attribute, code, text[:80], text[:80], len(attribute["options"]))
    if attribute["kind"] == "number":
        return _number(text, attribute["unit_id"]) or text, None
    return text, None


def _move_values():
    conn = op.get_bind()
    categories = {cid: (slug, parent) for cid, slug, parent in conn.execute(
        sa.select(category.c.id, category.c.slug, category.c.parent_id))}
    by_slug = {slug: cid for cid, (slug, _parent) in categories.items()}
    definitions = Definitions(conn)
    for slug, specs in ATTRIBUTES.items():
        if slug in by_slug:
            for position, spec in enumerate(specs):
                definitions.add_attribute(by_slug[slug], spec, position)

    def chain(category_id):
        ids = [category_id]
        while categories.get(ids[0], (None, None))[1] is not None and len(ids) < 10:
            ids.insert(0, categories[ids[0]][1])
        return ids

    def converted(category_id, values):
        out = {}
        ids = chain(category_id)
        for code, raw in (values or {}).items():
            if raw in (None, ""):
                continue
            attribute = definitions.find(ids, code)
            if attribute is None:
                names = LEGACY_NAMES.get(code, (code, code))
                top = ids[0]
                attribute = definitions.add_attribute(top, {"code": code, "name": names, "kind": "text"},
                                                      100 + len(definitions.by_category.get(top, {})))
            out[code] = (attribute["id"], *_value(definitions, attribute, raw))
        return out

    rows = conn.execute(sa.select(product.c.id, product.c.category_id, product.c.attributes)).all()
    for product_id, category_id, values in rows:
        for _code, (attribute_id, value, option_id) in converted(category_id, values).items():
            conn.execute(value_table.insert().values(product_id=product_id, attribute_id=attribute_id,
                                                     option_id=option_id, value=value))
    categories_of = {pid: cid for pid, cid, _values in rows}
    for revision_id, product_id, data in conn.execute(
            sa.select(revision_table.c.id, revision_table.c.product_id, revision_table.c.data)).all():
        if not data or not data.get("attributes"):
            continue
        category_id = data.get("category_id", categories_of.get(product_id))
        values = {code: value for code, (_aid, value, _oid) in converted(category_id, data["attributes"]).items()}
        conn.execute(revision_table.update().where(revision_table.c.id == revision_id)
                     .values(data={**data, "attributes": values}))


def _restore_json():
    conn = op.get_bind()
    values = {}
    for product_id, code, value in conn.execute(
            sa.select(value_table.c.product_id, attribute_table.c.code, value_table.c.value)
            .join(attribute_table, attribute_table.c.id == value_table.c.attribute_id)):
        values.setdefault(product_id, {})[code] = value
    for (product_id,) in conn.execute(sa.select(product.c.id)).all():
        conn.execute(product.update().where(product.c.id == product_id).values(attributes=values.get(product_id, {})))
