"""The Whoosh engine: schema, tokenizer adapter, writer, item ranking, moments and facets."""
