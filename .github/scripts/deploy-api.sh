#!/usr/bin/env bash
# deploy-api.sh <env> <digest>: deploys the API image <digest> (already in <env>'s ECR repository)
# and records it as released (SSM /coleta/<env>/release/api-image-digest), which every later
# `cdk deploy` of the App stack reuses.
#
# Normal run: register task definition revisions (API service + migration task) that pin
# <repository>@<digest>, run the migrations as a one-off task, roll the service, check it did not
# roll back, record the digest.
# First deploy (no ECS service yet, because the App stack is created after the first image
# exists): only records the digest, and says how to continue.
#
# Outputs: mode=deployed|first-image, task-definition, previous-task-definition.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
env="${1:?usage: deploy-api.sh <env> <digest>}"
digest="${2:?usage: deploy-api.sh <env> <digest>}"
is_digest "$digest" || fail "'$digest' is not an image digest (sha256:<64 hex>)."

uri=$(deploy_param "$env" ecr-repository-uri)
repo=$(deploy_param "$env" ecr-repository-name)
cluster=$(deploy_param "$env" cluster-name)
service=$(deploy_param "$env" service-name)
migration_family=$(deploy_param "$env" migration-task-family)
image="$uri@$digest"

record() {
  aws ssm put-parameter --name "$(release_parameter "$env")" --type String --overwrite \
    --value "$digest" --description "API image released to $env (written by the deploy-backend workflow)" \
    >/dev/null
  echo "Recorded $digest as released to $env ($(release_parameter "$env"))."
}

# 1. The image must already be in this environment's repository (pushed, or promoted).
if ! aws_try AWS_OUTPUT aws ecr describe-images --repository-name "$repo" --image-ids "imageDigest=$digest"; then
  case "$AWS_ERROR" in
    *ImageNotFoundException*) fail "image $digest is not in $repo: build or promote it first." ;;
    *) fail "could not look up $repo@$digest: ${AWS_ERROR:-no message}" ;;
  esac
fi

# 2. Does the service exist yet? (First deploy: the App stack is created after this image.)
status=""
if ! aws_try status aws ecs describe-services --cluster "$cluster" --services "$service" \
  --query 'services[0].status' --output text; then
  case "$AWS_ERROR" in
    *ClusterNotFoundException*) status="MISSING" ;;
    *) fail "could not describe the ECS service $cluster/$service: ${AWS_ERROR:-no message}" ;;
  esac
fi
if [ "$status" != "ACTIVE" ]; then
  record
  output mode first-image
  notice "The ECS service $service does not exist yet (first deploy): image $digest is recorded for $env. Continue the first deploy: bash infra/aws/scripts/first-deploy.sh $env (docs/deploy.md)."
  summary "### First image for \`$env\`" "- \`$image\` recorded in \`$(release_parameter "$env")\`" \
    "- next: \`bash infra/aws/scripts/first-deploy.sh $env\` creates the App stack with it"
  exit 0
fi

# 3. New task definition revisions: copies of the current ones with only the image changed.
new_revision() { # <task definition> <container>
  local current next arn
  current=$(mktemp)
  next=$(mktemp)
  aws ecs describe-task-definition --task-definition "$1" --query taskDefinition --output json >"$current"
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e '
    const fs = require("node:fs");
    const [file, out, name, image] = process.argv.slice(1);
    const td = JSON.parse(fs.readFileSync(file, "utf8"));
    const container = td.containerDefinitions.find((c) => c.name === name);
    if (!container) { console.error(`::error::container ${name} not found in ${td.family}`); process.exit(1); }
    container.image = image;
    for (const k of ["taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities",
                     "registeredAt", "registeredBy", "deregisteredAt"]) delete td[k];
    fs.writeFileSync(out, JSON.stringify(td));
  ' "$current" "$next" "$2" "$image"
  arn=$(aws ecs register-task-definition --cli-input-json "file://$next" \
    --query taskDefinition.taskDefinitionArn --output text)
  rm -f "$current" "$next"
  echo "$arn"
}
previous=$(aws ecs describe-services --cluster "$cluster" --services "$service" \
  --query 'services[0].taskDefinition' --output text)
api=$(new_revision "$previous" api)
migration=$(new_revision "$migration_family" migrate)
output previous-task-definition "$previous"
output task-definition "$api"
echo "API: $previous -> $api"
echo "Migration: $migration"
summary "- \`$env\`: new task definition \`$api\`; previous \`$previous\` (roll back: docs/teams/backend.md)"

# 4. Migrations, as a one-off task with the new image. A failure stops here: nothing changed for users.
run_migrations "$env" "$migration"

# 5. Roll out. ECS replaces tasks behind the load balancer; the circuit breaker rolls back by itself
#    if the new tasks fail their health checks.
aws ecs update-service --cluster "$cluster" --service "$service" --task-definition "$api" \
  --force-new-deployment >/dev/null
aws ecs wait services-stable --cluster "$cluster" --services "$service"
running=$(aws ecs describe-services --cluster "$cluster" --services "$service" \
  --query 'services[0].taskDefinition' --output text)
[ "$running" = "$api" ] ||
  fail "ECS rolled back to $running: the new tasks did not become healthy. The previous image keeps running; $digest is NOT recorded as released."

# 6. Only now is it the released image.
record
output mode deployed
summary "- \`$env\` runs \`$image\` (recorded as released)"
