"""Accounts, devices and bearer tokens: who is asking, and what their role and scopes allow."""
