"""Extractors: pure functions from a parsed document (and the registry) to typed records."""
