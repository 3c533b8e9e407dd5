"""The fixed texts of the grader packages: the scripts PrairieLearn and
Gradescope run, the grader image's Dockerfile and the packages' READMEs.

The scripts grade with the engine's own command line (`python -m engine
grade … --format prairielearn|gradescope`), so a package grades exactly as
the site does. Each script writes a last-ditch result when the grader could
not run at all, so a platform never waits for a file that will not come. The
roots (`/grade`, `/autograder`) and the interpreter can be overridden through
the environment, which is how the tests run the scripts outside a container.
"""

from __future__ import annotations

# The engine's runtime dependencies, as pinned in requirements/base.txt (a
# test keeps the two lists in step).
ENGINE_REQUIREMENTS = (
    "numpy>=2.0,<3",
    "torch==2.13.0",
    "safetensors>=0.4,<1",
    "pyseccomp>=0.1.2,<0.2",
)
# The CPU build of torch; the default index would pull the multi-GB CUDA one.
TORCH_INDEX = "https://download.pytorch.org/whl/cpu"


def requirements_txt() -> str:
    return "\n".join(ENGINE_REQUIREMENTS) + "\n"


# ------------------------------------------------------------- Gradescope

GRADESCOPE_SETUP = f"""#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image.
# The engine needs Python 3.11 or 3.12: choose the Ubuntu 24.04 base image.
set -euo pipefail
apt-get update
apt-get install -y --no-install-recommends python3 python3-venv libseccomp2
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install --no-cache-dir \\
    --extra-index-url {TORCH_INDEX} \\
    -r /autograder/source/requirements.txt
"""

GRADESCOPE_RUN = """#!/usr/bin/env bash
# Gradescope runs this for every submission: it grades the submitted
# {filename} with the engine's exercise `{spec}` and writes
# results/results.json (one test a case; hidden cases carry no data).
set -u
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
PYTHON="${{AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}}"
RESULTS="$ROOT/results/results.json"
mkdir -p "$ROOT/results"

fail() {{
  printf '{{"score": 0.0, "output": "%s", "tests": []}}\\n' "$1" > "$RESULTS"
  exit 0
}}

if [ ! -f "$ROOT/submission/{filename}" ]; then
  fail "No file named {filename} was submitted: upload your solution as {filename}."
fi
WORK="$(mktemp -d)"
cp "$ROOT/submission/{filename}" "$WORK/{filename}"
cd "$ROOT/source" || fail "The autograder is incomplete: its source folder is missing."
"$PYTHON" -m engine grade {spec} "$WORK/{filename}" \\
  --format gradescope --output "$RESULTS"
status=$?
# 0: every case passed, 1: graded and not every case passed; else no grade.
if [ "$status" -gt 1 ] || [ ! -s "$RESULTS" ]; then
  fail "The grader could not run (exit status $status). Please tell your instructor."
fi
exit 0
"""

GRADESCOPE_README = """# Gradescope autograder: {title}

Upload this zip as the autograder of a programming assignment. Students
submit one file, `{filename}`, defining `{entry_point}`.

- Base image: Ubuntu 24.04 (the engine needs Python 3.11 or 3.12).
- `setup.sh` installs the engine's dependencies (CPU torch, NumPy) into
  /autograder/venv; `run_autograder` grades with the engine's exercise
  `{spec}`: `python -m engine grade {spec} {filename} --format gradescope`.
- Each case is a test worth one point: set the assignment's points to
  {cases} to grade out of the number of cases.
- `engine/` holds the reference solutions: keep this zip from students.
"""

# ----------------------------------------------------------- PrairieLearn

PRAIRIELEARN_RUN = """#!/usr/bin/env bash
# PrairieLearn's external grader runs this for every submission: it grades
# the submitted {filename} with the engine's exercise `{spec}` and writes
# /grade/results/results.json.
set -u
ROOT="${{GRADE_ROOT:-/grade}}"
PYTHON="${{GRADER_PYTHON:-python3}}"
RESULTS="$ROOT/results/results.json"
mkdir -p "$ROOT/results"
export PYTHONDONTWRITEBYTECODE=1

fail() {{
  # Not gradable: the student loses no attempt.
  printf '{{"gradable": false, "score": 0.0, "message": "%s", "format_errors": ["%s"]}}\\n' \\
    "$1" "$1" > "$RESULTS"
  exit 0
}}

if [ ! -f "$ROOT/student/{filename}" ]; then
  fail "No file named {filename} was submitted."
fi
cd "$ROOT/serverFilesCourse/{engine_dir}" \\
  || fail "The grader is incomplete: serverFilesCourse/{engine_dir} is missing."
"$PYTHON" -m engine grade {spec} "$ROOT/student/{filename}" \\
  --format prairielearn --output "$RESULTS"
status=$?
# 0: every case passed, 1: graded and not every case passed; else no grade.
if [ "$status" -gt 1 ] || [ ! -s "$RESULTS" ]; then
  fail "The grader could not run (exit status $status). Please tell your instructor."
fi
exit 0
"""

PRAIRIELEARN_DOCKERFILE = f"""# The image PrairieLearn's external grader runs the questions in: Python
# with the engine's dependencies. Build it, push it to Docker Hub under the
# name in the questions' info.json (or change "image" there), and sync it
# from the course's "Sync" page.
FROM python:3.12-slim
RUN apt-get update \\
    && apt-get install -y --no-install-recommends libseccomp2 \\
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir --extra-index-url {TORCH_INDEX} \\
    -r /tmp/requirements.txt
"""

PRAIRIELEARN_README = """# PrairieLearn questions: {count} coding exercise(s)

Copy `questions/` and `serverFilesCourse/` into the course's repository
(merge them with the folders of the same names).

- Each question is externally graded: its `tests/run.sh` runs the engine's
  grader, `python -m engine grade <exercise> <file> --format prairielearn`,
  from `serverFilesCourse/{engine_dir}/`, which holds the engine's source.
- The grader image is `{image}`: build it from `grader-image/Dockerfile`
  (Python with CPU torch and NumPy), push it to Docker Hub, and sync it. To
  use another name, change `image` in each question's info.json.
- `uuid` in each info.json is derived from the exercise's slug: exporting
  again gives the same question ids, so PrairieLearn keeps its records.
- `serverFilesCourse/{engine_dir}/engine/` holds the reference solutions;
  students never see serverFilesCourse.
"""
