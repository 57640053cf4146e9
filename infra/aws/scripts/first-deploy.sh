#!/usr/bin/env bash
# First deploy of one Coleta environment into an AWS account, from a terminal, as an administrator:
#
#   bash infra/aws/scripts/first-deploy.sh dev        (then prod, once dev works)
#
# It does every step in order and checks each step's preconditions. Where a person must act, it
# stops with what to do, and you run the same command again: it skips what is done and goes on.
#   exit 0  done                                   exit 3  waiting for the DNS delegation
#   exit 1  something is wrong (the message says)  exit 4  waiting for the first API image
#
# Order (docs/deploy.md): credentials → CDK bootstrap → GitHub's OIDC provider → Network (DNS zone)
# → DNS delegated? → Data + Cicd (image repository, GitHub roles) → first image released by the
# deploy-backend workflow? → all stacks (App creates the ECS service with that image) → check.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
# shellcheck source=../../../.github/scripts/lib.sh
source "$root/.github/scripts/lib.sh"
env="${1:?usage: first-deploy.sh <dev|prod>}"

step() { printf '\n== %s ==\n' "$*"; }
need() { command -v "$1" >/dev/null || fail "$1 is not installed: $2"; }
cdk() { (cd "$root/infra/aws" && npx --no-install cdk "$@" -c "env=$env" --require-approval never); }

need node "install Node.js (see .nvmrc) and run npm ci"
need aws "install the AWS CLI v2"
need curl "install curl"
facts=$(cd "$root/infra/aws" && npx --no-install tsx scripts/env-info.ts "$env") ||
  fail "could not read infra/aws/config/$env.ts (run npm ci first)"
# Sets ACCOUNT REGION DOMAIN ZONE_MODE HOSTED_ZONE_ID OIDC_MODE REPOSITORY GITHUB_ENVIRONMENT
# IMAGE_SOURCE IMAGE_FROM PREFIX ECR_REPOSITORY RELEASE_PARAMETER and the role ARNs.
eval "$facts"
export AWS_REGION="$REGION" AWS_DEFAULT_REGION="$REGION"
# Filled by aws_try (lib.sh).
caller="" providers="" clients="" zone_ns=""

step "1. Credentials for account $ACCOUNT"
if ! aws_try caller aws sts get-caller-identity --query Account --output text; then
  fail "no usable AWS credentials (${AWS_ERROR:-no message}). Sign in as an administrator of account $ACCOUNT: aws configure sso, then aws sso login."
fi
[ "$caller" = "$ACCOUNT" ] ||
  fail "your credentials are for account $caller, but infra/aws/config/$env.ts says account $ACCOUNT (set it, or sign in to the right account)."
echo "ok: account $caller, region $REGION"

step "2. CDK bootstrap"
status=0
version=$(ssm_optional /cdk-bootstrap/hnb659fds/version) || status=$?
if [ "$status" = 3 ] || { [ "$status" = 0 ] && [ "$version" -lt 6 ]; }; then
  cdk bootstrap "aws://$ACCOUNT/$REGION"
elif [ "$status" != 0 ]; then
  exit "$status"
else
  echo "ok: bootstrapped (version $version)"
fi

step "3. GitHub's OIDC provider (github.oidcProvider: \"$OIDC_MODE\")"
aws_try providers aws iam list-open-id-connect-providers \
  --query "OpenIDConnectProviderList[?ends_with(Arn, '/token.actions.githubusercontent.com')].Arn" --output text ||
  fail "could not list the account's OIDC providers: $AWS_ERROR"
[ "$providers" != "None" ] || providers=""
owned=""
if ! aws_try owned aws cloudformation describe-stack-resources --stack-name "$PREFIX-Cicd" \
  --query "StackResources[?ResourceType=='AWS::IAM::OIDCProvider'].PhysicalResourceId" --output text; then
  case "$AWS_ERROR" in
    *"does not exist"*) owned="" ;;
    *) fail "could not read stack $PREFIX-Cicd: $AWS_ERROR" ;;
  esac
fi
[ "$owned" != "None" ] || owned=""
case "$OIDC_MODE" in
  create)
    if [ -n "$providers" ] && [ "$providers" != "$owned" ]; then
      fail "account $ACCOUNT already has GitHub's OIDC provider ($providers), not created by $PREFIX-Cicd. Set github.oidcProvider: \"import\" in infra/aws/config/$env.ts and run this again."
    fi
    echo "ok: $PREFIX-Cicd creates it${owned:+ (it already owns $owned)}"
    ;;
  import)
    [ -n "$providers" ] ||
      fail "github.oidcProvider is \"import\" but account $ACCOUNT has no GitHub OIDC provider. Set github.oidcProvider: \"create\" in infra/aws/config/$env.ts and run this again."
    aws_try clients aws iam get-open-id-connect-provider --open-id-connect-provider-arn "$providers" \
      --query ClientIDList --output text || fail "could not read $providers: $AWS_ERROR"
    case "	$clients	" in
      *"	sts.amazonaws.com	"*) echo "ok: importing $providers" ;;
      *) fail "$providers does not accept the audience sts.amazonaws.com (client ids: $clients). Add it: aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn $providers --client-id sts.amazonaws.com" ;;
    esac
    ;;
  *) fail "unknown github.oidcProvider \"$OIDC_MODE\"" ;;
esac

step "4. $PREFIX-Network (VPC, security groups, DNS zones)"
cdk deploy "$PREFIX-Network" --exclusively

step "5. DNS delegation of $DOMAIN"
zone_id="$HOSTED_ZONE_ID"
if [ "$ZONE_MODE" = "create" ]; then
  aws_try zone_id aws route53 list-hosted-zones-by-name --dns-name "$DOMAIN." \
    --query "HostedZones[?Name=='$DOMAIN.' && Config.PrivateZone==\`false\`].Id" --output text ||
    fail "could not list hosted zones: $AWS_ERROR"
  case "$zone_id" in
    "" | None) fail "no public hosted zone $DOMAIN after deploying $PREFIX-Network." ;;
    *[[:space:]]*) fail "several public hosted zones are named $DOMAIN ($zone_id): delete the extra ones, or use hostedZone: { mode: \"import\", hostedZoneId } in infra/aws/config/$env.ts." ;;
  esac
fi
aws_try zone_ns aws route53 get-hosted-zone --id "$zone_id" --query DelegationSet.NameServers --output text ||
  fail "could not read hosted zone $zone_id: $AWS_ERROR"
# What the internet sees (DNS over HTTPS, a public resolver), not what Route 53 says.
public_json=$(curl -fsS --max-time 20 "https://dns.google/resolve?name=$DOMAIN&type=NS") ||
  fail "could not ask a public DNS resolver for the name servers of $DOMAIN (https://dns.google)."
normalize() { tr -s '[:space:]' '\n' | tr '[:upper:]' '[:lower:]' | sed -e 's/\.$//' -e '/^$/d' | sort -u; }
expected=$(printf '%s\n' "$zone_ns" | normalize)
seen=$(printf '%s' "$public_json" | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const answer = JSON.parse(s).Answer ?? [];
    for (const a of answer) if (a.type === 2) console.log(a.data);
  });' | normalize)
if [ "$expected" != "$seen" ]; then
  echo "The zone $DOMAIN ($zone_id) is not delegated to Route 53 yet: the certificates of the next stacks"
  echo "are validated through it and would wait forever. Where you bought the domain (your registrar), or in"
  echo "the parent zone, create an NS record for $DOMAIN with exactly these four name servers:"
  printf '    %s\n' "$expected"
  echo "Public DNS answers now: ${seen:-nothing}"
  echo "Then run this command again (a new delegation can take from minutes to a few hours to be seen)."
  exit 3
fi
echo "ok: the world sees $DOMAIN served by its Route 53 zone"

step "6. $PREFIX-Data and $PREFIX-Cicd (database, cache, buckets, image repository; GitHub roles)"
cdk deploy "$PREFIX-Data" "$PREFIX-Cicd" --exclusively
cat <<EOF
GitHub (docs/deploy.md, "Connect GitHub"): environment "$GITHUB_ENVIRONMENT" needs these variables:
    AWS_REGION                    $REGION
    AWS_DEPLOY_FRONTEND_ROLE_ARN  $DEPLOY_FRONTEND_ROLE_ARN
    AWS_DEPLOY_BACKEND_ROLE_ARN   $DEPLOY_BACKEND_ROLE_ARN
    AWS_INFRA_ROLE_ARN            $INFRA_ROLE_ARN
and the repository needs the variable AWS_DIFF_ROLE_ARN_$(echo "$env" | tr '[:lower:]' '[:upper:]')  $DIFF_ROLE_ARN
EOF

step "7. The first API image"
status=0
digest=$(ssm_optional "$RELEASE_PARAMETER") || status=$?
if [ "$status" = 3 ]; then
  echo "No API image has been released to $env yet. With the GitHub variables above in place, run"
  echo "Actions → deploy-backend → Run workflow (branch main):"
  if [ "$IMAGE_SOURCE" = "promote" ]; then
    echo "  its build and $IMAGE_FROM jobs reuse the image $IMAGE_FROM runs; approve its $env job: it copies that"
    echo "  same image (same digest) into $ECR_REPOSITORY."
  else
    echo "  it builds the image once and pushes it to $ECR_REPOSITORY."
  fi
  echo "The API service does not exist yet, so the workflow only records the image and stops (green)."
  echo "Then run this command again."
  exit 4
fi
[ "$status" = 0 ] || exit "$status"
is_digest "$digest" || fail "$RELEASE_PARAMETER holds '$digest', not an image digest."
if ! aws_try AWS_OUTPUT aws ecr describe-images --repository-name "$ECR_REPOSITORY" --image-ids "imageDigest=$digest"; then
  fail "$RELEASE_PARAMETER names $digest, which is not in $ECR_REPOSITORY (${AWS_ERROR:-no message}): run deploy-backend again."
fi
echo "ok: $ECR_REPOSITORY@$digest"

step "8. All stacks: $PREFIX-App (ECS service with that image), -Edge (CloudFront), -Monitoring"
cdk deploy --all -c "apiImageDigest=$digest"

step "9. Database roles and schema (the migration task; the API itself never runs DDL)"
run_migrations "$env" "$(deploy_param "$env" migration-task-family)"

step "10. Check"
if ! curl -fsS --max-time 20 --retry 10 --retry-delay 30 --retry-all-errors -o /dev/null \
  "https://$DOMAIN/backend/health/ready"; then
  fail "https://$DOMAIN/backend/health/ready does not answer 200: see the ECS service's events and the log group /coleta/$env/api."
fi
cat <<EOF
ok: https://$DOMAIN/backend/health/ready answers.
Done. Next (docs/deploy.md): run deploy-frontend for $env, confirm the four SNS e-mail subscriptions,
create the health-check form. From now on the workflows deploy $env; this script is not needed again.
EOF
