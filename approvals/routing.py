from django.urls import path

from approvals.consumers import ApprovalConsumer

websocket_urlpatterns = [path("ws/approvals/<int:pk>/", ApprovalConsumer.as_asgi())]
