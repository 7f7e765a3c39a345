"""Channels: the in-memory layer in the embedded default (one process), Redis when REDIS_URL is set."""

import environ

env = environ.Env()
_redis_url = env.str("REDIS_URL", default="")

if _redis_url:
    from redis.asyncio.retry import Retry
    from redis.backoff import ExponentialBackoff
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    # A pooled connection that Redis closed (a restart) is reconnected and the command sent again,
    # instead of failing the send or receive that happened to use it (tests/config/test_connection_loss.py).
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": _redis_url,
                        "retry": Retry(ExponentialBackoff(cap=1.0, base=0.05), 3),
                        "retry_on_error": [RedisConnectionError, RedisTimeoutError],
                    }
                ]
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
