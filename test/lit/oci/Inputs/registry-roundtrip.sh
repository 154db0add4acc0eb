#!/usr/bin/env bash
# The fleet path through a real registry, offline: Debian's docker-registry on 127.0.0.1,
# btc's signed image pushed with skopeo (the image tag and its cosign signature tag),
# pulled back into a layout, the signature checked (scripts/verify-cosign.py), and
# skopeo's own policies tried: `signedBy` (GPG simple signing, which Debian's skopeo
# supports) and `sigstoreSigned` (which it refuses). Prints one line per step for
# FileCheck; leaves the pulled layout in WORK/pulled for btrun.
#   registry-roundtrip.sh WORK BTC VERIFY_COSIGN
set -euo pipefail
work=$1 btc=$2 verify=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
reg=127.0.0.1:$port
cat > registry.yml <<YML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $work/registry-data
http:
  addr: $reg
YML
# Bounded: the registry stops by itself if this script is killed before its trap runs.
timeout 300 docker-registry serve registry.yml > registry.log 2>&1 &
registry_pid=$!
stop() {
  kill $registry_pid 2> /dev/null
  wait $registry_pid 2> /dev/null || true
  # gpg starts an agent per home directory, which would outlive the test.
  for home in "$work/gnupg" "$work/gnupg-other"; do
    [ -d "$home" ] && gpgconf --homedir "$home" --kill gpg-agent 2> /dev/null || true
  done
}
trap stop EXIT
for _ in $(seq 100); do
  curl -fsS "http://$reg/v2/" > /dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://$reg/v2/" > /dev/null
echo "registry: up"

openssl genpkey -algorithm ed25519 -out key.pem 2>/dev/null
openssl pkey -in key.pem -pubout -out key.pub
openssl genpkey -algorithm ed25519 -out other.pem 2>/dev/null
openssl pkey -in other.pem -pubout -out other.pub
repo=$reg/btc/hello
"$btc" -e 'BEGIN { printf("hello from the registry\n"); exit(); }' --sign key.pem \
  --oci-layout img --oci-tag v1 --oci-sign-identity "$repo"
"$btc" -e 'BEGIN { exit(); }' --oci-layout unsigned --oci-tag v1
sig=$(skopeo inspect --format '{{.Digest}}' oci:img:v1 | tr : -).sig
echo "signature tag: $sig"

# GPG simple signing: skopeo signs while pushing and keeps the signature in a lookaside
# directory (registries.d), where its signedBy policy reads it back.
export GNUPGHOME=$work/gnupg
mkdir -m 700 gnupg
gpg --batch --quiet --passphrase '' --quick-gen-key 'btc test <ci@btc.invalid>' ed25519 sign never 2> /dev/null
fpr=$(gpg --batch --with-colons --list-secret-keys 2> /dev/null | awk -F: '/^fpr/ { print $10; exit }')
gpg --batch --export "$fpr" > gpg.pub 2> /dev/null
mkdir -m 700 gnupg-other
GNUPGHOME=$work/gnupg-other gpg --batch --quiet --passphrase '' --quick-gen-key 'other <o@btc.invalid>' ed25519 sign never 2> /dev/null
GNUPGHOME=$work/gnupg-other gpg --batch --export > other-gpg.pub
mkdir registries.d
cat > registries.d/loopback.yaml <<YML
docker:
  $reg:
    lookaside: file://$work/lookaside
    lookaside-staging: file://$work/lookaside
    use-sigstore-attachments: true
YML
policy() { # TYPE KEY: that policy for the loopback registry, anything else refused
  cat <<JSON
{"default": [{"type": "reject"}],
 "transports": {"docker": {"$reg": [$1]},
                "oci": {"": [{"type": "insecureAcceptAnything"}]}}}
JSON
}
policy '{"type": "insecureAcceptAnything"}' > push-policy.json
push() { skopeo --policy push-policy.json copy -q --registries.d registries.d --dest-tls-verify=false "$@"; }
push --sign-by "$fpr" oci:img:v1 "docker://$repo:v1"
push oci:img:"$sig" "docker://$repo:$sig"
push oci:unsigned:v1 "docker://$reg/btc/unsigned:v1"
echo "pushed: $(skopeo list-tags --tls-verify=false "docker://$repo" | python3 -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin)["Tags"])))')"

pull() { # POLICY SOURCE DEST: prints accepted or the first line of skopeo's refusal
  # --remove-signatures: an OCI layout cannot store them; the policy has checked them.
  if out=$(skopeo --policy "$1" copy -q --registries.d registries.d --src-tls-verify=false \
             --remove-signatures "$2" "$3" 2>&1); then
    echo accepted
  else
    echo "refused: $(echo "$out" | sed -n 's/.*msg="\(.*\)"$/\1/p' | sed 's/: gpgme\..*//' | head -1)"
  fi
}
policy '{"type": "signedBy", "keyType": "GPGKeys", "keyPath": "'"$work"'/gpg.pub"}' > gpg-policy.json
policy '{"type": "signedBy", "keyType": "GPGKeys", "keyPath": "'"$work"'/other-gpg.pub"}' > other-gpg-policy.json
echo "signedBy, signed image: $(pull gpg-policy.json "docker://$repo:v1" oci:pulled:v1)"
echo "signedBy, unsigned image: $(pull gpg-policy.json "docker://$reg/btc/unsigned:v1" oci:rejected:v1)"
echo "signedBy, another key: $(pull other-gpg-policy.json "docker://$repo:v1" oci:rejected:v1)"
policy '{"type": "sigstoreSigned", "keyPath": "'"$work"'/key.pub", "signedIdentity": {"type": "matchRepository"}}' > sigstore-policy.json
echo "sigstoreSigned, signed image: $(pull sigstore-policy.json "docker://$repo:v1" oci:sigstore:v1)"
echo "sigstoreSigned, unsigned image: $(pull sigstore-policy.json "docker://$reg/btc/unsigned:v1" oci:rejected:v1)"

# The cosign signature travels as a tag of its own: pulled beside the image.
pull push-policy.json "docker://$repo:$sig" "oci:pulled:$sig" > /dev/null
echo "cosign, right key: $(python3 "$verify" pulled v1 key.pub "$repo" | sed 's/^verify-cosign: [^ ]*: //')"
echo "cosign, another key: $(python3 "$verify" pulled v1 other.pub "$repo" | sed 's/^verify-cosign: [^ ]*: //')" || true
echo "cosign, another identity: $(python3 "$verify" pulled v1 key.pub "$reg/btc/other" | sed 's/^verify-cosign: [^ ]*: //')" || true
echo "cosign, unsigned image: $(python3 "$verify" unsigned v1 key.pub "$reg/btc/unsigned" | sed 's/^verify-cosign: [^ ]*: //')" || true
cp -r pulled tampered
payload=$(python3 -c 'import json; i = json.load(open("tampered/index.json"))
sig = [m for m in i["manifests"] if m["annotations"]["org.opencontainers.image.ref.name"].endswith(".sig")][0]
print(json.load(open("tampered/blobs/sha256/" + sig["digest"][7:]))["layers"][0]["digest"][7:])')
chmod u+w "tampered/blobs/sha256/$payload"
sed -i 's/btc\/hello/btc\/hellO/' "tampered/blobs/sha256/$payload"
echo "cosign, tampered payload: $(python3 "$verify" tampered v1 key.pub "$repo" | sed 's/^verify-cosign: [^ ]*: //')" || true
# A forged payload whose blob, manifest and index digests are all recomputed: only the
# signature can tell.
rm -rf forged && cp -r pulled forged && chmod -R u+w forged
python3 - forged <<'PY'
import hashlib, json, os, sys
layout = sys.argv[1]
def put(data):
    digest = hashlib.sha256(data).hexdigest()
    open(os.path.join(layout, "blobs", "sha256", digest), "wb").write(data)
    return "sha256:" + digest, len(data)
index = json.load(open(os.path.join(layout, "index.json")))
entry = [m for m in index["manifests"] if m["annotations"]["org.opencontainers.image.ref.name"].endswith(".sig")][0]
manifest = json.load(open(os.path.join(layout, "blobs", "sha256", entry["digest"][7:])))
layer = manifest["layers"][0]
payload = json.load(open(os.path.join(layout, "blobs", "sha256", layer["digest"][7:])))
payload["optional"] = {"forged": "yes"}
layer["digest"], layer["size"] = put(json.dumps(payload).encode())
entry["digest"], entry["size"] = put(json.dumps(manifest).encode())
json.dump(index, open(os.path.join(layout, "index.json"), "w"))
PY
echo "cosign, forged payload: $(python3 "$verify" forged v1 key.pub "$repo" | sed 's/^verify-cosign: [^ ]*: //')" || true
