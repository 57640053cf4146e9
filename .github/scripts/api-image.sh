#!/usr/bin/env bash
# The API image in ECR, by digest. Tags are immutable: each commit is built once (tag = git SHA)
# and promotion copies that same digest, with the same tag, into the next environment.
#
#   api-image.sh locate  <env> <tag>               outputs repository-uri, repository-name and
#                                                  digest (empty when <tag> was never pushed: build it)
#   api-image.sh verify  <env> <tag> <digest>      fails unless <repository>:<tag> is <digest>
#   api-image.sh promote <env> <tag> <digest> <source-repository-uri>
#                                                  copies <source>@<digest> into <env>'s repository as
#                                                  <tag>, unchanged (same digest), then verifies it
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

# describe_image <repository-name> <image-id> <query> <name>: prints the <query> field of the image
# (<image-id>: imageTag=… or imageDigest=…); returns 1 if it is not in the repository, fails on any
# other error (<name> says which image in the message).
describe_image() {
  local out
  if aws_try out aws ecr describe-images --repository-name "$1" --image-ids "$2" \
    --query "$3" --output text; then
    printf '%s\n' "$out"
    return 0
  fi
  case "$AWS_ERROR" in
    *ImageNotFoundException*) return 1 ;;
    *) fail "could not look up $4 in ECR: ${AWS_ERROR:-no message}" ;;
  esac
}

# digest_of_tag <repository-name> <tag>: prints the digest, or nothing if the tag does not exist.
digest_of_tag() {
  describe_image "$1" "imageTag=$2" 'imageDetails[0].imageDigest' "$1:$2" || true
}

# tags_of_digest <repository-name> <digest>: prints its tags (tab separated); fails if absent.
tags_of_digest() {
  describe_image "$1" "imageDigest=$2" 'imageDetails[0].imageTags' "$1@$2" ||
    fail "image $2 is not in the ECR repository $1."
}

verify() {
  local repo="$1" tag="$2" digest="$3" tags
  is_digest "$digest" || fail "'$digest' is not an image digest (sha256:<64 hex>)."
  tags=$(tags_of_digest "$repo" "$digest")
  case "	$tags	" in
    *"	$tag	"*) ;;
    *) fail "$repo@$digest is not tagged $tag (tags: ${tags:-none}): the image changed between build and deploy." ;;
  esac
}

command="${1:?usage: api-image.sh locate|verify|promote <env> <tag> ...}"
env="${2:?environment}"
tag="${3:?tag}"
[[ "$tag" =~ ^[0-9a-f]{40}$ ]] || fail "image tag '$tag' must be a full git commit SHA."
uri=$(deploy_param "$env" ecr-repository-uri)
repo=$(deploy_param "$env" ecr-repository-name)

case "$command" in
  locate)
    digest=$(digest_of_tag "$repo" "$tag")
    output repository-uri "$uri"
    output repository-name "$repo"
    output digest "$digest"
    if [ -n "$digest" ]; then
      notice "$repo:$tag already exists ($digest): not rebuilt (each commit is built once)."
    fi
    ;;
  verify)
    verify "$repo" "$tag" "${4:?digest}"
    output digest "$4"
    ;;
  promote)
    digest="${4:?digest}"
    source_uri="${5:?source repository uri}"
    is_digest "$digest" || fail "'$digest' is not an image digest (sha256:<64 hex>)."
    existing=$(digest_of_tag "$repo" "$tag")
    if [ -n "$existing" ]; then
      [ "$existing" = "$digest" ] ||
        fail "$repo:$tag already exists as $existing, not $digest. Tags are immutable: refusing to promote a different image under the same tag."
      notice "$repo:$tag is already $digest (promoted before)."
    else
      # One token serves every registry the role may use (the source repository's policy lets this
      # environment's deploy-backend role pull, also from another account).
      registries=("${source_uri%%/*}")
      [ "${uri%%/*}" = "${registries[0]}" ] || registries+=("${uri%%/*}")
      for registry in "${registries[@]}"; do
        aws ecr get-login-password | docker login --username AWS --password-stdin "$registry"
      done
      # --prefer-index=false: a carbon copy of the manifest, so the digest stays the same.
      docker buildx imagetools create --prefer-index=false --tag "$uri:$tag" "$source_uri@$digest"
    fi
    verify "$repo" "$tag" "$digest"
    output digest "$digest"
    summary "- promoted \`$digest\` (commit \`${tag::7}\`) into \`$repo\`"
    ;;
  *) fail "unknown command '$command': locate, verify or promote" ;;
esac
