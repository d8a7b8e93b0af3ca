"""Infoway: REST batch_depth, the WebSocket depth stream, the simulator, the official SDK."""
