"""The renovation domain in plain Python: entities, rules and typed errors.

Nothing here does I/O, touches Qt or speaks SQL; every other layer builds on it.
"""
