"""`python -m workbook_helpers` runs the `workbook` command line."""

from .cli import main

if __name__ == "__main__":
    main()
