// Subscribes with the graphql-ws reference client. Prints {"event": "connected"} once the
// socket is acknowledged, then each result as JSON, and exits after the first one.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, query, token] = process.argv.slice(2);
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  retryAttempts: 0,
  on: { connected: () => console.log(JSON.stringify({ event: 'connected' })) },
});
const subscription = client.iterate({ query });
try {
  for await (const result of subscription) {
    console.log(JSON.stringify({ event: 'next', result }));
    break;
  }
} catch (error) {
  console.log(JSON.stringify({ event: 'error', error: String(error?.message ?? error) }));
} finally {
  await client.dispose();
}
