"""`flask staples-rebuild-matches`: the stored matches from scratch (after this feature's upgrade, a bulk import or a
restore; every other change keeps them in step by itself, staples/match_store.py)."""

import click
from flask import Flask

from marketplace.unit_of_work import transactional


@click.command("staples-rebuild-matches")
@transactional
def rebuild_matches_command() -> None:
    """Rebuild the stored table of current staples matches."""
    from marketplace.staples.match_store import rebuild

    click.echo(f"Stored {rebuild()} current staples matches")


def register_cli(app: Flask) -> None:
    app.cli.add_command(rebuild_matches_command)
