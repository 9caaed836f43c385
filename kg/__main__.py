"""``python -m kg``: the same as the ``kg`` command."""

from kg.cli import main

if __name__ == "__main__":  # worker processes re-import this module; they must not run the CLI
    main()
