"""`python -m indexer` runs the `catalog` command without the installed script."""

from indexer.cli import main

if __name__ == "__main__":  # importing the module (a test, a spawned process) must not run the CLI
    main()
