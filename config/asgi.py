"""ASGI entry point: HTTP through Django, WebSockets through Channels (session auth, origin checked),
both behind the trusted-proxy rule for the client's address (config/proxies.py)."""

import os

from django.core.asgi import get_asgi_application

from config import http_limits

http_limits.install()

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from accounts.second_factor import SecondFactorWebsocketMiddleware  # noqa: E402
from bidding.arrival import FinalizeArrivalMiddleware  # noqa: E402
from config.proxies import TrustedProxyMiddleware  # noqa: E402
from config.routing import websocket_urlpatterns  # noqa: E402

application = TrustedProxyMiddleware(
    ProtocolTypeRouter(
        {
            # A bid's time of receipt is when its finalize request's last byte came in (issue 21).
            "http": FinalizeArrivalMiddleware(django_asgi_app),
            "websocket": AllowedHostsOriginValidator(
                AuthMiddlewareStack(SecondFactorWebsocketMiddleware(URLRouter(websocket_urlpatterns)))
            ),
        }
    )
)
