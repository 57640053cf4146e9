#!/usr/bin/env bash
# smoke-test.sh <env> <path>...: GET https://<domain><path> for each path (the app URL comes from
# the stacks' SSM parameter app-url); fails unless each answers 2xx within a few minutes.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
env="${1:?usage: smoke-test.sh <env> <path>...}"
shift
[ $# -gt 0 ] || fail "smoke-test.sh: no path to check"
app_url=$(deploy_param "$env" app-url)
for path in "$@"; do
  code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 20 --retry 6 --retry-delay 10 --retry-all-errors \
    "$app_url$path") || code="no answer"
  case "$code" in
    2??) echo "$code $app_url$path" ;;
    *) fail "$app_url$path answered $code" ;;
  esac
done
