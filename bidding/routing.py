"""WebSocket routes of sealed bidding: the opening room."""

from django.urls import path

from bidding.consumers import CeremonyConsumer

websocket_urlpatterns = [
    path("ws/ceremony/<str:reference>/", CeremonyConsumer.as_asgi()),
]
