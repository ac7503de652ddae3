#!/usr/bin/env bash
# Packages the workspace the way `cargo publish` would (cargo builds each .crate from its own
# tarball), then builds and runs a tiny crate outside the workspace against the unpacked
# graph-workbook package, with `[patch.crates-io]` pointing graph-workbook-codegen at its own
# unpacked tarball; it makes one call to a server on 127.0.0.1. Run by .ci/run after the tests.
# Crates come from crates.io only (the workspace's Cargo.lock pins the same versions).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
PKG="$TARGET/package"

# cargo keeps the sources it unpacked from its temporary local registry by name and version
# (under $CARGO_HOME/registry/src/-<hash>/, never crates.io's folder): a second run with the same
# version would verify against the first run's sources. Drop this workspace's stale copies.
rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/graph-workbook*-[0-9]*
# Likewise cargo takes a registry crate's compiled artifacts as fresh by name and version: drop
# what an earlier run built from those sources (the workspace's own copies rebuild in seconds).
cargo clean -q -p graph-workbook -p graph-workbook-codegen -p graph-workbook-emulator
# The test-only crate (graph-workbook-conformance) reads ../spec at build time, which a packaged
# crate cannot, and `cargo package --workspace` packages even `publish = false` members.
cargo package --workspace --exclude graph-workbook-conformance --locked
VERSION="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)"
for crate in graph-workbook graph-workbook-codegen graph-workbook-emulator; do
  [ -f "$PKG/$crate-$VERSION/Cargo.toml" ] || { echo "package-check: $PKG/$crate-$VERSION missing" >&2; exit 1; }
  ls -l "$PKG/$crate-$VERSION.crate" | awk -v c="$crate" '{print "package-check: " c ".crate " $5 " bytes"}'
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cp -r scripts/package-check/src "$WORK/"
sed -e "s|@PKG@|$PKG|g" -e "s|@VERSION@|$VERSION|g" scripts/package-check/Cargo.toml.in > "$WORK/Cargo.toml"
cp Cargo.lock "$WORK/Cargo.lock"
# The shared target directory reuses the dependencies the workspace already built.
CARGO_TARGET_DIR="$TARGET" cargo run --manifest-path "$WORK/Cargo.toml"
