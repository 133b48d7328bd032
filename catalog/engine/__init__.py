"""The search engine seam."""
