"""`python -m indexer` runs the `catalog` command without the installed script."""

from indexer.cli import main

main()
