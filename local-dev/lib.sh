# Shared by the local-dev scripts: where things are, and the tools on PATH.
# Sourced, not run.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL_DEV="$ROOT/local-dev"
export PATH="$HOME/.cargo/bin:$PATH"
# Tools built with cargo live outside the clone, one folder per version, so a new clone reuses them.
TOOLS_DIR="${BOOKING_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/booking-multisite/tools}"

# The version of a crate as Cargo.lock pins it (the first match).
lock_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

WASM_BINDGEN_VERSION=$(lock_version wasm-bindgen)
WORKER_VERSION=$(lock_version worker)
WASM_BINDGEN_ROOT="$TOOLS_DIR/wasm-bindgen-$WASM_BINDGEN_VERSION"
WORKER_BUILD_ROOT="$TOOLS_DIR/worker-build-$WORKER_VERSION"
NODE_BIN_DIR="$LOCAL_DEV/node_modules/.bin"

# worker-build would download these from the internet; point it at ours instead.
export WASM_BINDGEN_BIN="$WASM_BINDGEN_ROOT/bin/wasm-bindgen"
export ESBUILD_BIN="$NODE_BIN_DIR/esbuild"
export WASM_OPT_BIN="$NODE_BIN_DIR/wasm-opt"
export WRANGLER_SEND_METRICS=false
# node_modules/.bin first: its `node` (>= 22.12) is the one wrangler needs.
export PATH="$NODE_BIN_DIR:$WORKER_BUILD_ROOT/bin:$WASM_BINDGEN_ROOT/bin:$PATH"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Runs one of the tests crate's binaries (verticals…). local-dev/test sets BOOKING_BINAIRES
# to the folder where its test build has just put them: `cargo run -p booking-tests` would
# resolve the dependencies' features without the dev-dependencies and build them again.
binaire_de_test() {
  local nom=$1; shift
  if [ -n "${BOOKING_BINAIRES:-}" ]; then
    "$BOOKING_BINAIRES/$nom" "$@"
  else
    cargo run --quiet -p booking-tests --bin "$nom" -- "$@"
  fi
}

# Fails, naming each one, when a required secret is empty or blank (JWT_SECRET: also when
# shorter than 32 characters) — the Worker would answer 503 to everything anyway.
exiger_secrets() {
  local nom valeur manquants=()
  for nom in "$@"; do
    valeur="${!nom:-}"
    if [ -z "${valeur//[[:space:]]/}" ]; then
      manquants+=("$nom : absent ou vide")
    elif [ "$nom" = JWT_SECRET ] && [ "${#valeur}" -lt 32 ]; then
      manquants+=("$nom : trop court (32 caractères au moins)")
    fi
  done
  if [ "${#manquants[@]}" -gt 0 ]; then
    for nom in "${manquants[@]}"; do printf 'Secret manquant — %s\n' "$nom" >&2; done
    printf 'Exportez-le avant de relancer (voir .dev.vars.example).\n' >&2
    return 1
  fi
}
