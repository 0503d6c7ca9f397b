"""meetings.admin — meetings, topics, votes, agendas, RSVP, attendance, minutes (built by a later issue)."""
