"""The web server: the citizen's pages (ticket, catalogue, board), later the staff console."""
