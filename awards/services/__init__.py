"""Every write of the awards app, one module per subject (decisions and announcements; challenges,
complaints, contracts and security releases)."""
