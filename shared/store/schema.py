"""Create or upgrade the schema with the packaged Alembic migrations, and refuse a mismatch."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from shared.errors import SetupError
from shared.store.database import Database


def alembic_config(db: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("shared.store") / "migrations"))
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
    db = Database(url)
    try:
        config = alembic_config(db)
        with db.engine.connect() as conn:
            before = current_revision(conn)
        with db.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        return before, head_revision(db)
    finally:
        db.dispose()


def check(db: Database) -> None:
    """Stop with a message saying what to run when the schema is missing, older or newer."""
    expected = head_revision(db)
    with db.read() as conn:
        found = current_revision(conn)
    if found == expected:
        return
    if found is None:
        raise SetupError("db_not_initialised")
    known = {
        rev.revision for rev in ScriptDirectory.from_config(alembic_config(db)).walk_revisions()
    }
    if found in known:
        raise SetupError("db_schema_old", found=found, expected=expected)
    raise SetupError("db_schema_new", found=found, expected=expected)
