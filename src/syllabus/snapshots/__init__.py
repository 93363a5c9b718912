"""A site's saved states (snapshots), what changed since one (the diff), and the site as a
``syllabus load`` file (the export): ``/_syllabus/sites/{sub}/snapshots``, ``.../diff`` and
``.../export``, ``syllabus snapshot`` and ``syllabus export``."""
