"""The machine's HTTP figure: a bare FastAPI app answering one small JSON document, no middleware,
no database, served by the same uvicorn (httptools, uvloop) as the services. wrk against it in
the same run is what every HTTP figure of `make bench` is set beside."""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI()


@app.get("/json")
async def hello() -> dict[str, str]:
    return {"message": "Hello, World!"}
