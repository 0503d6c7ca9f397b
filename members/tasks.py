"""members.tasks: nothing yet."""
