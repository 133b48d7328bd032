"""The catalog's SQLite record: items, segments and chapters as plain models, the schema's
migrations, and the record of nightly runs. The indexer writes it; everything else reads it."""
