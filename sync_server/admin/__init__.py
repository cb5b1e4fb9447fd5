"""Administration: scopes (sub-districts), users and devices, the compound plan."""
