"""Embedded venue simulators: local servers that speak each venue's protocol, for tests,
the demo and development with no network and no accounts.

`server` holds what they share (the aiohttp life cycle, the WebSocket connection machinery and
its faults, `example` for the data files); the order data and example books they serve are
JSON files under `data/<venue>/<message>/`, each a valid example of that message (the tests
check every file against its schema), shipped with the package."""
