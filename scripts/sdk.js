#!/usr/bin/env node
// `npm run sdk`: the gateway's OpenAPI document (built without a database) and the TypeScript types openapi-typescript
// generates from it, both committed in libs/gateway-client. test/gateway/sdk-current.spec.ts regenerates them the same
// way and fails when the committed files are stale. Run after `npm run build` (the script does).
'use strict';
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const DOCUMENT_PATH = join(ROOT, 'libs/gateway-client/openapi.json');
const TYPES_PATH = join(ROOT, 'libs/gateway-client/src/generated/gateway-api.ts');

const documentText = (document) => `${JSON.stringify(document, null, 2)}\n`;

/** The generated types for `document`, exactly as committed. */
async function typesFor(document) {
  const openapiTS = require('openapi-typescript');
  const ast = await openapiTS.default(structuredClone(document), { alphabetize: false });
  return `${openapiTS.COMMENT_HEADER}${openapiTS.astToString(ast)}`;
}

module.exports = { DOCUMENT_PATH, TYPES_PATH, documentText, typesFor };

if (require.main === module && process.argv[2] === 'types') {
  // `node scripts/sdk.js types DOCUMENT.json`: the types for that document on stdout (the freshness test uses it:
  // Jest cannot load openapi-typescript's ES module dependencies).
  const { readFileSync } = require('node:fs');
  typesFor(JSON.parse(readFileSync(process.argv[3], 'utf8'))).then((types) => process.stdout.write(types));
} else if (require.main === module) {
  const { buildOpenApiDocument } = require(join(ROOT, 'dist/apps/gateway/src/openapi-document'));
  buildOpenApiDocument()
    .then(async (document) => {
      writeFileSync(DOCUMENT_PATH, documentText(document));
      writeFileSync(TYPES_PATH, await typesFor(document));
      console.log(`wrote ${DOCUMENT_PATH} and ${TYPES_PATH}`);
    })
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    });
}
