"""Time to answer POST /reset for a member's address and for an unknown one.

    .venv/bin/python bench/reset_timing.py [ROUNDS]

In-process (Flask test client, not a network server), rate limits off, mail written to
a temporary outbox. The clock stops when the response is ready; the member's mail is
rendered and written afterwards, when the response is closed (as a WSGI server does
after sending it), outside the measurement.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time

from flask_migrate import upgrade

from board import create_app
from board.auth.service import create_user
from board.extensions import db

_CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as instance:
        app = create_app(
            {"INSTANCE_PATH": instance, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False}
        )
        with app.app_context():
            upgrade()
            create_user("clan@example.ba", "Član", "duga lozinka za mjerenje", confirmed=True)
            db.session.commit()
        client = app.test_client()
        token = _CSRF.search(client.get("/reset").get_data(as_text=True)).group(1)
        times: dict[str, list[float]] = {"member": [], "unknown": []}
        for n in range(rounds):
            for kind, email in (("member", "clan@example.ba"), ("unknown", f"x{n}@example.ba")):
                start = time.perf_counter()
                response = client.post("/reset", data={"email": email, "csrf_token": token})
                times[kind].append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
                response.close()  # the mail goes out here, after the answer
        for kind, values in times.items():
            print(f"{kind:8} median {statistics.median(values):.2f} ms, "
                  f"p90 {statistics.quantiles(values, n=10)[-1]:.2f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
