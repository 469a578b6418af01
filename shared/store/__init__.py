"""The database: SQLAlchemy 2 models, connections tuned per dialect, and migrations."""
