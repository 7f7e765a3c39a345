from django.urls import path

from portal.consumers import ApplicationProgressConsumer

websocket_urlpatterns = [
    path("ws/portal/applications/<str:reference>/", ApplicationProgressConsumer.as_asgi()),
]
