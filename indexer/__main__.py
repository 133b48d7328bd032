"""`python -m indexer` runs the `catalog` command without the installed script."""

from indexer.cli import main

if __name__ == "__main__":  # a full build's second process imports this module again
    main()
