"""groups.tasks: nothing yet."""
