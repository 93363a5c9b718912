"""The request journal: every Admin API and ``/api/v2`` request to a site, as the client saw it.

``middleware.py`` records each exchange in memory, ``recorder.py`` writes them in batches off
the request path and keeps each site's newest ``SYLLABUS_JOURNAL_SIZE``, ``control.py`` serves
them at ``GET /_syllabus/sites/{sub}/requests``.
"""
