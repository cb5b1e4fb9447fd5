"""Files in and out of fieldcheck: the bureau's plan list (CSV/XLSX) today; archive packages,
reports and tables later. Reads and writes files; holds no database logic."""
