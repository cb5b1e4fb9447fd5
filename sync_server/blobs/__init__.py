"""Photo blobs: the "which do you lack?" check, tus 1.0 uploads and downloads."""
