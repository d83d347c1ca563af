#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the DEB with CPack from the configured build tree, checks what it installs, validates the
# installed desktop entry and AppStream metainfo, and runs the installed binaries from an unpacked copy
# (EMR seal → open through the installed HiNet plugin and weights: the relocatable install works).
# Usage: check_deb.sh BUILD_DIR
set -euo pipefail
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/pkg" > "$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/pkg/medveil_*.deb)
dpkg-deb -c "$deb" | awk '{print $6}' > "$work/files"
multiarch=$(gcc -print-multiarch)
for f in usr/bin/medveil usr/bin/medveil-cli "usr/lib/$multiarch/medveil/libmedveil_hinet.so" \
         "usr/lib/$multiarch/medveil/libmedveil_codecs.so" "usr/lib/$multiarch/medveil/libmedveil_dicom.so" \
         usr/share/doc/medveil/copyright usr/share/doc/medveil/changelog.gz \
         usr/share/man/man1/medveil-cli.1.gz usr/share/man/man1/medveil.1.gz \
         usr/share/medveil/models/hinet.pt usr/share/medveil/models/README.md \
         usr/share/applications/org.medveil.MedVeil.desktop usr/share/metainfo/org.medveil.MedVeil.metainfo.xml \
         usr/share/icons/hicolor/scalable/apps/org.medveil.MedVeil.svg usr/share/medveil/samples/brain_mri_axial_512.png; do
  grep -qx "./$f" "$work/files" || { echo "check_deb: $f missing from the package"; exit 1; }
done
dpkg-deb -f "$deb" Depends | grep -q libqt6widgets6 || { echo "check_deb: no Qt dependency recorded"; exit 1; }
# Debian's own package checker: no error and no warning (stripped binaries, copyright, changelog, manual
# pages, a description, no ldconfig calls for the private plugin).
lintian_rc=0
lintian --fail-on error,warning "$deb" > "$work/lintian.txt" 2>&1 || lintian_rc=$?
if ((lintian_rc != 0)) || grep -q '^[EW]:' "$work/lintian.txt"; then
  cat "$work/lintian.txt"
  echo "check_deb: lintian reports errors or warnings (exit $lintian_rc)"
  exit 1
fi
[[ -z $(dpkg-deb -I "$deb" | grep -E 'postinst|postrm') ]] || { echo "check_deb: maintainer scripts present"; exit 1; }
dpkg-deb -x "$deb" "$work/root"
desktop-file-validate "$work/root/usr/share/applications/org.medveil.MedVeil.desktop"
appstreamcli validate --no-net --pedantic "$work/root/usr/share/metainfo/org.medveil.MedVeil.metainfo.xml"

cli="$work/root/usr/bin/medveil-cli"
"$cli" --version
QT_QPA_PLATFORM=offscreen "$work/root/usr/bin/medveil" --version
printf 'Discharge note: no acute findings. 出院小结：未见急性病变。\n' > "$work/emr.txt"
"$cli" keygen --private "$work/priv.pem" --public "$work/pub.pem"
"$cli" emr-seal --image "$work/root/usr/share/medveil/samples/brain_mri_axial_512.png" --emr "$work/emr.txt" \
  "$work/sealed.png" --public "$work/pub.pem" --json > "$work/seal.json"
"$cli" emr-open "$work/sealed.png" --private "$work/priv.pem" --emr-out "$work/emr-out.txt" \
  --image-out "$work/revealed.png" --json > /dev/null
cmp "$work/emr.txt" "$work/emr-out.txt"
# Relocatable (issue #28): the unpacked tree, moved, finds its plugins and weights beside the executable and
# holds no path of the build machine; a JPEG goes through the installed codecs plugin.
mv "$work/root" "$work/moved"
cli="$work/moved/usr/bin/medveil-cli"
"$cli" emr-open "$work/sealed.png" --private "$work/priv.pem" --emr-out "$work/emr-moved.txt" \
  --image-out "$work/revealed-moved.png" > /dev/null
cmp "$work/emr.txt" "$work/emr-moved.txt"
/usr/bin/python3 -c "import sys; from PIL import Image; Image.open(sys.argv[1]).save(sys.argv[2], quality=95)" \
  "$work/moved/usr/share/medveil/samples/brain_mri_axial_512.png" "$work/slice.jpg"
"$cli" metrics "$work/slice.jpg" "$work/slice.jpg" --json > /dev/null
source_dir=$(realpath "$(dirname "$0")/../..")
build_real=$(realpath "$build")
if grep -r -a -l -F -e "$source_dir" -e "$build_real" "$work/moved/usr/bin" "$work/moved/usr/lib"; then
  echo "check_deb: the files above hold a path of the build machine"
  exit 1
fi
echo "check_deb: lintian clean; $(basename "$deb") installs both binaries, the HiNet plugin and weights, icon, desktop entry and metainfo; the unpacked install seals and opens an EMR byte-exactly, also when moved"
