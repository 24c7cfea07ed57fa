// Runs one query with @urql/core, configured as its documentation shows, and prints the
// result as JSON: {data, error, methods}, `methods` being the HTTP methods urql chose.
import { Client, cacheExchange, fetchExchange, gql } from '@urql/core';

const [url, query, variables] = process.argv.slice(2);
const methods = [];
const recorded = (input, init) => {
  methods.push(init?.method ?? 'GET');
  return fetch(input, init);
};
const client = new Client({ url, exchanges: [cacheExchange, fetchExchange], fetch: recorded });
const result = await client.query(gql(query), JSON.parse(variables || '{}')).toPromise();
console.log(
  JSON.stringify({
    data: result.data ?? null,
    error: result.error ? result.error.message : null,
    methods,
  }),
);
