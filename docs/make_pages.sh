#!/usr/bin/env bash
# Page images of the demo's documents for the README, as a reader sees them: the demo
# into a temporary folder, LibreOffice to PDF, pdftoppm to PNG. Run from the repository:
#   bash docs/make_pages.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# The fonts the archive copies use (EB Garamond for Garamond): see arende/fonts.conf.
export FONTCONFIG_FILE="$PWD/arende/fonts.conf"
work=$(mktemp -d)
.venv/bin/arende demo --out "$work/demo-out" > /dev/null
cd "$work/demo-out"
files=(ALN-2022-00011_tjansteskrivelse ALN_2022-02-15_kallelse ALN_2022-02-15_protokoll
       ALN-2022-00014_protokollsutdrag ALN-2022-00014_remissvar ALN-2022-00011_arsredovisning)
libreoffice --headless "-env:UserInstallation=file://$work/lo" --convert-to pdf \
    "${files[@]/%/.docx}" > /dev/null
cd - > /dev/null
rm -f docs/pages/*.png
for f in "${files[@]}"; do
    pdftoppm -r 60 -png -f 1 -l 2 "$work/demo-out/$f.pdf" "docs/pages/$f"
done
ls docs/pages
