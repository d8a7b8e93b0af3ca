"""BitMart: WebSocket order-book depth (legacy channel and v3 spot channel)."""
