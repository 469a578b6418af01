"""Create or upgrade the schema with the packaged Alembic migrations, and refuse a mismatch."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from shared.errors import SetupError
from shared.store.database import Database, plain_errors


def _scripts_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("shared.store") / "migrations"))
    return config


def alembic_config(db: Database) -> Config:
    config = _scripts_config()
    config.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return config


def head_revision(db: Database) -> str:
    head = ScriptDirectory.from_config(alembic_config(db)).get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(url: str | None) -> tuple[str | None, str]:
    """Bring the database's schema to the newest revision; returns (before, after)."""
    db = Database(url, create=True)
    try:
        config = alembic_config(db)
        with plain_errors(db.sqlite_file):
            with db.engine.connect() as conn:
                before = current_revision(conn)
            if before is not None and before not in known_revisions():
                raise SetupError("db_schema_new", found=before, expected=head_revision(db))
            with db.engine.begin() as conn:
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
        return before, head_revision(db)
    finally:
        db.dispose()


def known_revisions() -> set[str]:
    scripts = ScriptDirectory.from_config(_scripts_config())
    return {revision.revision for revision in scripts.walk_revisions()}


def check(db: Database) -> None:
    """Stop with a message saying what to run when the schema is missing, older or newer."""
    expected = head_revision(db)
    with db.read() as conn:
        found = current_revision(conn)
    if found == expected:
        return
    if found is None:
        raise SetupError("db_not_initialised")
    if found in known_revisions():
        raise SetupError("db_schema_old", found=found, expected=expected)
    raise SetupError("db_schema_new", found=found, expected=expected)
