"""Record sync: the no-op status check, push with per-op results, per-scope pull, history."""
