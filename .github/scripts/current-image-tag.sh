#!/usr/bin/env bash
# Prints the image tag the API service of environment $1 runs right now, so that `cdk diff` /
# `cdk deploy` keep it (`-c imageTag=<tag>`) instead of rolling the service back to the tag in
# infra/aws/config: the backend pipeline (deploy-backend.yml) changes the image outside CDK.
#
# Prints "latest" (the config default) only when the stacks or the service do not exist yet
# (first deploy). Any other failure stops the job: guessing could roll production back.
#
# The infra role itself cannot read ECS; it may assume the CDK bootstrap "lookup" role, which
# has read-only access. That is the role used here.
set -euo pipefail
env="${1:?usage: current-image-tag.sh <dev|prod>}"

cluster=$(aws ssm get-parameter --name "/coleta/${env}/deploy/cluster-name" \
  --query Parameter.Value --output text 2>/dev/null || true)
service=$(aws ssm get-parameter --name "/coleta/${env}/deploy/service-name" \
  --query Parameter.Value --output text 2>/dev/null || true)
if [ -z "$cluster" ] || [ -z "$service" ]; then
  echo "no deploy parameters for ${env} yet: first deploy, using the config's image tag" >&2
  echo latest
  exit 0
fi

account=$(aws sts get-caller-identity --query Account --output text)
region="${AWS_REGION:-us-east-1}"
lookup="arn:aws:iam::${account}:role/cdk-hnb659fds-lookup-role-${account}-${region}"
read -r AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN < <(aws sts assume-role \
  --role-arn "$lookup" --role-session-name "current-image-tag" \
  --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN

taskdef=$(aws ecs describe-services --cluster "$cluster" --services "$service" \
  --query 'services[0].taskDefinition' --output text)
if [ -z "$taskdef" ] || [ "$taskdef" = "None" ]; then
  echo latest
  exit 0
fi
image=$(aws ecs describe-task-definition --task-definition "$taskdef" \
  --query "taskDefinition.containerDefinitions[?name=='api'].image | [0]" --output text)
echo "current image of ${env}: ${image}" >&2
echo "${image##*:}"
