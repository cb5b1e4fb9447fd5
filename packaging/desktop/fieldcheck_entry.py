"""The bundle's entry script: the same program as the ``fieldcheck`` command."""

import sys

from fieldcheck.launcher import main

if __name__ == "__main__":
    sys.exit(main())
