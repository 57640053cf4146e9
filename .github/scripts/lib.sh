# shellcheck shell=bash
# Helpers shared by the deploy scripts (sourced, not run). Every failure is loud: an "::error::"
# line (a GitHub annotation; plain text in a terminal) and a non-zero exit. Nothing falls back.
#
# Command substitution hides failures inside other commands (`echo "X=$(f)"` succeeds when f
# fails), so callers assign first (`x=$(deploy_param dev cluster-name)`), then use the value.

fail() {
  echo "::error::$*" >&2
  exit 1
}

notice() { echo "::notice::$*" >&2; }

export AWS_OUTPUT="" AWS_ERROR=""

# Appends key=value to $GITHUB_OUTPUT when running in GitHub Actions; prints it anyway.
output() {
  echo "$1=$2"
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1=$2" >>"$GITHUB_OUTPUT"; fi
}

# Appends Markdown to the job summary when running in GitHub Actions.
summary() {
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then printf '%s\n' "$@" >>"$GITHUB_STEP_SUMMARY"; fi
}

# aws_try <var> <command...>: runs an AWS CLI command; its stdout goes to <var> (AWS_OUTPUT when
# the output is not needed), its stderr to AWS_ERROR. Returns the command's status (never exits), so callers can tell "not found" from errors.
aws_try() {
  local __var="$1" __err __out __status=0
  shift
  __err=$(mktemp)
  __out=$("$@" 2>"$__err") || __status=$?
  AWS_ERROR=$(sed "/^[[:space:]]*$/d" "$__err")
  rm -f "$__err"
  printf -v "$__var" '%s' "$__out"
  return "$__status"
}

# ssm_optional <name>: prints the value and returns 0, or returns 3 if the parameter does not
# exist; any other error (access denied, throttling, no credentials) fails.
ssm_optional() {
  local value
  if aws_try value aws ssm get-parameter --name "$1" --query Parameter.Value --output text; then
    printf '%s\n' "$value"
    return 0
  fi
  case "$AWS_ERROR" in
    *ParameterNotFound*) return 3 ;;
    *) fail "could not read SSM parameter $1: ${AWS_ERROR:-no message}" ;;
  esac
}

# ssm_get <name> <hint>: the value of an SSM parameter that must exist; <hint> says what to do.
ssm_get() {
  local value status=0
  value=$(ssm_optional "$1") || status=$?
  if [ "$status" = 3 ]; then fail "SSM parameter $1 does not exist. $2"; fi
  if [ "$status" != 0 ]; then exit "$status"; fi
  printf '%s\n' "$value"
}

# deploy_param <env> <name>: /coleta/<env>/deploy/<name>, written by the CDK stacks.
deploy_param() {
  ssm_get "/coleta/$1/deploy/$2" \
    "The stacks of '$1' are not deployed this far yet: run the first deploy (bash infra/aws/scripts/first-deploy.sh $1, docs/deploy.md)."
}

# The parameter the pipeline writes (never CloudFormation) with the image digest released to <env>.
release_parameter() { echo "/coleta/$1/release/api-image-digest"; }

is_digest() { [[ "$1" =~ ^sha256:[0-9a-f]{64}$ ]]; }

# run_migrations <env> <task-definition>: runs the database migrations of <env> as a one-off ECS
# task (the migration task definition: revision ARN, or family for its latest revision), waits for
# it, prints its log and fails unless it exited 0. Used by deploy-api.sh before every rollout and
# by first-deploy.sh right after the App stack first exists (the API runs as a DML-only role and
# never migrates itself).
run_migrations() {
  local env="$1" migration="$2"
  local cluster subnets security_group log_group netcfg task code reason stream
  cluster=$(deploy_param "$env" cluster-name)
  subnets=$(deploy_param "$env" migration-subnet-ids)
  security_group=$(deploy_param "$env" migration-security-group-id)
  log_group=$(deploy_param "$env" api-log-group)
  netcfg=$(node -e '
    const [subnets, sg] = process.argv.slice(1);
    console.log(JSON.stringify({ awsvpcConfiguration: {
      subnets: subnets.split(",").filter(Boolean), securityGroups: [sg], assignPublicIp: "DISABLED" } }));
  ' "$subnets" "$security_group")
  task=$(aws ecs run-task --cluster "$cluster" --task-definition "$migration" --launch-type FARGATE \
    --network-configuration "$netcfg" --started-by "deploy-${GITHUB_RUN_ID:-manual}" \
    --query 'tasks[0].taskArn' --output text)
  if [ -z "$task" ] || [ "$task" = "None" ]; then
    fail "the migration task did not start (aws ecs run-task returned no task)."
  fi
  echo "Migration task: $task"
  aws ecs wait tasks-stopped --cluster "$cluster" --tasks "$task"
  code=$(aws ecs describe-tasks --cluster "$cluster" --tasks "$task" \
    --query "tasks[0].containers[?name=='migrate'].exitCode | [0]" --output text)
  reason=$(aws ecs describe-tasks --cluster "$cluster" --tasks "$task" --query 'tasks[0].stoppedReason' --output text)
  echo "Exit code: $code ($reason)"
  stream="migrate/migrate/${task##*/}"
  # The migration output, here, so nobody has to open CloudWatch for the usual case (best effort).
  aws logs get-log-events --log-group-name "$log_group" --log-stream-name "$stream" --limit 200 \
    --query 'events[].message' --output text || echo "(no migration log: $log_group $stream)"
  [ "$code" = "0" ] ||
    fail "Migrations failed (exit $code). The service was NOT updated. Logs: CloudWatch log group $log_group, stream $stream."
}
