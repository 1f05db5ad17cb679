"""Flask commands; each calls a service, never duplicates one."""

import click
from flask import Flask
from flask.cli import AppGroup

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Role
from marketplace.domain import DomainError
from marketplace.unit_of_work import transactional, unit_of_work

users = AppGroup("users", help="Manage accounts.")


@users.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--region", "region_code", help="Kemendagri code, e.g. 35.74 (required for moderators).")
@click.option("--name", default=None, help="Display name (default: the part of the email before @).")
@transactional
def create_user_command(email, password, role, region_code, name):
    """Create an account with the given role."""
    try:
        user = accounts.create_user(
            email=email, password=password, name=name or email.split("@")[0], role=Role(role), region_code=region_code
        )
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    click.echo(f"Created {user.role.value} {user.email}" + (f" for region {user.region_code}" if user.region_code else ""))


@users.command("deactivate")
@click.option("--email", required=True)
@transactional
def deactivate_user_command(email):
    """Deactivate an account and end all of its sessions."""
    user = accounts.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with email {email}")
    accounts.deactivate_user(user)
    click.echo(f"Deactivated {user.email}")


@click.command("seed-reference")
@transactional
def seed_reference_command():
    """Load regions, agreements and categories (idempotent)."""
    from marketplace.seeding import seed_reference

    counts = seed_reference()
    click.echo("Reference data: " + ", ".join(f"{n} {what} added" for what, n in counts.items()))


@click.command("seed-demo")
def seed_demo_command():
    """Load reference data plus demo accounts, businesses and products (idempotent)."""
    from marketplace.jobs import jobs
    from marketplace.seeding import DEMO_PASSWORD, seed_demo

    with unit_of_work():
        accounts_made = seed_demo()
    jobs().run_pending()  # the photos' larger renditions (queued by the commit), now: the demo is complete before the site starts
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for email, role, region in accounts_made:
        click.echo(f"  {role:<9} {email}" + (f"  (region {region})" if region else ""))


@click.command("prune-uploads")
@click.option("--hours", default=24, show_default=True, help="Age after which an unattached upload is deleted.")
@transactional
def prune_uploads_command(hours):
    """Delete photos uploaded with a product form that was never completed."""
    from datetime import timedelta

    from marketplace.media.services import prune_orphan_files, prune_staged

    orphans = prune_orphan_files(timedelta(hours=hours))  # first: the files of the abandoned uploads are not counted twice
    click.echo(f"Deleted {prune_staged(timedelta(hours=hours))} unattached uploads and {orphans} files no row refers to")


@click.command("jobs")
@click.option("--workers", default=2, show_default=True, help="Threads running jobs.")
@click.option("--drain", is_flag=True, help="Run the jobs queued now, then stop (no periodic jobs).")
def jobs_command(workers, drain):
    """Run the background worker: renditions, mail and the nightly clean-up (JOBS_URL says where the queue is)."""
    import logging

    from marketplace.jobs import jobs

    queue = jobs()
    if drain:
        click.echo(f"Ran {queue.run_pending()} jobs")
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    click.echo(f"Worker for {queue.url} with {workers} threads; Ctrl-C stops it")
    queue.huey.create_consumer(workers=workers, worker_type="thread", periodic=True).run()


@click.command("bench-data")
@click.option("--products", default=50_000, show_default=True)
@click.option("--businesses", default=5_000, show_default=True)
def bench_data_command(products, businesses):
    """Fill the database with generated businesses and published products, for benchmarks, and index them.

    Three units of work: the reference data first (new categories in the same transaction as the products would
    make the search listener reindex every product one by one at commit), the bulk rows, then one bulk rebuild of
    the search index."""
    import time

    from marketplace.catalog import search
    from marketplace.demo.bench import generate
    from marketplace.seeding import seed_reference

    started = time.perf_counter()
    with unit_of_work():
        seed_reference()
    with unit_of_work():
        generate(products, businesses)
    click.echo(f"Added {businesses} businesses and {products} products in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    with unit_of_work():
        indexed = search.rebuild()
    click.echo(f"Indexed {indexed} public products in {time.perf_counter() - started:.0f} s")


@click.command("reports-rebuild-summaries")
def reports_rebuild_summaries_command():
    """Count the reports' summary tables again from the inquiries and the audit log (one unit of work).

    The services keep them up to date; this is for rows written straight (bench data) or after a repair."""
    from marketplace.reports import summaries

    with unit_of_work():
        counts = summaries.rebuild()
    click.echo(", ".join(f"{table}: {rows} rows" for table, rows in counts.items()))


def register(app: Flask) -> None:
    from marketplace.catalog import search
    from marketplace.coach import cli as coach_cli
    from marketplace.staples import cli as staples_cli

    search.register_cli(app)
    coach_cli.register_cli(app)
    staples_cli.register_cli(app)
    app.cli.add_command(users)
    app.cli.add_command(seed_reference_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(prune_uploads_command)
    app.cli.add_command(jobs_command)
    app.cli.add_command(bench_data_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(check_config_command)
    app.cli.add_command(reports_rebuild_summaries_command)


@click.command("backup")
@click.option("--output", type=click.Path(dir_okay=True),
              help="Archive file, or a folder for backup-<UTC time>.tar.gz (default: instance/backups/).")
def backup_command(output):
    """Write the database and every uploaded file into one .tar.gz archive."""
    from flask import current_app

    from marketplace.ops.backup import BackupError, check_archive, create_backup

    app = current_app._get_current_object()
    try:
        path = create_backup(app, output)
        manifest = check_archive(app, path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Wrote {path} ({path.stat().st_size} bytes): {manifest.dialect} database at revision "
               f"{manifest.alembic_revision}, {len(manifest.files)} uploaded files")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Really replace the database and the uploaded files.")
def restore_command(archive, yes):
    """Replace the database and the uploaded files with those of a backup archive (stop the app first)."""
    from flask import current_app

    from marketplace.extensions import db
    from marketplace.ops.backup import BackupError, check_archive, restore_backup
    from marketplace.ops.databases import code_heads

    app = current_app._get_current_object()
    try:
        manifest = check_archive(app, archive)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    files = app.extensions["storage"]
    present = sum(1 for _ in files.names())
    click.echo(f"Archive {archive}: made {manifest.created_at}, {manifest.dialect} database at revision "
               f"{manifest.alembic_revision}, {len(manifest.files)} files ({manifest.uploads_size} bytes).")
    click.echo(f"This replaces the whole database {db.engine.url.render_as_string(hide_password=True)}")
    click.echo(f"and every file in the {files.describe()} ({present} files now).")
    if not yes:
        raise click.ClickException("Nothing was changed: run again with --yes to restore.")
    try:
        restore_backup(app, archive)
    except BackupError as error:
        raise click.ClickException(f"{error}\nNothing was restored.") from error
    click.echo("Restored.")
    heads = code_heads(app)
    if (manifest.alembic_revision,) != heads:
        click.echo(f"The archive's schema is at revision {manifest.alembic_revision}, this code's at "
                   f"{', '.join(heads)}: run `flask --app wsgi db upgrade`.")


@click.command("check-config")
@click.option("--env", "app_env", default=None, show_default="APP_ENV, else development",
              metavar="development|testing|production", help="Check for this environment (default: APP_ENV, like the app).")
def check_config_command(app_env):
    """Report what is missing or unsafe for production; exit status 1 if anything FAILs."""
    from flask import current_app

    from config import CONFIGS
    from config import app_env as configured_env
    from marketplace.ops.checks import FAIL, run_checks

    app_env = app_env or configured_env()
    if app_env not in CONFIGS:
        raise click.BadParameter(f"{app_env!r} is not one of {', '.join(CONFIGS)}", param_hint="--env")

    findings = run_checks(current_app._get_current_object(), production=app_env == "production")
    for level, message in findings:
        click.echo(f"{level:<4} {message}")
    if any(level == FAIL for level, _message in findings):
        click.get_current_context().exit(1)
