"""Everything that pulls from sources and writes the catalog and its index."""
