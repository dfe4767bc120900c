"""The pure rules: no SQLAlchemy, no Prefect; unit-tested in milliseconds."""
