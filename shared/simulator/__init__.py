"""The day simulator: a whole MPP day through the real engine, for planning and load testing."""
