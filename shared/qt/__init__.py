"""The one Qt bridge the apps share: the change feed as a signal, and a background-op runner."""
