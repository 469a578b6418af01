"""Migrations build the models' schema; a missing or mismatched schema says what to run."""

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from shared.engine import QueueEngine
from shared.errors import SetupError
from shared.store import schema
from shared.store.database import Database
from shared.store.models import Base


def test_the_migrations_build_exactly_the_schema_of_the_models(db_url):
    db = Database(db_url)
    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    db.dispose()


def test_upgrading_an_up_to_date_database_is_harmless(db_url):
    head = schema.head_revision(Database(db_url))
    assert schema.upgrade(db_url) == (head, head)


def test_an_empty_database_asks_for_db_upgrade(tmp_path):
    with pytest.raises(SetupError) as caught:
        QueueEngine.open(f"sqlite:///{tmp_path / 'new.db'}")
    assert "antrian db upgrade" in caught.value.message("en")


def test_a_schema_from_newer_software_asks_to_update_this_pc(db_url):
    db = Database(db_url)
    current = schema.head_revision(db)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SetupError) as caught:
        QueueEngine.open(db_url)
    assert caught.value.key == "db_schema_new"
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": current})
    db.dispose()


def test_a_schema_older_than_the_software_asks_for_db_upgrade(db_url, monkeypatch):
    current = schema.head_revision(Database(db_url))
    monkeypatch.setattr(schema, "head_revision", lambda db: "9999")  # a newer software
    with pytest.raises(SetupError) as caught:
        QueueEngine.open(db_url)
    assert caught.value.message("en") == (
        f"The database schema ({current}) is older than the software (9999): "
        "run `antrian db upgrade`"
    )


def test_upgrading_from_0001_turns_the_tracking_pattern_into_the_public_address(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    db = Database(url, create=True)
    config = schema.alembic_config(db)
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(
            text("UPDATE site SET tracking_url = 'https://antrian.example.go.id/t/{number}'")
        )
    head = schema.head_revision(db)
    db.dispose()
    assert schema.upgrade(url) == ("0001", head)
    db = Database(url)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT public_url FROM site")).scalar_one() == (
            "https://antrian.example.go.id"
        )
    db.dispose()


def test_upgrading_to_0015_fills_each_accounts_last_login_from_the_events_log(engine, clock):
    engine.add_user("sari", "rahasia123")
    engine.add_user("budi", "rahasia456")
    engine.login("sari", "rahasia123", "L1", place="pc-1")
    clock.advance(minutes=3)
    engine.logout("sari", "L1")
    engine.login("sari", "rahasia123", place="web:10.0.0.9")  # her last: the console's
    engine.login("budi", "rahasia456", "L2", place="pc-2")
    kept = {a.username: (a.last_login_at, a.last_login_counter) for a in engine.list_accounts()}
    db = Database(engine.db.url)
    config = schema.alembic_config(db)
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0014")
    db.dispose()
    assert schema.upgrade(engine.db.url)[0] == "0014"
    refilled = {a.username: (a.last_login_at, a.last_login_counter) for a in engine.list_accounts()}
    assert (
        refilled
        == kept
        == {
            "sari": (clock.now(), None),
            "budi": (clock.now(), "L2"),
        }
    )
