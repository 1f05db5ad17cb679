"""Schemathesis against the generated OpenAPI document, in-process (WSGI): its whole run (examples, coverage,
fuzzing and stateful phases, every check) with a bounded number of examples per operation. No input gives a 5xx and
every answer (status, content type, body, headers) matches the document. .ci/run runs the CLI the same way against
the demo site over HTTP."""

from datetime import timedelta

import pytest
import schemathesis
from schemathesis.engine import Status, events

from marketplace.accounts.models import Role
from marketplace.extensions import db
from marketplace.regions.models import Agreement
from marketplace.showcases import services as showcases
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work

EXAMPLES = 10  # per operation and phase: bounded so the run takes seconds on SQLite and PostgreSQL


@pytest.fixture
def catalogue(app, make_user, make_business, make_product, monkeypatch):
    """Products in two regions and one live showcase holding them, so that lists and facets are not empty."""
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "100000 per minute")  # the limit's own test: test_api_contract
    kota = make_product(status="published", name="Batik Tulis Manggur", price_max=450000)
    blitar = make_product(business=make_business(region="35.05", name="Telur Blitar"), status="published",
                          name="Telur Ayam Ras", category="telur", unit="kg")
    host = make_user(role=Role.MODERATOR, region="35.74", email="host@example.id")
    with unit_of_work():
        agreement = db.session.scalar(db.select(Agreement).where(Agreement.key == "mou-kota-probolinggo-kab-blitar-2025"))
        showcase = showcases.create_showcase(host, agreement=agreement, host_region_code="35.74", title="Etalase Sekartaji",
                                             on=today(), published=True, starts_on=today() - timedelta(days=1))
        for product in (kota, blitar):
            showcases.add_product(host, showcase, product, today())


def run_schemathesis(app) -> tuple[list[str], set[str]]:
    """Schemathesis' engine over the app in-process, as the CLI runs it: the failures found (each with its curl
    command) and the operations tested."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    schema.config.generation.update(max_examples=EXAMPLES, deterministic=True, database="none")
    schema.config.checks.update(included_check_names=["all"])
    # The test client inflates nothing: ask for the body as it is (compression is tested in test_page_delivery.py)
    schema.config.update(headers={"Accept-Encoding": "identity"}, workers=1)
    failures, tested = [], set()
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            if event.label and event.status is not Status.SKIP:
                tested.add(event.label)
            for checks in event.recorder.checks.values():
                failures += [f"{check.name}: {check.failure_info.failure.title}\n{check.failure_info.code_sample}"
                             for check in checks if check.failure_info]
            if event.status is Status.ERROR:
                failures.append(f"error in {event.label} ({event.phase})")
        elif isinstance(event, events.NonFatalError | events.FatalError):
            failures.append(repr(event))
    return failures, tested


def test_no_input_gives_a_5xx_and_every_answer_matches_the_document(app, catalogue):
    failures, tested = run_schemathesis(app)
    assert failures == []
    assert {"GET /api/v1/products", "GET /api/v1/products/{product_id}", "GET /api/v1/showcases",
            "GET /api/v1/showcases/{slug}", "GET /api/v1/regions", "GET /api/v1/staples/commodities",
            "GET /api/v1/staples/posts", "GET /api/v1/events", "GET /api/v1/events/{slug}"} <= tested
