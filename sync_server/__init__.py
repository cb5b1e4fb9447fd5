"""fieldcheck's sync server: accounts, record sync, photo blobs and the evidence archive."""
