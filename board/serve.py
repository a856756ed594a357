"""The server ``make run`` starts (``python -m board.serve``): waitress, which buffers
every request before a worker thread sees it.

Why not gunicorn's default sync workers: a client that sends a request line and headers
and then waits holds a whole worker until the 30-second timeout, so two idle connections
(or an invisible ``<iframe>`` on someone else's page) stopped a two-worker board. gthread
workers read the headers inside the worker thread too. waitress reads requests (headers
and body, spooled to disk when large) in its event loop and only hands complete ones to
its threads, so idle or slow clients cost a socket each, never a thread; they are closed
after ``channel_timeout``. It is pure Python, needs no monkey-patching (gevent would have
to patch the extraction subprocesses, SQLite and psycopg), and serves Windows too.

``gunicorn wsgi:app`` still serves the board (it stays in requirements.txt); in
production put either behind a reverse proxy that buffers requests (see README).
"""

from __future__ import annotations

import argparse

CHANNEL_TIMEOUT = 30
"""Seconds an idle or stalled connection is kept before waitress closes it."""


def options(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options: where to listen, how many threads, which proxy to trust."""
    parser = argparse.ArgumentParser(prog="python -m board.serve", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--connection-limit", type=int, default=1000)
    parser.add_argument(
        "--trusted-proxy",
        default="",
        help="address of a reverse proxy whose X-Forwarded-For/-Proto headers are believed",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Build the app and serve it until interrupted."""
    import waitress

    from board import create_app

    args = options(argv)
    app = create_app()
    proxy = (
        {
            "trusted_proxy": args.trusted_proxy,
            "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
            "clear_untrusted_proxy_headers": True,
        }
        if args.trusted_proxy
        else {}
    )
    waitress.serve(
        app,
        host=args.host,
        port=args.port,
        threads=args.threads,
        connection_limit=args.connection_limit,
        channel_timeout=CHANNEL_TIMEOUT,
        asyncore_use_poll=True,  # select() stops at 1024 sockets
        max_request_body_size=int(app.config["MAX_CONTENT_LENGTH"]),
        ident="Mreza",
        **proxy,
    )


if __name__ == "__main__":
    main()
