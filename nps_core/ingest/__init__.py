"""From a file to rows in the store: readers, column mapping, parsing and validation rules, the importer."""
