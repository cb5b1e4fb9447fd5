"""The sync wire format shared by the server and the laptop's sync engine.

Pydantic models only: what a request or response body holds, never how it is stored. Every
input model forbids unknown fields, so a typo in a client is an error, not silently dropped
data. This package imports nothing of ours but ``fieldcheck.domain``.
"""

PROTOCOL_VERSION = 1
