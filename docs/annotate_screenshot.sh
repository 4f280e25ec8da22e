#!/bin/sh
# docs/annotate.png: the first page of a commented copy (fzcheck annotate), as LibreOffice
# prints it to PDF (each comment a note mark at its words), turned into PNG by pdftoppm.
set -e
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
.venv/bin/python -c "
import sys; sys.path.insert(0, 'tests')
from formats import to_docx
from checker.read import read_path
open('$tmp/白鹭区司法局_2024_草稿.docx', 'wb').write(to_docx(chr(10).join(read_path('samples/白鹭区司法局_2024_草稿.txt').lines), auto_numbering=False))"
.venv/bin/fzcheck annotate "$tmp/白鹭区司法局_2024_草稿.docx" || true
soffice "-env:UserInstallation=file://$tmp/lo" --headless --convert-to 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}' --outdir "$tmp" "$tmp/白鹭区司法局_2024_草稿-审核意见.docx" >/dev/null
pdftoppm -r 80 -png -f 1 -l 1 -singlefile "$tmp/白鹭区司法局_2024_草稿-审核意见.pdf" docs/annotate 2>/dev/null
echo docs/annotate.png
