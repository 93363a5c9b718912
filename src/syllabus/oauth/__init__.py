"""OAuth 2.0: apps, the authorization server (``/oauth2/...``), and scopes on the Admin API."""
