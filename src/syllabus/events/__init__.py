"""Events: the outbox rows every create, update and delete writes (DESIGN "Events through an outbox")."""
