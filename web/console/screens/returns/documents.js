// The returns screens' GraphQL documents: the queue, one return, and what staff do with it.

const RESULT = "errors { field code message }";

export const RETURN_QUEUE = `
query ConsoleReturns($first: Int, $after: String, $status: ReturnStatus, $reasonCode: String,
                     $country: CountryCode, $search: String, $olderThanDays: Int) {
  returns(first: $first, after: $after, status: $status, reasonCode: $reasonCode, country: $country,
          search: $search, olderThanDays: $olderThanDays) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    statusCounts { status count }
    nodes {
      id number status reason createdAt
      order { id number email shippingAddress { fullName country } }
      lines { quantity }
    }
  }
}`;

export const RETURN_REASONS = `
query ConsoleReturnReasons { returns(first: 0) { reasonCounts { code name count } } }`;

export const RETURN = `
query ConsoleReturn($id: ID!) {
  returnRequest(id: $id) {
    id number status resolution reason note version createdAt updatedAt
    declineReason instructions labelReference keepItems openedByStaff
    approvedAt receivedAt closedAt cancelledAt
    order {
      id number email phone
      customer { id email nickname }
      shippingAddress { fullName city country }
    }
    lines {
      id name variantName sku quantity unitPrice { amount currency }
      inspection inspectedQuantity restockedQuantity inspectionNote inspectedAt
    }
    photos { id url width height }
    parcels {
      id carrierName trackingNumber trackingUrl trackingStatus addedAt deliveredAt
      trackingEvents { status message occurredAt }
    }
    timeline { id fromStatus toStatus actor message internal createdAt }
    outcome { status refund { amount currency } storeCredit { amount currency }
              fees { amount currency } exchangeOrderNumber failureMessage }
  }
}`;

export const RETURN_CARRIERS = `
query ConsoleReturnCarriers { carriers(first: 100) { nodes { id name active } } }`;

export const RETURNS_CHANGED = `
subscription ConsoleReturnsChanged { returnsChanged { number returnNumber status previousStatus } }`;

// Each action's document is a constant (the server knows the console's documents by hash).
const ACTED = `return { id status version } ${RESULT}`;
export const APPROVE = `
mutation ConsoleReturnApproveReturn($input: ApproveReturnInput!) {
  approveReturn(input: $input) { ${ACTED} }
}`;
export const DECLINE = `
mutation ConsoleReturnDeclineReturn($input: DeclineReturnInput!) {
  declineReturn(input: $input) { ${ACTED} }
}`;
export const UPDATE_INSTRUCTIONS = `
mutation ConsoleReturnUpdateReturnInstructions($input: UpdateReturnInstructionsInput!) {
  updateReturnInstructions(input: $input) { ${ACTED} }
}`;
export const ADD_PARCEL = `
mutation ConsoleReturnAddReturnParcel($input: AddReturnParcelInput!) {
  addReturnParcel(input: $input) { ${ACTED} }
}`;
export const RECEIVE = `
mutation ConsoleReturnReceiveReturn($input: ReturnActionInput!) {
  receiveReturn(input: $input) { ${ACTED} }
}`;
export const INSPECT = `
mutation ConsoleReturnInspectReturnLines($input: InspectReturnLinesInput!) {
  inspectReturnLines(input: $input) { ${ACTED} }
}`;
export const FINISH = `
mutation ConsoleReturnFinishReturnInspection($input: ReturnActionInput!) {
  finishReturnInspection(input: $input) { ${ACTED} }
}`;
export const KEEP = `
mutation ConsoleReturnKeepReturnItems($input: KeepReturnItemsInput!) {
  keepReturnItems(input: $input) { ${ACTED} }
}`;
export const CANCEL = `
mutation ConsoleReturnCancelReturnByStaff($input: CancelReturnByStaffInput!) {
  cancelReturnByStaff(input: $input) { ${ACTED} }
}`;
