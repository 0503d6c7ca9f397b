"""The network's forms by subject, like its views: chapters, cohorts, conflicts,
candidates, the composer."""
