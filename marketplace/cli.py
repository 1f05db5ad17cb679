"""Flask commands; each calls a service, never duplicates one."""

import click
from flask import Flask
from flask.cli import AppGroup

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Role

users = AppGroup("users", help="Manage accounts.")


@users.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--region", "region_code", help="Kemendagri code, e.g. 35.74 (required for moderators).")
@click.option("--name", default=None, help="Display name (default: the part of the email before @).")
def create_user_command(email, password, role, region_code, name):
    """Create an account with the given role."""
    try:
        user = accounts.create_user(
            email=email, password=password, name=name or email.split("@")[0], role=Role(role), region_code=region_code
        )
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role.value} {user.email}" + (f" for region {user.region_code}" if user.region_code else ""))


@users.command("deactivate")
@click.option("--email", required=True)
def deactivate_user_command(email):
    """Deactivate an account and end all of its sessions."""
    user = accounts.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with email {email}")
    accounts.deactivate_user(user)
    click.echo(f"Deactivated {user.email}")


@click.command("seed-reference")
def seed_reference_command():
    """Load regions, agreements and categories (idempotent)."""
    from marketplace.seeding import seed_reference

    counts = seed_reference()
    click.echo("Reference data: " + ", ".join(f"{n} {what} added" for what, n in counts.items()))


@click.command("seed-demo")
def seed_demo_command():
    """Load reference data plus demo accounts, businesses and products (idempotent)."""
    from marketplace.seeding import DEMO_PASSWORD, seed_demo

    accounts_made = seed_demo()
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for email, role, region in accounts_made:
        click.echo(f"  {role:<9} {email}" + (f"  (region {region})" if region else ""))


@click.command("prune-uploads")
@click.option("--hours", default=24, show_default=True, help="Age after which an unattached upload is deleted.")
def prune_uploads_command(hours):
    """Delete photos uploaded with a product form that was never completed."""
    from datetime import timedelta

    from marketplace.media.services import prune_staged

    click.echo(f"Deleted {prune_staged(timedelta(hours=hours))} unattached uploads")


@click.command("bench-data")
@click.option("--products", default=50_000, show_default=True)
@click.option("--businesses", default=5_000, show_default=True)
def bench_data_command(products, businesses):
    """Fill the database with generated businesses and published products, for benchmarks."""
    from marketplace.demo.bench import generate
    from marketplace.seeding import seed_reference

    seed_reference()
    generate(products, businesses)
    click.echo(f"Added {businesses} businesses and {products} products")


def register(app: Flask) -> None:
    from marketplace import search

    search.register_cli(app)
    app.cli.add_command(users)
    app.cli.add_command(seed_reference_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(prune_uploads_command)
    app.cli.add_command(bench_data_command)
