"""`flask coach ...`: measure old photos' hints, write today's dormancy totals now (the job does it nightly)."""

import click
from flask import Flask
from flask.cli import AppGroup

from marketplace.coach import services
from marketplace.models_base import utcnow
from marketplace.unit_of_work import transactional

coach = AppGroup("coach", help="The listing coach.")


@coach.command("backfill-photo-hints")
@click.option("--limit", default=500, show_default=True, help="Photos per run.")
@transactional
def backfill_photo_hints_command(limit):
    """Measure brightness and sharpness of photos uploaded before the coach existed."""
    click.echo(f"Measured {services.backfill_photo_hints(limit)} photos")


@coach.command("snapshot-dormancy")
@transactional
def snapshot_dormancy_command():
    """Write today's active and dormant totals of every region."""
    click.echo(f"Wrote the totals of {services.take_snapshots(utcnow())} regions")


def register_cli(app: Flask) -> None:
    app.cli.add_command(coach)
