"""WebSocket routes of evaluation: live progress of a tender's evaluation (counts only)."""

from django.urls import path

from evaluation.consumers import ProgressConsumer

websocket_urlpatterns = [
    path("ws/evaluation/<str:reference>/", ProgressConsumer.as_asgi()),
]
