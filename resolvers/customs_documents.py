"""Customs papers root fields for staff: a signed link to a parcel's declaration or invoice."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.customs_documents import (
    CreateCustomsDocumentLinkInput,
    CreateCustomsDocumentLinkPayload,
    CustomsDocumentLinkType,
)
from schema.kit import input_pk, mutation
from schema.permissions import CanManageOrders
from services.customs import paperwork
from services.customs.declaration import DocumentKind


@strawberry.type
class CustomsDocumentsMutation:
    @mutation(
        permission_classes=[CanManageOrders],
        description="A short-lived link to a parcel's customs declaration (CN22 or CN23) or "
        "commercial invoice as PDF. Facts the papers lack are listed in `errors`, and no "
        "link is made until they are fixed.",
    )
    async def create_customs_document_link(
        self, info: Info, input: CreateCustomsDocumentLinkInput
    ) -> CreateCustomsDocumentLinkPayload:
        viewer = info.context.viewer
        assert viewer.user_id is not None  # CanManageOrders: a signed-in staff member
        kind = DocumentKind(input.kind)
        link = await paperwork.create_document_link(
            input_pk(input.shipment_id, "Shipment", "shipmentId"),
            kind,
            user_id=viewer.user_id,
            settings=info.context.settings,
        )
        base = str(info.context.request.base_url).rstrip("/")
        return CreateCustomsDocumentLinkPayload(
            link=CustomsDocumentLinkType(
                url=f"{base}/documents/customs/{link.token}",
                expires_at=link.expires_at,
                filename=link.filename,
                kind=kind,
                form=link.declaration.form,
                cn23_reasons=list(link.declaration.cn23_reasons),
            )
        )
