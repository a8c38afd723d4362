"""Command line: `framsteg db upgrade`, `seed demo`, `user create`, `token create`, `backup`, `restore`, `trash`,
`serve`."""

from pathlib import Path
from typing import Annotated

import typer
from alembic import command
from alembic.config import Config

from app.core.config import ROOT_DIR, get_settings
from app.core.db import get_engine, session_scope
from app.services import users as user_service
from app.services.errors import Conflict, InvalidInput

cli = typer.Typer(help="Framsteg: tracker for improvement work.", no_args_is_help=True)
db_cli = typer.Typer(help="Database schema.", no_args_is_help=True)
seed_cli = typer.Typer(help="Demo and test data.", no_args_is_help=True)
user_cli = typer.Typer(help="User accounts.", no_args_is_help=True)
token_cli = typer.Typer(help="Personal API tokens.", no_args_is_help=True)
trash_cli = typer.Typer(help="Deleted items (the trash).", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(seed_cli, name="seed")
cli.add_typer(user_cli, name="user")
cli.add_typer(token_cli, name="token")
cli.add_typer(trash_cli, name="trash")


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(ROOT_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT_DIR / "migrations"))
    if url:
        config.attributes["url"] = url
    return config


def _fail(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code=1)


@db_cli.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Migrate the database named by FRAMSTEG_DATABASE_URL to the latest schema."""
    command.upgrade(alembic_config(get_settings().database_url), revision)
    typer.echo("Database is up to date.")


@seed_cli.command("demo")
def seed_demo() -> None:
    """Load the demo programme and demo accounts (safe to run again: nothing is duplicated)."""
    from seed.demo import DEMO_PASSWORD, load_demo

    with session_scope() as db:
        summary = load_demo(db)
    typer.echo(summary)
    typer.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    from seed.demo import demo_logins

    for role, email in demo_logins():
        typer.echo(f"  {role:<12} {email}")


@user_cli.command("create")
def user_create(
    email: Annotated[str, typer.Option(help="Email address (login).")],
    name: Annotated[str, typer.Option(help="Full name.")],
    password: Annotated[str, typer.Option(help="Password (at least 10 characters).")],
    admin: Annotated[bool, typer.Option("--admin", help="Make the user an administrator.")] = False,
) -> None:
    """Create a user."""
    try:
        with session_scope() as db:
            user = user_service.create_user(db, email=email, name=name, password=password, admin=admin)
            typer.echo(f"Created user {user.email} (id {user.id}){' as admin' if admin else ''}.")
    except (InvalidInput, Conflict) as exc:
        _fail(exc.message)


@token_cli.command("create")
def token_create(
    email: Annotated[str, typer.Option(help="Email of the token's owner.")],
    name: Annotated[str, typer.Option(help="A name to recognise the token by.")],
) -> None:
    """Create a personal API token; the token is printed alone on the last line."""
    from app.auth.sessions import create_api_token

    with session_scope() as db:
        user = user_service.get_by_email(db, email)
        if user is None:
            _fail(f"no user with email {email}")
            return
        _token, plain = create_api_token(db, user, name)
    typer.echo(f"Token for {email} ({name}); store it now, it is not shown again:")
    typer.echo(plain)


@cli.command("backup")
def backup(
    path: Annotated[Path, typer.Argument(help="The backup file to write (a zip file).")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite PATH if it exists.")] = False,
) -> None:
    """Write a consistent snapshot of the whole database to PATH (portable between SQLite and PostgreSQL)."""
    from app.services import backup as backups

    try:
        result = backups.backup(get_engine(), path, overwrite=force)
    except backups.BackupError as exc:
        _fail(exc.message)
        return
    manifest = result.manifest
    typer.echo(
        f"Backed up {manifest.total_rows} rows in {len(manifest.tables)} tables (schema {manifest.schema_revision}) "
        f"to {result.path} ({result.bytes / 1024:.0f} KiB, {result.seconds:.1f} s)."
    )


@cli.command("restore")
def restore(path: Annotated[Path, typer.Argument(help="A file written by `framsteg backup`.")]) -> None:
    """Load a backup into the empty database named by FRAMSTEG_DATABASE_URL (run `db upgrade` on it first)."""
    from app.services import backup as backups

    try:
        result = backups.restore(get_engine(), path)
    except backups.BackupError as exc:
        _fail(exc.message)
        return
    manifest = result.manifest
    typer.echo(
        f"Restored {manifest.total_rows} rows in {len(manifest.tables)} tables from {path} "
        f"(backup of {manifest.created_at:%Y-%m-%d %H:%M} UTC, {result.seconds:.1f} s)."
    )


@trash_cli.command("purge")
def trash_purge(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count what would be removed.")] = False,
) -> None:
    """Remove for good what was deleted more than 30 days ago (run it daily, e.g. from cron)."""
    from app.services import trash

    with session_scope() as db:
        counts = trash.purge(db, dry_run=dry_run)
    summary = ", ".join(f"{n} {kind.value}" for kind, n in counts.items())
    typer.echo(f"{'Would remove' if dry_run else 'Removed'} (deleted over {trash.RETENTION_DAYS} days ago): {summary}.")


WORKER_HEALTHCHECK_SECONDS = 60


@cli.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Number of worker processes.")] = 1,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development).")] = False,
) -> None:
    """Serve the web app and the API with uvicorn."""
    import uvicorn

    settings = get_settings()
    if settings.is_sqlite:
        Path(settings.database_url.split("///", 1)[-1]).parent.mkdir(parents=True, exist_ok=True)
    get_engine().dispose()
    uvicorn.run(
        "app.main:create_server_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
        timeout_graceful_shutdown=30,
        # uvicorn's default of 5 s kills a worker that is still importing the app (about 2 s of CPU each) when
        # several start at once on a small or busy machine; the replacement is killed the same way, forever.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
        log_level="info",
    )


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
