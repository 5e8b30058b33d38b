"""Operation handlers of the core (non-booking) areas; every module registers with ``@operation``."""
