"""The lines a report blames, for the code editor to mark
(exercises.coding.report.lines): pure, no database."""

from exercises.coding.report.lines import MAX_MARKS, ErrorLine, error_lines

SOURCE = "def iou(a, b):\n    x = 1\n    return 0.0 +\n"


def _traceback(line: int, last: str = "ZeroDivisionError: division by zero") -> str:
    return (
        "Traceback (most recent call last):\n"
        f'  File "submission.py", line {line}, in iou\n'
        "    return 1 / 0\n"
        f"{last}\n"
    )


def test_it_marks_the_line_of_a_syntax_error_in_words() -> None:
    report = {
        "verdict": "syntax_error",
        "message": "SyntaxError: invalid syntax (line 3, column 17)",
        "line": 3,
        "column": 17,
        "cases": [],
    }
    assert error_lines(report, SOURCE) == [
        ErrorLine(3, "    return 0.0 +", "Line 3: invalid syntax")
    ]


def test_it_keeps_a_message_that_names_its_line_already() -> None:
    report = {
        "verdict": "forbidden",
        "message": "Line 2 uses numpy.linalg, which this exercise does not allow.",
        "line": 2,
    }
    [mark] = error_lines(report, SOURCE)
    assert (
        mark.message == "Line 2 uses numpy.linalg, which this exercise does not allow."
    )


def test_it_marks_the_students_innermost_frame_of_each_case_traceback() -> None:
    nested = (
        "Traceback (most recent call last):\n"
        '  File "submission.py", line 3, in iou\n'
        "    return helper()\n"
        '  File "submission.py", line 2, in helper\n'
        "    x = 1\n"
        "IndexError: list index out of range\n"
    )
    report = {
        "verdict": "failed",
        "cases": [
            {"name": "edge 1", "error": nested},
            {"name": "edge 2", "error": _traceback(3)},
            {"name": "edge 3", "error": ""},
        ],
    }
    assert error_lines(report, SOURCE) == [
        ErrorLine(2, "    x = 1", "Line 2: IndexError: list index out of range"),
        ErrorLine(3, "    return 0.0 +", "Line 3: ZeroDivisionError: division by zero"),
    ]


def test_a_traceback_of_the_module_counts_too() -> None:
    report = {"verdict": "runtime_error", "traceback": _traceback(1), "cases": []}
    assert [mark.number for mark in error_lines(report, SOURCE)] == [1]


def test_it_blames_nothing_in_a_clean_report_or_outside_the_source() -> None:
    assert error_lines(None, SOURCE) == []
    assert error_lines({"verdict": "passed", "cases": [{"name": "a"}]}, SOURCE) == []
    assert error_lines({"verdict": "failed", "line": 9, "message": "x"}, SOURCE) == []
    other_file = 'File "grader.py", line 2, in run\nValueError: no\n'
    assert error_lines({"cases": [{"error": other_file}]}, SOURCE) == []


def test_it_reads_windows_line_endings_and_stops_at_the_cap() -> None:
    source = "\r\n".join(f"x{n} = 1 / 0" for n in range(1, 10))
    report = {"cases": [{"error": _traceback(n)} for n in range(9, 0, -1)]}
    marks = error_lines(report, source)
    assert [mark.number for mark in marks] == list(range(1, MAX_MARKS + 1))
    assert marks[0].text == "x1 = 1 / 0"
