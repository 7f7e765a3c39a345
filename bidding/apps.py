from django.apps import AppConfig


class BiddingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bidding"

    def ready(self) -> None:
        # Publication needs every custodian's opening key and confirmation, and logs them before the
        # notice (SEALED_BIDS.md "Keys"); tenders calls these without importing bidding.
        from bidding.selectors.keys import publication_key_violations
        from bidding.services.keys import ledger_keys_before_notice
        from tenders import hooks

        if publication_key_violations not in hooks.publish_guards:
            hooks.publish_guards.append(publication_key_violations)
        if ledger_keys_before_notice not in hooks.before_notice:
            hooks.before_notice.append(ledger_keys_before_notice)
