"""How passwords are stored: Argon2id at the OWASP Password Storage Cheat
Sheet's first recommended setting (19 MiB of memory, two passes, one lane).

Django's own Argon2 default (100 MiB, two passes, eight lanes) and its
PBKDF2 default (1,000,000 SHA-256 iterations) each cost 0.3 s of CPU per
sign-in on the two-core development machine; at 50 students signing in
within half a minute that alone took a third of the site's CPU and queued
every other request behind it (`make bench`, (k)). This setting costs about
40 ms and is memory-hard, which PBKDF2 is not. Hashes made with the older
settings still verify, and Django stores the new hash at the next sign-in.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Django's Argon2 hasher (Argon2id, parameters kept in each hash) at
    OWASP's m = 19 MiB, t = 2, p = 1."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
