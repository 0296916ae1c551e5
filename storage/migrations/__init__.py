"""Alembic migrations; storage.migrate runs them (no alembic.ini needed)."""
