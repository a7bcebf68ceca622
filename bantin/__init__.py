"""bantin: crawl Vietnamese local-government bulletins, extract who did what, store in SQLite."""
__version__ = "0.1.0"
