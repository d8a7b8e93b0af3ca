"""Embedded venue simulators: local servers that speak each venue's protocol, for tests,
the demo and development with no network and no accounts."""
