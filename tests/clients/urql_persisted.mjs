// Runs one query twice with @urql/core and @urql/exchange-persisted, configured as their
// documentation shows, and prints {data, error, requests} for each run as a JSON line,
// `requests` being what went over HTTP: [method, whether the document's text was sent].
import { Client, cacheExchange, fetchExchange, gql } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';

const [url, query] = process.argv.slice(2);
let requests = [];
const recorded = (input, init) => {
  const method = init?.method ?? 'GET';
  const sent = method === 'GET' ? decodeURIComponent(String(input)) : String(init?.body ?? '');
  requests.push([method, sent.includes('"query"') || /[?&]query=/.test(sent)]);
  return fetch(input, init);
};
const client = new Client({
  url,
  exchanges: [cacheExchange, persistedExchange({ preferGetForPersistedQueries: true }), fetchExchange],
  fetch: recorded,
  requestPolicy: 'network-only',
});
for (let run = 0; run < 2; run++) {
  requests = [];
  const result = await client.query(gql(query), {}).toPromise();
  console.log(
    JSON.stringify({ data: result.data ?? null, error: result.error ? result.error.message : null, requests }),
  );
}
