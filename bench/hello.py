"""A hello-world FastAPI app: the baseline that bench/run.py measures beside Framsteg's pages.

It is deliberately not part of Framsteg. `bench/run.py` starts it with the same uvicorn settings
and worker count as `framsteg serve` (see `app.cli.serve`), so the ratio page/hello-world shows what
Framsteg's own work (database, analysis, templates) costs on top of the server and the framework.

    .venv/bin/python bench/hello.py --port 8001 --workers 4
"""

import argparse

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

PAGE = "<!doctype html><title>Hello</title><p>Hello, world!</p>"


@app.get("/hello")
def hello() -> HTMLResponse:
    # A sync route, like Framsteg's pages: FastAPI runs it in the thread pool, so the baseline pays the same.
    return HTMLResponse(PAGE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    import uvicorn

    # The same keyword arguments as `framsteg serve` (app/cli.py), apart from the application.
    uvicorn.run(
        "hello:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        reload=False,
        proxy_headers=True,
        timeout_graceful_shutdown=30,
        timeout_worker_healthcheck=60,
        log_level="info",
    )


if __name__ == "__main__":
    main()
