"""Call buttons: bytes from a serial receiver turned into (counter, action) events."""
