"""Entry point of the frozen application: the same `console` command as the installed package."""
import sys

from console.cli import main

if __name__ == "__main__":
    sys.exit(main())
