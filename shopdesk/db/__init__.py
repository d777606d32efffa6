"""Database: engine, typed models, unit of work and Alembic migrations."""
