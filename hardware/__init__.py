"""Device drivers: thermal ticket printers and call-button receivers, with their simulators.

No Qt and no database here: tickets arrive as plain values to print, buttons leave as
(counter, action) events. The apps wire them to the engine.
"""
