"""The database: models, repositories and the unit of work that applies a decision in one
transaction; encryption of everything personal at rest."""
