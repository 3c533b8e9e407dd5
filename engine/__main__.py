import contextlib
import logging
import os
import sys

from engine.cli import main

code = main()
# Everything is written and the sandbox host is stopped (cli._grade): leave
# without the interpreter's teardown, which with torch loaded costs about a
# third of a second of a one-shot grading.
logging.shutdown()
for stream in (sys.stdout, sys.stderr):
    with contextlib.suppress(OSError):  # a reader gone (`| head`): nothing to add
        stream.flush()
os._exit(code)
