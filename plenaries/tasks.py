"""plenaries.tasks — plenaries, program, local networks, registrations (built by a later issue)."""
