"""A search with more matches than SEARCH_RANK_CANDIDATES ranks only its newest matches (after the filters) and lists
the rest after them, newest first: every match on exactly one page, the exact total, the same number of queries per
page. Fewer matches keep the exact ranking. Both backends (the suite's database: SQLite, or TEST_DATABASE_URL)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select
from werkzeug.datastructures import MultiDict

from marketplace.catalog import search
from marketplace.catalog.browse import Filters, browse
from marketplace.extensions import db
from marketplace.timeutil import today

PER_PAGE = 4


@pytest.fixture
def candidates(app, monkeypatch):
    """Five candidates: the suite's products are few, so the threshold is low."""
    monkeypatch.setitem(app.config, "SEARCH_RANK_CANDIDATES", 5)
    return 5


def run(**args):
    return browse(Filters.from_args(MultiDict(args)), today(), per_page=PER_PAGE)


def every_page(**args) -> tuple[list[int], int]:
    """The ids shown on every page in turn, and the total the pages said."""
    first = run(**args)
    shown = [p.id for p in first.items]
    for page in range(2, first.pages + 1):
        shown += [p.id for p in run(**args, page=str(page)).items]
    return shown, first.total


def exact_ranks(q: str) -> dict[int, float]:
    """Every match's rank as the exact search gives it (lower is better)."""
    m = search.match(q)
    return dict(db.session.execute(select(m.c.product_id, m.c.rank)).all())


def expected_order(q: str, ids: list[int], candidates: int) -> list[int]:
    """The rule: the newest `candidates` of ids ranked best first (ties newest first), then the others newest first."""
    ranks = exact_ranks(q)
    newest = sorted(ids, reverse=True)
    ranked = sorted(newest[:candidates], key=lambda i: (ranks[i], -i))
    return ranked + newest[candidates:]


@pytest.fixture
def coffee(make_business, make_product):
    """Twelve public products matching "kopi": two with it in their name (ranked above the ten that have it only in
    their description): the oldest of all (the best match: its name is shorter) and one among the five newest."""
    shop = make_business(name="Sari Arum")
    made = []
    for i in range(12):
        name = {0: "Kopi Dampit", 8: "Kopi Luwak Arjuno Asli Lereng Gunung"}.get(i, f"Bubuk Seduh {i}")
        made.append(make_product(shop, status="published", name=name, category="kopi",
                                 description=f"Bubuk kopi pilihan nomor {i}."))
    return made


def test_many_matches_rank_the_newest_candidates_then_list_the_rest(candidates, coffee):
    ids = [p.id for p in coffee]
    shown, total = every_page(q="kopi")
    assert total == 12
    assert sorted(shown) == sorted(ids)  # every match exactly once, across the page that mixes both parts too
    assert shown == expected_order("kopi", ids, candidates)
    assert shown[0] == coffee[8].id  # the best of the candidates first
    assert shown[-1] == coffee[0].id  # the best match of all, but the oldest: not a candidate, so last
    assert shown[5:] == sorted(ids, reverse=True)[5:]


def test_few_matches_keep_the_exact_ranking(app, candidates, coffee, monkeypatch):
    ranks = exact_ranks("kopi")
    exact = sorted(ranks, key=lambda i: (ranks[i], -i))
    monkeypatch.setitem(app.config, "SEARCH_RANK_CANDIDATES", 12)  # as many as the matches: not "more than"
    shown, total = every_page(q="kopi")
    assert (shown, total) == (exact, 12)
    assert shown[0] == coffee[0].id
    monkeypatch.setitem(app.config, "SEARCH_RANK_CANDIDATES", 0)  # 0 turns it off
    assert every_page(q="kopi") == (exact, 12)


def test_candidates_are_taken_after_the_filters(candidates, make_business, make_product):
    kota = make_business(region="35.74", name="Sari Arum")
    blitar = make_business(region="35.05", name="Kopi Penataran")
    here = [make_product(kota, status="published", name="Kopi Robusta Dampit" if i == 0 else f"Bubuk Seduh {i}",
                         category="kopi", description=f"Bubuk kopi pilihan nomor {i}.") for i in range(7)]
    # newer matches of another region: taken before the filter, they would push the region's own out of the ranking
    for i in range(3):
        make_product(blitar, status="published", name=f"Kopi Luwak {i}", category="kopi", description="Bubuk kopi.")
    ids = [p.id for p in here]
    shown, total = every_page(q="kopi", region="35.74")
    assert total == 7
    assert sorted(shown) == sorted(ids)
    assert shown == expected_order("kopi", ids, candidates)
    assert shown[5:] == [here[1].id, here[0].id]  # the two oldest of the region after its five ranked candidates
    # the other filters too: a category and a price
    shown, total = every_page(q="kopi", region="35.74", category="kopi", max_price="150000")
    assert (sorted(shown), total) == (sorted(ids), 7)


def test_other_orders_of_a_search_are_unchanged(candidates, coffee):
    newest, _ = every_page(q="kopi", sort="newest")
    assert newest == sorted((p.id for p in coffee), reverse=True)  # published in order, so newest = highest id


def test_query_count_is_the_same_on_every_page(app, candidates, coffee, monkeypatch):
    monkeypatch.setitem(app.config, "CATALOGUE_PAGE_CACHE", False)  # the page's own queries, not the cached body

    def statements(**args) -> int:
        executed = []
        listener = lambda *a: executed.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            result = run(**args)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert result.items
        return len(executed)

    statements(q="kopi")  # the counts, cached for the catalogue's generation
    ranked, mixed, rest = (statements(q="kopi", page=str(page)) for page in (1, 2, 3))
    monkeypatch.setitem(app.config, "SEARCH_RANK_CANDIDATES", 0)
    exact = statements(q="kopi")
    assert ranked == mixed == rest == exact


def test_postgresql_plans_every_query_for_its_values(app):
    """psycopg's server-side prepared statements are off: after five runs PostgreSQL would switch a search to a
    generic plan, made without knowing its words (seen: 50 ms to 0.7-2 s a page at a million products)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("psycopg's prepared statements are PostgreSQL's")
    raw = db.engine.raw_connection()
    try:
        assert raw.driver_connection.prepare_threshold is None
    finally:
        raw.close()


def test_sqlite_ranks_the_candidates_in_one_fts5_scan(make_product):
    """SQLite would hand `rowid IN (candidates)` to FTS5 as a rowid constraint and run the MATCH once per candidate
    (50 times slower at 12,000 matches); the ranking must scan the MATCH once and test the ids after."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("FTS5 is SQLite's")
    make_product(status="published", name="Kopi Dampit", category="kopi")
    m = search.match("kopi", ranked=False, document=True)
    candidates = select(m.c.product_id.label("id"), m.c.document).limit(5).cte("candidates")
    compiled = search.rank("kopi", candidates).compile(db.engine)
    raw = db.session.connection().connection.driver_connection
    plan = [row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + str(compiled),
                                          [compiled.params[name] for name in compiled.positiontup])]
    scans = [line for line in plan if "VIRTUAL TABLE INDEX" in line]
    assert scans and not [line for line in scans if ":=" in line], plan  # "0:=M4" would be a rowid lookup
    assert db.session.execute(search.rank("kopi", candidates)).all()
