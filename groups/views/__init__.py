"""The network's pages by subject: chapters, cohorts, conflicts, candidates, the composer.
groups/urls.py names each view by its module."""
