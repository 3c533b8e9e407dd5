"""The question bank in other formats, together: Moodle XML (`moodle`, with
its question text in `moodle_text`) and the course's own YAML files written
back from the database (`course_files`). Grading-report formats for
Gradescope and PrairieLearn are the engine's (`engine/cli.py`)."""
