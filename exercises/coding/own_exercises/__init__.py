"""Instructors' own coding exercises: a reference solution and a case
generator of their own, validated in the sandbox before students meet them.

- `steps`: the steps of one validation (writes nothing);
- `validation`: the job on the grading queue that runs and stores it;
- `publishing`: publishing, only after a passed validation of the code as it is.
"""
