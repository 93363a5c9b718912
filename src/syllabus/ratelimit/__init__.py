"""Thinkific's rate limits (FIDELITY §5.1): per site, across the Admin API and ``/api/v2``,
at most ``N`` requests in any 60 seconds (120 by default) and at most ``M`` in flight (10).

``middleware.RateLimit`` applies them in front of the routes; ``limiter`` keeps the counts, in
the process (the default) or in Redis (``SYLLABUS_REDIS_URL``: several processes, one budget).
"""
