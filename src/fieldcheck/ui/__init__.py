"""The desktop UI: the only Qt layer of fieldcheck (main window, views, item models, dialogs,
background operations). Only ``fieldcheck.app`` imports it."""
