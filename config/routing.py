"""WebSocket routes of every app, gathered in one list."""

from portal.routing import websocket_urlpatterns as portal_ws  # noqa: E402

websocket_urlpatterns: list = []
websocket_urlpatterns += portal_ws
