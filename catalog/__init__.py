"""The catalog core shared by the web app and the indexer: store, index schema, analysis, search."""
