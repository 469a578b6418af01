"""Alembic migrations, shipped inside the package (see shared.store.schema)."""
