"""Web plumbing every app uses (mixins, form helper, POST actions) and the pages of no
single app (`pages`)."""
