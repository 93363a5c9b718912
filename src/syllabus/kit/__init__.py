"""Domain-free helpers shared by every resource: nothing here imports a resource package."""
