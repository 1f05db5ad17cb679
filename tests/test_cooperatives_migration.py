"""The cooperatives migration keeps existing data: businesses stay what they were (kind 'usaha' unless an agreement
names them as a cooperative), a free-text party naming a business becomes a link to it, every other line stays as a
note; the downgrade turns links back into lines. On SQLite and on PostgreSQL (TEST_DATABASE_URL)."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from marketplace import create_app
from marketplace.extensions import db
from tests.conftest import make_config, revision_before

BEFORE = revision_before("cf002599b9b9")  # the cooperatives migration
OURS = "cf002599b9b9"


def _existing_data(connection) -> None:
    """Rows as a database at BEFORE holds them (plain SQL: the models already have the new columns)."""
    run = lambda sql, **params: connection.execute(text(sql), params)  # noqa: E731
    for code, name, kind in (("35.74", "Probolinggo", "kota"), ("35.05", "Blitar", "kabupaten"),
                             ("35.78", "Surabaya", "kota")):
        run("INSERT INTO region (code, name, kind) VALUES (:code, :name, :kind)", code=code, name=name, kind=kind)
    run("INSERT INTO \"user\" (id, email, name, password_hash, role, region_code, locale, active, created_at, "
        "password_changed_at) VALUES (1, 'o@example.id', 'Owner', 'x', 'owner', '35.74', 'id', true, "
        "'2026-01-01 00:00:00', '2026-01-01 00:00:00')")
    for business_id, region, name in ((1, "35.74", "Kopi Siaga"), (2, "35.05", "KOPERASI  Berkah Telur"),
                                      (3, "35.74", "Batik Manggur"), (4, "35.05", "Kopi Siaga")):
        run("INSERT INTO business (id, version, owner_id, region_code, name, slug, nib, size_class, address, whatsapp, "
            "description, links, verification, verification_reason, created_at, updated_at) VALUES (:id, 1, 1, :region, "
            ":name, :slug, '1234567890123', 'mikro', 'Jl. Uji', '6281234567890', 'Deskripsi', '{}', 'verified', '', "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00')", id=business_id, region=region, name=name,
            slug=f"usaha-{business_id}")
    run("INSERT INTO agreement (id, key, title, signed_on, valid_from, description) VALUES "
        "(1, 'trade', 'Kerja sama dagang', '2025-06-17', '2025-06-17', '')")
    for party_id, region, institution in ((1, "35.74", "Koperasi Kopi Siaga"), (2, "35.05", "Koperasi Berkah Telur"),
                                          (3, "35.78", "BBSPJIKB"), (4, "35.74", None)):
        run("INSERT INTO agreement_party (id, agreement_id, region_code, institution) VALUES (:id, 1, :region, :inst)",
            id=party_id, region=region, inst=institution)


def test_upgrade_keeps_businesses_and_turns_named_parties_into_records(fresh_database_url, tmp_path):
    app = create_app(make_config(tmp_path, fresh_database_url))
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            _existing_data(connection)
        upgrade(revision=OURS)
        with db.engine.connect() as connection:
            kinds = dict(connection.execute(text("SELECT id, kind FROM business ORDER BY id")).all())
            links = connection.execute(text("SELECT agreement_id, business_id FROM agreement_party_business")).all()
            parties = connection.execute(text(
                "SELECT region_code, institution FROM agreement_party ORDER BY id")).all()
            names = dict(connection.execute(text("SELECT id, name FROM business")).all())
            empty = connection.execute(text(
                "SELECT count(*) FROM business WHERE cooperative_kind IS NOT NULL OR legal_entity_number IS NOT NULL"
            )).scalar()
        # the same name in another region is not the party: Kopi Siaga of 35.74 is linked, the one of 35.05 is not
        assert sorted(links) == [(1, 1), (1, 2)]
        assert kinds == {1: "koperasi", 2: "koperasi", 3: "usaha", 4: "usaha"}
        assert [tuple(p) for p in parties] == [("35.78", "BBSPJIKB"), ("35.74", None)]  # the note and the region stay
        assert names[2] == "KOPERASI  Berkah Telur" and empty == 0

        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            parties = connection.execute(text("SELECT region_code, institution FROM agreement_party")).all()
        assert {tuple(p) for p in parties} == {("35.78", "BBSPJIKB"), ("35.74", None), ("35.74", "Kopi Siaga"),
                                              ("35.05", "KOPERASI  Berkah Telur")}
        db.engine.dispose()
