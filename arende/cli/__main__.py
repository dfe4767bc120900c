"""`python -m arende.cli`: the command line in this process (no command agent)."""

import sys

from arende.cli import main

sys.exit(main())
