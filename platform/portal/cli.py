"""``flask`` commands: database migrations, users and moderators, seed data, configuration help."""

from __future__ import annotations

import getpass
import secrets

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from portal.accounts.auth import account_service
from portal.config import SETTINGS
from portal.database import utcnow
from portal.extensions import db
from portal.i18n.catalogs import translations_cli
from portal.listings.cli import listings_cli
from portal.matching import cli as _matching_cli  # noqa: F401 - adds "listings match"
from portal.matching.store import refresh_all, store_all_analyses
from portal.migrations import alembic_config
from portal.moderation import cli as _moderation_cli  # noqa: F401 - adds "listings expire"
from portal.notifications.cli import notifications_cli
from portal.paths import seed_loader
from portal.search.index import rebuild_index
from portal.subjects.cli import thesaurus_cli
from portal.subjects.services import SHIPPED_THESAURUS, annotate_all, load_file
from portal.taxonomy.models import Center
from portal.users.models import Role, User, normalize_email
from portal.users.roles import grant_moderation, revoke_moderation
from portal.worker.cli import worker_command

db_cli = AppGroup("db", help="Database migrations (Alembic).")
users_cli = AppGroup("users", help="Manage user accounts.")
moderators_cli = AppGroup("moderators", help="Grant or revoke moderation of centers.")


def _migrate(direction: str, revision: str) -> None:
    """Run Alembic's upgrade or downgrade, saying which migrations ran (one line each)."""
    from alembic import command

    config = alembic_config(current_app)
    steps = []

    def report(*, step, **_) -> None:  # noqa: ANN001
        steps.append(step)
        verb = "applied" if step.is_upgrade else "reverted"
        click.echo(f"{verb} {step.up_revision_id}: {step.up_revision.doc}")

    config.attributes["on_version_apply"] = report
    getattr(command, direction)(config, revision)
    if not steps:
        click.echo(f"no migration to run: the database is already at {revision}")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    _migrate("upgrade", revision)


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Revert migrations down to REVISION."""
    _migrate("downgrade", revision)


@db_cli.command("current")
def db_current() -> None:
    from alembic import command

    command.current(alembic_config(current_app), verbose=True)


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--autogenerate/--empty", default=True)
def db_revision(message: str, autogenerate: bool) -> None:
    """Write a new migration; review it before committing."""
    import logging

    from alembic import command

    if not current_app.config["PORTAL_LOG_LEVEL"]:
        logging.getLogger("alembic.autogenerate").setLevel(logging.INFO)  # "Detected added column …"
    command.revision(alembic_config(current_app), message=message, autogenerate=autogenerate)


@db_cli.command("check")
def db_check() -> None:
    """Fail when the models and the migrations differ."""
    from alembic import command

    command.check(alembic_config(current_app))


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        raise click.ClickException(f"No user with email {email}")
    return user


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="Administrator")
@click.option("--password", help="Prompted for when omitted; use - to generate one.")
def create_admin(email: str, name: str, password: str | None) -> None:
    """Create an administrator (or promote an existing account)."""

    service = account_service()
    existing = service.find_by_email(email)
    if existing is not None:
        existing.role = Role.ADMIN
        db.session.commit()
        click.echo(f"{existing.email} is now an administrator.")
        return
    if password == "-":
        password = secrets.token_urlsafe(12)
        click.echo(f"Generated password: {password}")
    elif password is None:
        password = getpass.getpass("Password: ")
    if len(password) < 10:
        raise click.ClickException("The password needs at least 10 characters.")
    user = User(email=normalize_email(email), password_hash=service.hash_password(password),
                display_name=name, role=Role.ADMIN, email_confirmed_at=utcnow())
    db.session.add(user)
    db.session.commit()
    click.echo(f"Administrator {user.email} created.")


def _centers(slugs: tuple[str, ...]) -> list[Center]:
    centers = db.session.scalars(select(Center).where(Center.slug.in_(slugs))).all()
    missing = set(slugs) - {c.slug for c in centers}
    if missing:
        known = ", ".join(db.session.scalars(select(Center.slug).order_by(Center.position)))
        raise click.ClickException(f"Unknown center(s): {', '.join(sorted(missing))}. Known: {known}")
    return list(centers)


@moderators_cli.command("grant")
@click.argument("email")
@click.argument("centers", nargs=-1, required=True)
def grant_moderator(email: str, centers: tuple[str, ...]) -> None:
    """Let EMAIL moderate the CENTERS (slugs)."""

    user = _user(email)
    grant_moderation(user, _centers(centers))
    db.session.commit()
    click.echo(f"{user.email} moderates: {', '.join(c.slug for c in user.moderated_centers)}")


@moderators_cli.command("revoke")
@click.argument("email")
@click.argument("centers", nargs=-1)
@click.option("--all", "revoke_all", is_flag=True, help="Revoke every center.")
def revoke_moderator(email: str, centers: tuple[str, ...], revoke_all: bool) -> None:
    """Stop EMAIL moderating CENTERS (or --all)."""

    user = _user(email)
    if not centers and not revoke_all:
        raise click.ClickException("Name the centers, or pass --all.")
    revoke_moderation(user, list(user.moderated_centers) if revoke_all else _centers(centers))
    db.session.commit()
    remaining = ", ".join(c.slug for c in user.moderated_centers) or "nothing"
    click.echo(f"{user.email} moderates: {remaining}")


@click.command("seed")
@click.option("--quiet", is_flag=True)
def seed_command(quiet: bool) -> None:
    """Load the demo data from seed/ (idempotent: run it as often as you like)."""


    load_file(db.session, SHIPPED_THESAURUS)
    report = seed_loader().load_seed(db.session, current_app)
    annotate_all(db.session)
    rebuild_index(db.session)
    store_all_analyses(db.session)
    refresh_all(db.session)
    db.session.commit()
    if not quiet:
        click.echo(report.describe())


@click.command("reindex")
def reindex_command() -> None:
    """Rebuild the search index of every listing (after a bulk change made outside the portal)."""

    count = rebuild_index(db.session)
    db.session.commit()
    click.echo(f"indexed {count} listings")


@click.command("config-help")
def config_help() -> None:
    """Print every configuration variable with its default."""
    for setting in SETTINGS:
        click.echo(f"{setting.name} (default: {setting.default!r})\n    {setting.help}")


def init_app(app: Flask) -> None:
    for command in (db_cli, users_cli, moderators_cli, seed_command, reindex_command, config_help,
                    translations_cli, listings_cli, notifications_cli, thesaurus_cli, worker_command):
        app.cli.add_command(command)
