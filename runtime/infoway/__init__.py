"""Infoway: REST batch market depth and the WebSocket depth stream."""
