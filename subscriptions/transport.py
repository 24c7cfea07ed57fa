"""graphql-transport-ws as Tradewind speaks it, on top of Strawberry's handler.

What it adds to the protocol handler:
- a client's mistake (a syntax or validation error, an unknown operation name) is answered
  with the protocol's `error` message for that operation, and logged in one line; the
  socket and its other operations carry on. A malformed message closes the socket with
  4400, as the protocol says, never with an unhandled exception.
- at most `websocket_max_operations` operations run at once on a socket; more are
  refused with `TOO_MANY_OPERATIONS`.
- the server pings every `websocket_ping_interval` seconds, so proxies that drop idle
  connections keep quiet sockets open (graphql-ws clients answer with `pong` by themselves).
- when the access token a socket was opened with expires, every operation of the socket
  gets an `error` with `extensions.code = TOKEN_EXPIRED` and the socket closes with 4403:
  the client refreshes its token and subscribes again on a new socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime
from typing import Any

from graphql import GraphQLError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    Message,
)
from strawberry.types.execution import ExecutionResult, PreExecutionError
from strawberry.utils.aio import aclosing

from schema import persisted
from schema.context import Context
from schema.extensions import tag_request_errors
from subscriptions.lifetime import TOKEN_EXPIRED, TokenExpired

log = logging.getLogger("tradewind.ws")

#: What of a client's text goes into a log line.
LOGGED_CHARS = 200
#: Close code and reason when the socket's access token has expired (graphql-ws retries it).
EXPIRED_CLOSE = (4403, "Access token expired")


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= LOGGED_CHARS else text[:LOGGED_CHARS] + "..."


def _problem_in_subscribe(message: dict[str, Any]) -> str | None:
    """Why a `subscribe` message is not one the protocol allows, or None."""
    if not isinstance(message.get("id"), str) or not message["id"]:
        return "Subscribe message needs a string id"
    payload = message.get("payload")
    if not isinstance(payload, dict):
        return "Subscribe message needs a payload object"
    if not isinstance(payload.get("query"), str):
        return "Subscribe payload needs a query string"
    if not isinstance(payload.get("operationName"), str | None):
        return "Subscribe payload's operationName must be a string"
    for key in ("variables", "extensions"):
        if not isinstance(payload.get(key), dict | None):
            return f"Subscribe payload's {key} must be an object"
    return None


def _codes(errors: list[GraphQLError] | None) -> set[str]:
    return {str((error.extensions or {}).get("code")) for error in errors or ()}


class TransportHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """Strawberry's graphql-transport-ws handler with typed errors, pings and token expiry."""

    keepalive_task: asyncio.Task[None] | None = None
    sign_in_ended = False

    async def handle_message(self, message: Message) -> None:
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self.handle_invalid_message("Message must be an object with a type")
            return
        if message["type"] == "subscribe":
            problem = _problem_in_subscribe(dict(message))
            if problem:
                await self.handle_invalid_message(problem)
                return
            limit = self.context.settings.websocket_max_operations
            if self.connection_acknowledged and len(self.operations) >= limit:
                await self.send_refusal(
                    message["id"],
                    f"At most {limit} operations run at once on a socket.",
                    "TOO_MANY_OPERATIONS",
                )
                return
            untrusted = persisted.untrusted_socket_document(
                message["payload"]["query"], self.context.viewer, self.context.settings
            )
            if self.connection_acknowledged and untrusted:
                await self.send_refusal(message["id"], untrusted, persisted.UNTRUSTED)
                return
        elif message["type"] == "complete" and not isinstance(message.get("id"), str):
            await self.handle_invalid_message("Complete message needs a string id")
            return
        await super().handle_message(message)

    async def send_refusal(self, operation_id: str, message: str, code: str) -> None:
        """Refuse a `subscribe` before it runs, with the protocol's `error` message."""
        await self.send_message(
            {
                "id": operation_id,
                "type": "error",
                "payload": [{"message": message, "extensions": {"code": code}}],
            }
        )

    async def handle_invalid_message(self, error_message: str) -> None:
        log.info(
            "ws.invalid_message request_id=%s reason=%s", self.context.request_id, error_message
        )
        await super().handle_invalid_message(error_message)

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        await super().handle_connection_init(message)
        if self.connection_acknowledged and self.keepalive_task is None:
            self.keepalive_task = asyncio.create_task(self.keep_alive())

    async def shutdown(self) -> None:
        if self.keepalive_task:
            self.keepalive_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.keepalive_task
        await super().shutdown()

    async def keep_alive(self) -> None:
        """Ping the client at the configured interval, and end the socket's sign-in when
        its access token expires (even on a socket with nothing running)."""
        loop = asyncio.get_running_loop()
        interval = self.context.settings.websocket_ping_interval
        next_ping = loop.time() + interval if interval > 0 else None
        token_end = None
        if self.context.viewer_expires_at is not None:
            left = (self.context.viewer_expires_at - datetime.now(UTC)).total_seconds()
            token_end = loop.time() + left
        while True:
            due = [t for t in (next_ping, token_end) if t is not None]
            if not due:
                return
            await asyncio.sleep(max(min(due) - loop.time(), 0))
            if token_end is not None and loop.time() >= token_end:
                await self.end_expired_sign_in()
                return
            try:
                await self.send_message({"type": "ping"})
            except Exception:  # the socket is closing: the handler shuts down on its own
                return
            next_ping = loop.time() + interval

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        """Run one operation to its end; whatever goes wrong reaches the client as `error`."""
        try:
            result_source = await self.schema.stream(
                operation.query,
                variable_values=operation.variables,
                context_value=self.context,
                root_value=self.root_value,
                operation_name=operation.operation_name,
            )
            async with aclosing(result_source):
                await self._send_result_stream(operation, result_source)
            await operation.send_operation_message({"id": operation.id, "type": "complete"})
        except asyncio.CancelledError:
            raise
        except TokenExpired:
            await self.end_expired_sign_in()
        except GraphQLError as error:
            # Raised before execution (a syntax error met while parsing): the client's mistake.
            tag_request_errors([error])
            await self.refuse(operation, [error])
        except Exception:
            log.exception("ws.operation_failed request_id=%s", self.context.request_id)
            request_id = self.context.request_id
            masked = GraphQLError(
                f"Internal server error (request id {request_id}).",
                extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
            )
            with contextlib.suppress(Exception):
                await operation.send_initial_errors([masked])

    async def _send_result_stream(
        self, operation: Operation[Context, None], result_source: Any
    ) -> None:
        first = True
        async for result in result_source:
            if first and isinstance(result, PreExecutionError):
                await self.refuse(operation, list(result.errors or ()))
                return
            if not isinstance(result, ExecutionResult):
                await self._reject_incremental_delivery(operation)
                return
            if TOKEN_EXPIRED in _codes(result.errors):
                await self.end_expired_sign_in()
                return
            await operation.send_next(result)
            first = False

    async def refuse(self, operation: Operation[Context, None], errors: list[GraphQLError]) -> None:
        """Answer an operation that cannot run with `error`, and log it in one line."""
        codes = ",".join(sorted(_codes(errors)))
        log.info(
            "ws.operation_refused request_id=%s id=%s code=%s message=%s",
            self.context.request_id,
            _short(operation.id),
            codes,
            _short(errors[0].message if errors else ""),
        )
        await operation.send_initial_errors(errors)

    async def end_expired_sign_in(self) -> None:
        """Tell every operation of the socket its token expired, then close the socket."""
        if self.sign_in_ended:
            return
        self.sign_in_ended = True
        error = TokenExpired()
        current = asyncio.current_task()
        for operation in list(self.operations.values()):
            if operation.task is not None and operation.task is not current:
                operation.task.cancel()
            with contextlib.suppress(Exception):
                await operation.send_initial_errors([error])
        log.info("ws.token_expired request_id=%s", self.context.request_id)
        with contextlib.suppress(Exception):
            await self.websocket.close(code=EXPIRED_CLOSE[0], reason=EXPIRED_CLOSE[1])
