"""Findings back into Word: a commented copy (annotate.py), safe fixes as tracked changes
(tracked.py), over the same paragraphs the reader numbered (paragraphs.py). python-docx opens
and saves the package; only what it has no API for (a run split at a character, a tracked
change) is written as XML here."""
