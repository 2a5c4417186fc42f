export const USAGE = `usage: usi <command> [options]

commands:
  keystore inspect --keystore FILE [--password P]  list the credentials; with a password, check it first
  check-usi USI                              check a USI's format and check character
  token                                      obtain an STS token; prints metadata only
  doctor                                     check keystore, STS/USI reachability, a token, the clock offset and
                                             GetCountries, one line each (read-only; exit 0 only when all pass)
  verify --usi U (--first-name F --family-name L | --single-name N) --dob YYYY-MM-DD
  bulk-verify | create | locate | update-personal | update-contact | bulk-upload | bulk-retrieve
             | countries | document-types   [--file REQUEST.json]   (JSON without orgCode)
  gateway status --url URL --key KEY         a running USI Gateway's GET /v1/status (API key with admin)
  gateway verify --url URL --key KEY --org ORGCODE --usi U (--first-name F --family-name L | --single-name N) --dob D
                                             VerifyUSI through the gateway (API key with usi:verify)

connection:  --env sim|3pt|production  --sim-url URL  --sts-url URL  --usi-url URL  --applies-to URL
             --timeout-ms N  --service-version v5 (default) | v6 (draft, simulator only)
credential:  --keystore FILE  --alias ID  --password P (or USI_KEYSTORE_PASSWORD)
             --org ORGCODE  --act-as-abn ABN --ssid SSID (cloud software acting for a provider)
gateway:     --url URL (or USI_GATEWAY_URL)  --key KEY (or USI_GATEWAY_KEY, keeps it out of shell history)  --timeout-ms N

Results are JSON on stdout (exit 0); errors are JSON {code, message, ...} on stderr (exit 1, usage 2).
A gateway problem keeps its own code: {code, message: its detail, status, requestId} (exit 1).
doctor prints text lines instead (PASS/WARN/FAIL/SKIP per check) and exits 1 when any check fails.
`;
