"""Allow ``python -m lay_summaries``."""

import sys

from lay_summaries.cli import main

sys.exit(main())
