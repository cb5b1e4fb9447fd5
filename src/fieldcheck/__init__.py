"""fieldcheck: field inspections and before/after evidence for old-compound renovation."""

import logging

__version__ = "0.1.0"

# Modules log to ``logging.getLogger(__name__)``; where the records go is the entry point's
# choice. Until one configures logging, nothing is printed (no "last resort" stderr lines).
logging.getLogger(__name__).addHandler(logging.NullHandler())
