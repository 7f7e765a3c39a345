"""The client's own Django settings: it shares bidding.sb1 (whose refusals carry translatable
messages) with the server, but on a bidder's machine there is no server: messages are English."""

SECRET_KEY = "yizhan-client-has-no-secrets"  # noqa: S105 - nothing is signed with it
USE_I18N = False
INSTALLED_APPS: list[str] = []
