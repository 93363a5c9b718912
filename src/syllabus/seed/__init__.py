"""Content the API cannot create: generated demo data (``seed``) and declarative files (``load``)."""
