// Runs documents with the web apps' own client (web/lib/graphql.js) and prints, for each,
// {data, error, requests} as a JSON line; `requests` are [method, text sent?, status].
import { createClient } from '../../web/lib/graphql.js';

const [url, ...queries] = process.argv.slice(2);
let requests = [];
const original = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const method = init?.method ?? 'GET';
  const sent = method === 'GET' ? decodeURIComponent(String(input)) : String(init?.body ?? '');
  const response = await original(input, init);
  requests.push([method, sent.includes('"query"') || /[?&]query=/.test(sent), response.status]);
  return response;
};
const client = createClient({ endpoint: url });
for (const query of queries) {
  requests = [];
  let data = null;
  let error = null;
  try {
    data = await client.request(query, {});
  } catch (err) {
    error = err.message;
  }
  console.log(JSON.stringify({ data, error, requests }));
}
