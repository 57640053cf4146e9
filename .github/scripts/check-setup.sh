#!/usr/bin/env bash
# check-setup.sh <where> NAME VALUE [NAME VALUE ...]
# Fails with instructions when a GitHub variable a workflow needs is empty or not a role ARN,
# instead of letting configure-aws-credentials fail with a vague credentials error.
# <where> says where to set it, e.g. "environment dev" or "repository".
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
where="${1:?usage: check-setup.sh <where> NAME VALUE [NAME VALUE ...]}"
shift
[ $(($# % 2)) = 0 ] || fail "check-setup.sh: NAME VALUE pairs expected"
missing=0
while [ $# -gt 0 ]; do
  name="$1" value="$2"
  shift 2
  if [ -z "$value" ]; then
    echo "::error::GitHub variable $name is not set ($where). Settings → Environments/Variables; the value is the Cicd stack output of the same role (docs/deploy.md, \"Connect GitHub\")." >&2
    missing=1
  elif [[ ! "$value" =~ ^arn:aws:iam::[0-9]{12}:role/coleta-[a-z]+-github-[a-z-]+$ ]]; then
    echo "::error::GitHub variable $name ($where) is '$value', not the ARN of a Coleta GitHub role (arn:aws:iam::<account>:role/coleta-<env>-github-…)." >&2
    missing=1
  fi
done
exit "$missing"
