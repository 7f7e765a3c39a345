"""Channels: the in-memory layer in the embedded default (one process), Redis when REDIS_URL is set."""

import environ

env = environ.Env()
_redis_url = env.str("REDIS_URL", default="")

if _redis_url:
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [_redis_url]}}
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
