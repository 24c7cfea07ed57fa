"""Customs papers types: the link a parcel's CN22/CN23 or commercial invoice is downloaded
through, and the problems that keep the papers from being made."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.errors import UserError
from services.customs.declaration import CustomsForm, DocumentErrorCode, DocumentKind

CustomsDocumentKindEnum = strawberry.enum(
    DocumentKind,
    name="CustomsDocumentKind",
    description="A parcel's papers: its customs declaration (CN22 or CN23, chosen by the UPU's "
    "rules) or its commercial invoice.",
)
CustomsFormEnum = strawberry.enum(
    CustomsForm,
    name="CustomsForm",
    description="The UPU customs declaration a parcel travels with: CN22 up to 300 SDR and "
    "2 kg, CN23 above either or where the carrier asks for it.",
)
CustomsDocumentErrorCodeEnum = strawberry.enum(DocumentErrorCode, name="CustomsDocumentErrorCode")


@strawberry.type(
    name="CustomsDocumentError",
    description="Why a parcel's papers cannot be made; `field` points at the fact to fix "
    "(`lines.<n>.hsCode` is the parcel's n-th line, `sender` the shop's address settings).",
)
class CustomsDocumentErrorType(UserError):
    code: CustomsDocumentErrorCodeEnum  # type: ignore[valid-type]


@strawberry.input
class CreateCustomsDocumentLinkInput:
    shipment_id: strawberry.ID
    kind: CustomsDocumentKindEnum  # type: ignore[valid-type]


@strawberry.type(name="CustomsDocumentLink", description="Where to download a parcel's paper.")
class CustomsDocumentLinkType:
    url: str = strawberry.field(
        description="A PDF for whoever holds the link until `expiresAt`: open it at once."
    )
    expires_at: datetime
    filename: str
    kind: CustomsDocumentKindEnum  # type: ignore[valid-type]
    form: CustomsFormEnum = strawberry.field(  # type: ignore[valid-type]
        description="The declaration the parcel needs (whichever `kind` was asked for)."
    )
    cn23_reasons: list[str] = strawberry.field(
        description="Why a CN23: `value` (over 300 SDR), `weight` (over 2 kg), `carrier`."
    )


@strawberry.type
class CreateCustomsDocumentLinkPayload:
    link: CustomsDocumentLinkType | None = None
    errors: list[CustomsDocumentErrorType] = strawberry.field(default_factory=list)
