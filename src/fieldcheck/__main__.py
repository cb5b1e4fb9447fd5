"""``python -m fieldcheck``: the same program as the ``fieldcheck`` command."""

import sys

from fieldcheck.launcher import main

sys.exit(main())
