"""Plenaries' pages by subject: `plenaries` (the list and page, planning and program,
registrations, the door), `networks` (the local networks' directory). plenaries/urls.py
names each view by its module."""
