"""`yizhan-client`: the command-line tool a bidder's staff member or a key custodian runs on their
own machine. It never imports Django (nor the server's apps): only `cryptography`, `httpx`,
`rfc8785` and the Django-free `ledger.encoding`."""
