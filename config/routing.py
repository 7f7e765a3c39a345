"""WebSocket routes of every app, gathered in one list."""

from approvals.routing import websocket_urlpatterns as approvals_ws  # noqa: E402
from bidding.routing import websocket_urlpatterns as bidding_ws  # noqa: E402
from evaluation.routing import websocket_urlpatterns as evaluation_ws  # noqa: E402
from portal.routing import websocket_urlpatterns as portal_ws  # noqa: E402

websocket_urlpatterns: list = []
websocket_urlpatterns += portal_ws
websocket_urlpatterns += approvals_ws
websocket_urlpatterns += bidding_ws
websocket_urlpatterns += evaluation_ws
