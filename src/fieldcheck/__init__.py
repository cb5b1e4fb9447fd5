"""fieldcheck: field inspections and before/after evidence for old-compound renovation."""

__version__ = "0.1.0"
