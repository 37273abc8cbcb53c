"""Connected databases: connection references, read-only attach, live views, snapshot refresh."""
