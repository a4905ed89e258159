"""One module per command; each keeps heavy imports inside its function body."""
