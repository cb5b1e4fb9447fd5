"""The evidence ledger: a hash chain over accepted versions and blobs, signed checkpoints."""
