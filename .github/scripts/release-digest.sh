#!/usr/bin/env bash
# Prints the API image digest released to environment $1: what its API service runs (or, during a
# first deploy, the image pushed before the App stack exists). `cdk diff`/`cdk deploy` pass it as
# `-c apiImageDigest=<digest>`, so an infrastructure deploy never changes the image.
#
# The deploy-backend workflow writes it (SSM /coleta/<env>/release/api-image-digest) after every
# successful rollout. There is no fallback: if it is missing or unreadable this fails, and so
# does the deploy that needed it.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
env="${1:?usage: release-digest.sh <dev|prod>}"
name=$(release_parameter "$env")

digest=$(ssm_get "$name" "No API image has been released to '$env' yet. On a first deploy, run the deploy-backend workflow (it pushes or promotes the image and records it), then bash infra/aws/scripts/first-deploy.sh $env (docs/deploy.md).")
is_digest "$digest" || fail "$name holds '$digest', which is not an image digest (sha256:<64 hex>)."
echo "$digest"
