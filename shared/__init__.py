"""Antrian's Qt-free heart: domain rules, the store, the queue engine, site config and the CLI."""
