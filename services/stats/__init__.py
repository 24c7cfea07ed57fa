"""Statistics for merchants: figures computed by the database with aggregates."""
