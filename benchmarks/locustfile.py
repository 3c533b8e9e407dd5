"""The load test's students (run by `benchmarks/load.py` through locust's own
command line, so that gevent never patches the benchmark's process).

Each simulated student signs in when it starts (the run spawns them a few a
second, so sign-ins are spread over its first part), then practises: opens a
question and answers it (mostly), looks at a topic, and now and then submits
code and polls its status the way the page's htmx does, once a second, until
it is graded. BENCH_LOAD_PLAN names the users, password and questions.

The students are locust's FastHttpUser (geventhttpclient): the load
generator shares the two cores with the site it measures, and the
requests-based HttpUser costs several times the CPU per request.
"""

from __future__ import annotations

import json
import os
import random
import re
import time

from locust import FastHttpUser, between, task

# A load test picks pages and answers at random: nothing here is a secret.
_pick = random.Random()  # noqa: S311

PLAN = json.loads(os.environ.get("BENCH_LOAD_PLAN", "{}"))
SEED = re.compile(r'name="seed"\s+value="(\d+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')
STATUS = re.compile(r'data-status="(\w+)"')
_names = iter(PLAN.get("users", []))


class Student(FastHttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.username = next(_names)
        page = self.client.get("/accounts/login/", name="sign-in page")
        token = CSRF.search(page.text or "")
        self.client.post(
            "/accounts/login/",
            {
                "username": self.username,
                "password": PLAN["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign in",
        )

    def _csrf(self) -> dict[str, str]:
        return {
            "X-CSRFToken": next(
                (c.value or "" for c in self.client.cookiejar if c.name == "csrftoken"),
                "",
            ),
            "Referer": f"{self.host}/",
            "HX-Request": "true",
        }

    @task(6)
    def answer_a_question(self) -> None:
        slug = _pick.choice(PLAN["questions"])
        page = self.client.get(f"/questions/{slug}/", name="question page")
        seed = SEED.search(page.text or "")
        with self.client.post(
            f"/questions/{slug}/answer",
            {"value": str(_pick.randint(0, 9)), "seed": seed.group(1) if seed else ""},
            headers=self._csrf(),
            name="answer check",
            catch_response=True,
        ) as response:
            if response.status_code == 409:  # this variant was answered: closed
                response.success()

    @task(2)
    def open_a_topic(self) -> None:
        self.client.get(f"/topics/{_pick.choice(PLAN['topics'])}/", name="topic page")

    @task(1)
    def submit_code(self) -> None:
        slug = PLAN["exercise"]
        self.client.get(f"/exercises/{slug}/", name="exercise page")
        with self.client.post(
            f"/exercises/{slug}/submit",
            {"source": PLAN["source"]},
            headers=self._csrf(),
            name="code submission",
            catch_response=True,
        ) as response:
            if response.status_code in (409, 429):  # one at a time, six a minute
                response.success()
                return
            match = re.search(r'id="submission-(\d+)"', response.text)
            if response.status_code != 201 or not match:
                response.failure(f"submission refused: {response.status_code}")
                return
        submission = match.group(1)
        for _ in range(60):
            time.sleep(1.0)
            status = self.client.get(
                f"/submissions/{submission}/status",
                headers={"HX-Request": "true"},
                name="status poll",
            )
            found = STATUS.search(status.text or "")
            if found and found.group(1) not in ("queued", "running"):
                return
