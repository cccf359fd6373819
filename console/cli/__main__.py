"""`python -m console.cli`: the same entry point as the `console` command."""
import sys

from console.cli.main import main

sys.exit(main())
