"""QFEX: the trading WebSocket with HMAC auth, get_order."""
