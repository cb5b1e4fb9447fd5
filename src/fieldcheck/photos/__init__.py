"""The image pipeline, free of Qt and SQL: sniff the type from the bytes, decode with Pillow's
limits on, read EXIF, render the thumbnail and preview cache, and keep the original bytes in the
content-addressed blob store. Saving the record is the store's job
(``fieldcheck.core.photo_import`` joins the two)."""
