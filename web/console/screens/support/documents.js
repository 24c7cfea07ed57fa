// The support screens' GraphQL documents: the inbox, one conversation with what it is about,
// what staff do with it, and the canned replies.

const RESULT = "errors { field code message }";

export const INBOX = `
query ConsoleSupportInbox($first: Int, $after: String, $filter: SupportInboxFilter) {
  supportInbox(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    statusCounts { status count }
    viewCounts { view count }
    nodes {
      id number subject channel status priority contactName contactEmail breached unreadCount
      lastMessageAt createdAt firstResponseDueAt resolutionDueAt labels
      assignee { id nickname email }
    }
  }
}`;

export const INBOX_CHANGED = `subscription ConsoleSupportInboxChanged { supportInboxChanged { __typename } }`;

const MESSAGE = `id author authorName channel private body bodyHtml callSeconds callOutcome createdAt readAt deliveredAt clientId senderVerified
  attachments { url filename contentType width height }
  note { kind status snoozedUntil priority linkKind returnNumber amount { amount currency } score assigneeName }`;

export const CONVERSATION = `
query ConsoleConversation($id: ID!) {
  conversationContext(id: $id) {
    conversation {
      id number subject channel status priority version contactName contactEmail breached labels
      createdAt lastMessageAt snoozedUntil firstResponseAt firstResponseDueAt resolutionDueAt resolvedAt
      assignee { id nickname email }
      customer { id nickname email }
      messages(last: 100) { nodes { ${MESSAGE} } }
      links { id kind shipmentId order { id number } return { id number status } }
      rating { score comment createdAt }
    }
    customer { id nickname email }
    tier { name prioritySupport }
    recentOrders { id number status placedAt total { formatted } }
    parcels { id carrierName trackingNumber trackingUrl trackingStatus shippedAt deliveredAt }
    returns { id number status createdAt }
    storeCredit { currency balance { formatted } }
    conversationActions { kind allowed }
  }
}`;

export const CONVERSATION_EVENTS = `
subscription ConsoleConversationEvents($conversationNumber: String!) {
  conversationEvents(conversationNumber: $conversationNumber) {
    __typename
    ... on ConversationMessagePosted { clientId message { ${MESSAGE} } }
    ... on ConversationUpdated { status previousStatus }
    ... on ConversationRead { reader upToMessageId }
    ... on ConversationTyping { side name typing }
  }
}`;

const PAYLOAD = `conversation { id version status } ${RESULT}`;

export const REPLY = `
mutation ConsoleReply($input: ReplyToConversationInput!) {
  replyToConversation(input: $input) { message { ${MESSAGE} } ${PAYLOAD} }
}`;

export const LOG_CALL = `
mutation ConsoleLogCall($input: LogPhoneCallInput!) {
  logPhoneCall(input: $input) { message { ${MESSAGE} } ${PAYLOAD} }
}`;

export const ASSIGN = `mutation ConsoleAssign($input: AssignConversationInput!) { assignConversation(input: $input) { ${PAYLOAD} } }`;
export const PRIORITY = `mutation ConsolePriority($input: SetConversationPriorityInput!) { setConversationPriority(input: $input) { ${PAYLOAD} } }`;
export const LABELS = `mutation ConsoleLabels($input: SetConversationLabelsInput!) { setConversationLabels(input: $input) { ${PAYLOAD} } }`;
export const SNOOZE = `mutation ConsoleSnooze($input: SnoozeConversationInput!) { snoozeConversation(input: $input) { ${PAYLOAD} } }`;
export const RESOLVE = `mutation ConsoleResolve($input: ConversationActionInput!) { resolveConversation(input: $input) { ${PAYLOAD} } }`;
export const REOPEN = `mutation ConsoleReopen($input: ConversationActionInput!) { reopenConversation(input: $input) { ${PAYLOAD} } }`;
export const CLOSE = `mutation ConsoleClose($input: ConversationActionInput!) { closeConversation(input: $input) { ${PAYLOAD} } }`;
export const MARK_READ = `mutation ConsoleMarkRead($input: ConversationActionInput!) { markConversationReadByStaff(input: $input) { ${RESULT} } }`;

export const CANNED = `query ConsoleCanned($search: String) { cannedReplies(search: $search) { id shortcut title active } }`;
export const RENDER_CANNED = `
query ConsoleRenderCanned($id: ID!, $conversationId: ID!) {
  renderCannedReply(id: $id, conversationId: $conversationId) { text ${RESULT} }
}`;

export const CANNED_FULL = `query ConsoleCannedReplies { cannedReplies { id shortcut title body active updatedAt translations { locale body } } }`;
export const CREATE_CANNED = `mutation ConsoleCreateCanned($input: CreateCannedReplyInput!) { createCannedReply(input: $input) { cannedReply { id } ${RESULT} } }`;
export const UPDATE_CANNED = `mutation ConsoleUpdateCanned($input: UpdateCannedReplyInput!) { updateCannedReply(input: $input) { cannedReply { id } ${RESULT} } }`;
export const DELETE_CANNED = `mutation ConsoleDeleteCanned($input: DeleteCannedReplyInput!) { deleteCannedReply(input: $input) { deletedId ${RESULT} } }`;
export const RESEND_TRACKING = `
mutation ConsoleResendTracking($input: ResendTrackingLinkInput!) {
  resendTrackingLink(input: $input) { message { id } ${RESULT} }
}`;
