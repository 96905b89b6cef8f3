#!/usr/bin/env bash
# Rebuilds tests/data/programme/sample.ods: the embedded sample exported to xlsx (typed cells,
# rust_xlsxwriter) and converted by LibreOffice Calc (apt-get install libreoffice-calc-nogui).
# Run it after changing src/data/sample_programme.csv or the export's columns.
set -euo pipefail
cd "$(dirname "$0")/../../.."
tmp=$(mktemp -d)
SPASER_XLSX_OUT="$tmp/sample.xlsx" cargo test --quiet --test programme_files -- --ignored export_sample_xlsx_for_the_ods_fixture
soffice --headless --convert-to ods --outdir "$tmp" "$tmp/sample.xlsx" >/dev/null
cp "$tmp/sample.ods" tests/data/programme/sample.ods
rm -rf "$tmp"
echo "tests/data/programme/sample.ods rebuilt"
