"""Customs papers as files: `GET /documents/customs/{token}` answers a parcel's CN22/CN23 or
commercial invoice as a PDF, for a token the `createCustomsDocumentLink` mutation signed.

The API hands out the link; the browser opens it like any file (a new tab, a download), with
no header to set. A token that is not the shop's, has expired, or whose staff member may no
longer see orders is 404, as if there were nothing there; papers that can no longer be made
(a fact removed since the link was made) are 409 with the reason.
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from services.customs import paperwork
from services.customs.declaration import DocumentError
from settings import Settings

log = logging.getLogger("tradewind.customs")

#: A token is a signed JWT of a few hundred characters; anything far longer is no token.
MAX_TOKEN = 2048


def customs_document(settings: Settings) -> Route:
    async def endpoint(request: Request) -> Response:
        token = request.path_params["token"]
        if len(token) > MAX_TOKEN:
            return JSONResponse({"error": "not_found"}, status_code=404)
        try:
            name, pdf = await paperwork.download(token, settings=settings)
        except paperwork.LinkRefused:
            log.info("customs.document_link_refused")
            return JSONResponse({"error": "not_found"}, status_code=404)
        except DocumentError as error:
            return JSONResponse(
                {"error": "incomplete", "problems": [p.message for p in error.problems]},
                status_code=409,
            )
        return Response(
            pdf,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'inline; filename="{name}"',
                "Cache-Control": "no-store, private",
                "Referrer-Policy": "no-referrer",
                "X-Content-Type-Options": "nosniff",
            },
        )

    return Route("/documents/customs/{token}", endpoint, methods=["GET"])


def routes(settings: Settings) -> list[BaseRoute]:
    return [customs_document(settings)]
