"""Index generations: immutable, checked folders, one of them live, swapped atomically."""
