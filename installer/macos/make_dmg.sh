#!/usr/bin/env bash
# Wrap the frozen Nadir.app into a drag-to-Applications disk image, signed and notarised when the
# credentials are there.
#
#   installer/macos/make_dmg.sh dist/Nadir.app 0.1.0     (build.py --installer runs this)
#
# Output: dist/Nadir-<version>-macos-<arm64|x86_64>.dmg
#
# Signing and notarisation (installer/README.md explains how to get the credentials):
#   NADIR_CODESIGN_IDENTITY   "Developer ID Application: Name (TEAMID)", in the login keychain.
#                             installer/nadir.spec reads it too: PyInstaller then signs every
#                             binary with the hardened runtime and a timestamp. Unset: ad hoc
#                             signature, which runs on the build Mac but which Gatekeeper rejects
#                             once the file has been downloaded.
#   NOTARY_KEYCHAIN_PROFILE   a profile saved with `xcrun notarytool store-credentials`, or
#   NOTARY_APPLE_ID, NOTARY_TEAM_ID, NOTARY_PASSWORD (an app-specific password).
#                             With either, the .dmg is submitted to Apple's notary service and the
#                             ticket stapled to it, so it opens without a warning offline too.
set -euo pipefail

APP=${1:?usage: make_dmg.sh path/to/Nadir.app VERSION}
VERSION=${2:?usage: make_dmg.sh path/to/Nadir.app VERSION}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ARCH=$(uname -m)
DMG="$ROOT/dist/Nadir-$VERSION-macos-$ARCH.dmg"
IDENTITY=${NADIR_CODESIGN_IDENTITY:-}
PLIST="$APP/Contents/Info.plist"

say() { echo "[make_dmg] $*"; }

# 1. The bundle declares the .nadir document type and carries the icon (the spec's BUNDLE step).
[ "$(/usr/libexec/PlistBuddy -c 'Print :CFBundleDocumentTypes:0:CFBundleTypeExtensions:0' "$PLIST")" = nadir ] \
  || { echo "Info.plist of $APP declares no .nadir document type" >&2; exit 1; }
[ -f "$APP/Contents/Resources/$(/usr/libexec/PlistBuddy -c 'Print :CFBundleIconFile' "$PLIST")" ] \
  || { echo "$APP has no icon file" >&2; exit 1; }

# 2. Signature. PyInstaller signed each binary and the bundle; with a Developer ID, re-seal the
#    bundle with the hardened runtime so the outer signature covers the final Info.plist.
if [ -n "$IDENTITY" ]; then
  say "signing $APP as $IDENTITY"
  codesign --force --timestamp --options runtime \
    --entitlements "$ROOT/installer/macos/entitlements.plist" --sign "$IDENTITY" "$APP"
fi
codesign --verify --deep --strict --verbose=2 "$APP"

# 3. The disk image: the app and a link to /Applications to drag it onto.
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
ditto "$APP" "$STAGE/Nadir.app"
ln -s /Applications "$STAGE/Applications"
rm -f "$DMG"
hdiutil create -volname "Nadir $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -imagekey zlib-level=9 -ov "$DMG"
hdiutil verify "$DMG"

if [ -n "$IDENTITY" ]; then
  codesign --force --timestamp --sign "$IDENTITY" "$DMG"
fi

# 4. Notarisation, then staple the ticket to the image.
notary=()
if [ -n "${NOTARY_KEYCHAIN_PROFILE:-}" ]; then
  notary=(--keychain-profile "$NOTARY_KEYCHAIN_PROFILE")
elif [ -n "${NOTARY_APPLE_ID:-}" ] && [ -n "${NOTARY_TEAM_ID:-}" ] && [ -n "${NOTARY_PASSWORD:-}" ]; then
  notary=(--apple-id "$NOTARY_APPLE_ID" --team-id "$NOTARY_TEAM_ID" --password "$NOTARY_PASSWORD")
fi
if [ ${#notary[@]} -gt 0 ]; then
  [ -n "$IDENTITY" ] || { echo "notarisation needs a Developer ID signature (NADIR_CODESIGN_IDENTITY)" >&2; exit 1; }
  say "submitting $DMG for notarisation"
  xcrun notarytool submit "$DMG" "${notary[@]}" --wait
  xcrun stapler staple "$DMG"
  xcrun stapler validate "$DMG"
  spctl --assess --type open --context context:primary-signature --verbose "$DMG"
else
  say "not notarised (no notary credentials): fine for testing, Gatekeeper will warn on download"
fi

# 5. Smoke test from the image, as a user would run it: mount, open the demo, unmount.
MOUNT=$(mktemp -d)
hdiutil attach "$DMG" -nobrowse -readonly -mountpoint "$MOUNT" >/dev/null
SHOT=$(mktemp -d)/demo.png
status=0
QT_QPA_PLATFORM=offscreen "$MOUNT/Nadir.app/Contents/MacOS/Nadir" demo --screenshot "$SHOT" || status=$?
hdiutil detach "$MOUNT" >/dev/null
if [ "$status" -ne 0 ] || [ ! -s "$SHOT" ]; then
  echo "the app inside $DMG did not draw the demo window (exit $status)" >&2
  exit 1
fi

say "wrote $DMG ($(du -h "$DMG" | cut -f1))"
