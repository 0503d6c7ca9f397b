"""plenaries.services — plenaries, program, local networks, registrations (built by a later issue)."""
