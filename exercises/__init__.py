"""Course content and how it is checked: models, checkers, grading task."""
