// Runs the GraphQL over HTTP audit (graphql-http's auditServer) against a URL and prints
// its results as JSON: [{id, name, status, reason?}].
import { auditServer } from 'graphql-http';

const url = process.argv[2];
const results = await auditServer({ url });
console.log(
  JSON.stringify(
    results.map((r) => ({ id: r.id, name: r.name, status: r.status, reason: r.reason })),
  ),
);
