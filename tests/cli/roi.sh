#!/bin/sh
# folio — release of information from the command line (issue 7, done-when
# 1): a request with an expired authorization cannot be released; a valid
# one gives a PDF packet with exactly the selected items (pdftotext), a
# ledger entry and an accounting line; unsigned documents, out-of-scope
# items and restricted categories not named are refused; deny, withdraw and
# the one extension; a sealed packet opens only with its password; the
# requester's details are not in the database file; wrong roles exit 3; the
# procedures section goes out with its items, errors marked as such.
. "$(dirname "$0")/../lib.sh"

DB="$T/t.db"
demo_db "$DB" 30
tech() { as tech "$DB" "$@"; }
super() { as super "$DB" "$@"; }
desk() { as desk "$DB" "$@"; }
doc() { as doctor "$DB" "$@"; }
coded() { u=$1; shift; FOLIO_SIGNATURE_CODE=sig-code-77 FOLIO_NEW_SIGNATURE_CODE=sig-code-77 \
	FOLIO_PASSWORD=$(demo_password "$u") "$FOLIO" --db "$DB" --user "$u" "$@"; }
HAVE_PDFTOTEXT=1
command -v pdftotext >/dev/null 2>&1 || { HAVE_PDFTOTEXT=0; echo "skipped: pdftotext not found (poppler-utils): packet text checks"; }
pdf_text() { pdftotext -layout "$1" - 2>/dev/null; }

M=$(tech patient add --last Releaseworth --first Rhoda --dob 1971-05-06 --sex F --ssn 123-45-6789 2>/dev/null | tail -1)
check "a new patient" test -n "$M"
ENC=$(tech encounter admit "$M" --attending doctor --at "T-20@09:00" --service medicine)
expect_exit "discharged" 0 tech encounter discharge "$ENC" --status 01 --at "T-15@10:00"
expect_exit "the physician sets a signature code" 0 coded doctor user sigcode
HP=$(printf 'HISTORY AND PHYSICAL\nquokka-in-marker-41 chest pain\n' | doc note new "$M" --type hp --author doctor --encounter "$ENC")
DS=$(printf 'DISCHARGE SUMMARY\nwallaby-in-marker-52 went home\n' | doc note new "$M" --type discharge --author doctor --encounter "$ENC")
PN=$(printf 'PROGRESS\nnumbat-out-marker-63 day 2\n' | doc note new "$M" --type progress --author doctor --encounter "$ENC")
DRAFT=$(printf 'PROGRESS\nunsigned-marker-74\n' | doc note new "$M" --type progress --author doctor --encounter "$ENC")
for d in $HP $DS $PN; do coded doctor note sign "$d" >/dev/null 2>&1 || fail "sign $d"; done
expect_exit "an allergy" 0 tech allergy add "$M" --allergen "platypus dander" --reaction hives --severity mild

# ---- logging ------------------------------------------------------------------
expect_exit "a request needs a requester" 2 tech roi new "$M" --purpose P --authority subpoena
expect_exit "an unknown authority is refused" 2 tech roi new "$M" --requester R --purpose P --authority rumour
expect_exit "an unknown item asked for is refused" 2 tech roi new "$M" --requester R --purpose P --authority patient --asks "hp,gossip"
contains "it names the word" "gossip" "$OUT"
expect_exit "a request from the future is refused" 2 tech roi new "$M" --requester R --purpose P --authority patient --received T+2
expect_exit "dates of service need both ends" 2 tech roi new "$M" --requester R --purpose P --authority patient --from T-30
expect_exit "an expiry before the signature is refused" 2 tech roi new "$M" --requester R --purpose P --authority authorization --signed T-3 --auth-expires T-10
expect_exit "an unknown chart" 4 tech roi new 99999997 --requester R --purpose P --authority patient
expect_exit "the front desk cannot log a request" 3 desk roi new "$M" --requester R --purpose P --authority patient
expect_exit "a physician cannot log a request" 3 doc roi new "$M" --requester R --purpose P --authority patient
AUDIT=$(as admin "$DB" audit show 2>/dev/null)
contains "the denial is audited" "roi.process	denied" "$(echo "$AUDIT" | cut -f3-)"

TODAY=$(date -u +%Y-%m-%d)
expect_exit "log a subpoena" 0 tech roi new "$M" --requester "Perpetua Quill" --organisation "Quill & Sons LLP" \
	--address "77 Ledger Lane, Springfield" --purpose "litigation hold 2026-44" --authority subpoena --signed T-2 \
	--asks "hp,discharge,allergies,demographics"
R1=$(echo "$OUT" | tail -1)
check "it prints the request number" sh -c "echo '$R1' | grep -Eq '^[0-9]+$'"
expect_exit "show it" 0 tech roi show "$R1"
contains "logged" "status	logged" "$OUT"
contains "received today" "received	$TODAY" "$OUT"
contains "due in 30 days" "due	$(date -u -d '+30 days' +%Y-%m-%d)" "$OUT"
contains "the requester is shown to the technician" "requester	Perpetua Quill" "$OUT"
contains "the H&P is a candidate, asked for" "document	$HP	hp	" "$OUT"
contains "the progress note was not asked for" "$(printf 'document\t%s\tprogress\t' "$PN")" "$OUT"
check "the progress note is marked not asked" sh -c "echo '$OUT' | grep -q \"^document	$PN	.*not-asked\""
expect_exit "it is on the worklist" 0 tech roi list
contains "worklist row" "$R1	$M	$TODAY" "$OUT"
expect_exit "and on the chart's list" 0 tech roi list "$M"
contains "chart list row" "$R1	$M" "$OUT"

# ---- selecting and validating ------------------------------------------------------
expect_exit "nothing selected: validation fails" 1 tech roi validate "$R1"
contains "it says nothing is selected" "nothing is selected" "$OUT"
expect_exit "select needs items" 2 tech roi select "$R1"
expect_exit "an item is a number or a section" 2 tech roi select "$R1" gossip
expect_exit "another chart's document is refused" 4 tech roi select "$R1" 1
expect_exit "select the H&P, the discharge summary, allergies, demographics and the progress note" 0 \
	tech roi select "$R1" "$HP" "$DS" allergies demographics "$PN" "$DRAFT"
expect_exit "validate" 1 tech roi validate "$R1"
contains "the progress note was not asked for" "document $PN (Progress note) was not asked for" "$OUT"
contains "an unsigned note is not released" "document $DRAFT (Progress note) is unsigned" "$OUT"
expect_exit "the release is refused while problems stand" 1 tech roi release "$R1" --out "$T/r1.pdf"
check "no packet was written" test ! -e "$T/r1.pdf"
expect_exit "nothing went on the ledger" 0 tech disclosures "$M"
check "the ledger is empty" test "$(echo "$OUT" | wc -l)" -eq 1
expect_exit "take the two out again" 0 tech roi select "$R1" "$PN" "$DRAFT" --remove
expect_exit "now it validates" 0 tech roi validate "$R1"
expect_exit "pending" 0 tech roi show "$R1"
contains "valid: pending" "status	pending" "$OUT"

# ---- the release ----------------------------------------------------------------
touch "$T/exists.pdf"
expect_exit "an existing file is not replaced" 2 tech roi release "$R1" --out "$T/exists.pdf"
expect_exit "release" 0 tech roi release "$R1" --out "$T/r1.pdf"
contains "it reports the ledger entry" "ledger entry" "$OUT"
check "the packet is a PDF" sh -c "head -c 5 '$T/r1.pdf' | grep -q '%PDF-'"
check "the packet is readable by its owner only" test "$(stat -c %a "$T/r1.pdf")" = 600
if [ "$HAVE_PDFTOTEXT" = 1 ]; then
	TXT=$(pdf_text "$T/r1.pdf")
	PAGES=$(printf '%s' "$TXT" | tr -cd '\f' | wc -c)
	check "it has pages" test "$PAGES" -ge 4
	contains "the H&P's text is in it" "quokka-in-marker-41" "$TXT"
	contains "the discharge summary's text is in it" "wallaby-in-marker-52" "$TXT"
	contains "the allergies are in it" "PLATYPUS DANDER" "$TXT"
	contains "the demographics are in it" "Releaseworth" "$TXT"
	lacks "the progress note that was not selected is not" "numbat-out-marker-63" "$TXT"
	lacks "the unsigned note is not" "unsigned-marker-74" "$TXT"
	lacks "no medications section was selected" "Medications" "$TXT"
	lacks "the SSN goes out as its last four only" "123-45-6789" "$TXT"
	contains "cover letter to the requester" "Perpetua Quill" "$TXT"
	contains "a manifest" "Manifest" "$TXT"
	contains "page numbers" "Page 1 of $PAGES" "$TXT"
	contains "the last page is numbered" "Page $PAGES of $PAGES" "$TXT"
	check "CONFIDENTIAL on every page" test "$(printf '%s' "$TXT" | grep -c CONFIDENTIAL)" -ge "$PAGES"
fi
expect_exit "the ledger has the release" 0 tech disclosures "$M"
contains "recipient and organisation" "Perpetua Quill, Quill & Sons LLP" "$OUT"
contains "recorded as a subpoena, from the release" "subpoena" "$OUT"
contains "its source is the release" "	roi	" "$OUT"
lacks "the progress note is not described" "Progress note" "$OUT"
expect_exit "the accounting lists it" 0 tech accounting "$M"
contains "accounting line" "litigation hold 2026-44" "$OUT"
expect_exit "the request is released" 0 tech roi show "$R1"
contains "everything asked for went: released" "status	released" "$OUT"
contains "the packet's digest is kept" "packet_hash	" "$OUT"
expect_exit "a released request does not change" 2 tech roi select "$R1" "$PN"
expect_exit "nor is it released twice" 2 tech roi release "$R1" --out "$T/again.pdf"
expect_exit "nor denied after" 2 tech roi deny "$R1" --reason late
expect_exit "it left the worklist" 0 tech roi list
lacks "not on the open worklist" "$R1	$M" "$OUT"
expect_exit "--all shows it" 0 tech roi list --all
contains "on the full list" "$R1	$M" "$OUT"

# ---- an expired authorization (done-when 1) ------------------------------------------
expect_exit "log a request under an expired authorization" 0 tech roi new "$M" --requester "Acme Life" \
	--purpose "underwriting" --authority authorization --signed T-200 --auth-expires T-10 --asks discharge
R2=$(echo "$OUT" | tail -1)
expect_exit "select the discharge summary" 0 tech roi select "$R2" "$DS"
expect_exit "validation fails" 1 tech roi validate "$R2"
contains "it says the authorization expired" "expired on $(date -u -d '10 days ago' +%Y-%m-%d)" "$OUT"
expect_exit "the release is refused" 1 tech roi release "$R2" --out "$T/r2.pdf"
contains "it says why" "expired" "$OUT"
check "no packet" test ! -e "$T/r2.pdf"
expect_exit "ledger unchanged" 0 tech disclosures "$M"
check "still one entry" test "$(echo "$OUT" | wc -l)" -eq 2
expect_exit "an unsigned authorization" 0 tech roi new "$M" --requester "B" --purpose "p" --authority authorization --auth-expires T+100 --asks discharge
R3=$(echo "$OUT" | tail -1)
expect_exit "select" 0 tech roi select "$R3" "$DS"
expect_exit "validation fails" 1 tech roi validate "$R3"
contains "it says unsigned" "the authorization is not signed" "$OUT"
expect_exit "an authorization with no expiry" 0 tech roi new "$M" --requester "C" --purpose "p" --authority authorization --signed T --asks discharge
R4=$(echo "$OUT" | tail -1)
expect_exit "select" 0 tech roi select "$R4" "$DS"
expect_exit "validation fails" 1 tech roi validate "$R4"
contains "it asks for the expiry" "no expiry date" "$OUT"

# ---- dates of service ------------------------------------------------------------------
expect_exit "a request for last year only" 0 tech roi new "$M" --requester "D" --purpose "p" --authority patient --signed T \
	--from "$(date -u -d '400 days ago' +%Y-%m-%d)" --to "$(date -u -d '300 days ago' +%Y-%m-%d)"
R5=$(echo "$OUT" | tail -1)
expect_exit "select this year's discharge summary" 0 tech roi select "$R5" "$DS"
expect_exit "validation fails" 1 tech roi validate "$R5"
contains "outside the dates" "outside the dates of service" "$OUT"

# ---- restricted categories -------------------------------------------------------------
PSY=$(printf 'SESSION\nkookaburra-psy-marker-85\n' | doc note new "$M" --type psychotherapy --author doctor --encounter "$ENC")
coded doctor note sign "$PSY" >/dev/null 2>&1 || fail "sign the psychotherapy note"
expect_exit "a patient's own request" 0 tech roi new "$M" --requester "Rhoda Releaseworth" --purpose "personal copy" --authority patient --signed T
R6=$(echo "$OUT" | tail -1)
expect_exit "the technician cannot even see the sealed note to select it... but may name it" 0 tech roi select "$R6" "$PSY" "$DS"
expect_exit "validation fails" 1 tech roi validate "$R6"
contains "psychotherapy notes are not part of the right of access" "psychotherapy notes" "$OUT"
contains "and the technician does not hold its key" "a supervisor releases it" "$OUT"
expect_exit "an authorization naming psychotherapy notes" 0 super roi new "$M" --requester "Dr Tern" --purpose "second opinion" \
	--authority authorization --signed T --auth-expires T+90 --asks "psychotherapy" --names psychotherapy
R7=$(echo "$OUT" | tail -1)
expect_exit "select" 0 super roi select "$R7" "$PSY"
expect_exit "the supervisor validates it" 0 super roi validate "$R7"
expect_exit "and releases it" 0 super roi release "$R7" --out "$T/r7.pdf"
[ "$HAVE_PDFTOTEXT" = 1 ] && contains "the note is in it" "kookaburra-psy-marker-85" "$(pdf_text "$T/r7.pdf")"
expect_exit "asked without naming" 0 super roi new "$M" --requester "E" --purpose "p" --authority authorization --signed T \
	--auth-expires T+90 --asks "psychotherapy"
R8=$(echo "$OUT" | tail -1)
expect_exit "select" 0 super roi select "$R8" "$PSY"
expect_exit "validation fails" 1 super roi validate "$R8"
contains "not named" "does not name them" "$OUT"

# ---- deny, withdraw, extend -------------------------------------------------------------
expect_exit "deny needs a reason" 2 tech roi deny "$R3"
expect_exit "deny" 0 tech roi deny "$R3" --reason "authorization not signed; returned to sender"
expect_exit "show" 0 tech roi show "$R3"
contains "denied" "status	denied" "$OUT"
contains "with the reason" "returned to sender" "$OUT"
expect_exit "withdraw" 0 tech roi withdraw "$R4"
expect_exit "extend" 0 tech roi extend "$R5" --reason "records in off-site storage"
expect_exit "show" 0 tech roi show "$R5"
contains "due 30 days later" "due	$(date -u -d '+60 days' +%Y-%m-%d)" "$OUT"
contains "extended today" "extended	$TODAY" "$OUT"
expect_exit "one extension only" 2 tech roi extend "$R5" --reason again
expect_exit "an old request" 0 tech roi new "$M" --requester "F" --purpose "p" --authority patient --signed T-40 --received T-40
R9=$(echo "$OUT" | tail -1)
expect_exit "is overdue on the worklist" 0 tech roi list
check "marked overdue" sh -c "echo '$OUT' | grep -q \"^$R9	.*overdue\$\""
expect_exit "and is not extended after its due date" 2 tech roi extend "$R9" --reason late
expect_exit "history" 0 tech roi show "$R5"
contains "the history has each step" "extended" "$OUT"
expect_exit "unknown request" 4 tech roi show 99999

# ---- sealed delivery ---------------------------------------------------------------------
expect_exit "a treatment request" 0 tech roi new "$M" --requester "Dr Heron" --organisation "Heron Clinic" --purpose "continuing care" --authority treatment --asks discharge
R10=$(echo "$OUT" | tail -1)
expect_exit "select" 0 tech roi select "$R10" "$DS"
expect_exit "a short password is refused" 2 env FOLIO_PACKET_PASSWORD=short sh -c "FOLIO_PASSWORD=demo-tech-pass '$FOLIO' --db '$DB' --user tech roi release $R10 --out '$T/s.sealed' --seal"
expect_exit "release sealed" 0 env FOLIO_PACKET_PASSWORD=heron-pass-99 sh -c "FOLIO_PASSWORD=demo-tech-pass '$FOLIO' --db '$DB' --user tech roi release $R10 --out '$T/s.sealed' --seal"
lacks "the sealed file holds no text of the note" "wallaby-in-marker-52" "$(cat "$T/s.sealed" | tr -c '[:print:]' ' ')"
check "it is not a PDF" sh -c "! head -c 5 '$T/s.sealed' | grep -q '%PDF'"
expect_exit "a wrong password does not open it" 3 env FOLIO_PACKET_PASSWORD=wrong-pass-00 "$FOLIO" unseal "$T/s.sealed" --out "$T/s.pdf"
check "nothing written" test ! -e "$T/s.pdf"
expect_exit "the recipient opens it without a database" 0 env FOLIO_PACKET_PASSWORD=heron-pass-99 "$FOLIO" unseal "$T/s.sealed" --out "$T/s.pdf"
[ "$HAVE_PDFTOTEXT" = 1 ] && contains "it is the packet" "wallaby-in-marker-52" "$(pdf_text "$T/s.pdf")"
expect_exit "a file that is not sealed is refused" 2 env FOLIO_PACKET_PASSWORD=heron-pass-99 "$FOLIO" unseal "$T/r1.pdf" --out "$T/x.pdf"
head -c 200 "$T/s.sealed" >"$T/cut.sealed"
expect_exit "a truncated packet is refused as changed" 3 env FOLIO_PACKET_PASSWORD=heron-pass-99 "$FOLIO" unseal "$T/cut.sealed" --out "$T/x.pdf"
expect_exit "a treatment release is on the ledger" 0 tech disclosures "$M"
contains "kind treatment" "treatment	Dr Heron, Heron Clinic" "$OUT"
expect_exit "but not in the accounting" 0 tech accounting "$M"
lacks "treatment left out" "Dr Heron" "$OUT"

# ---- the procedures section ------------------------------------------------------------------
PDAY=$(date -u -d '16 days ago' +%Y-%m-%d)
expect_exit "a procedure" 0 tech procedure add "$M" --text "marmot-proc-marker-96 excision" --code 80146002 \
	--date "$PDAY" --encounter "$ENC"
expect_exit "a procedure entered in error" 0 tech procedure add "$M" --text "stoat-proc-marker-97 biopsy" --date "$PDAY"
expect_exit "marked so" 0 tech procedure error "$(echo "$OUT" | tail -1)"
expect_exit "a request for the procedures" 0 tech roi new "$M" --requester "Dr Ibis" --purpose "surgical history" \
	--authority treatment --asks procedures
R11=$(echo "$OUT" | tail -1)
expect_exit "the procedures section is selected by name" 0 tech roi select "$R11" procedures
expect_exit "and validates" 0 tech roi validate "$R11"
expect_exit "released" 0 tech roi release "$R11" --out "$T/r11.pdf"
if [ "$HAVE_PDFTOTEXT" = 1 ]; then
	TXT=$(pdf_text "$T/r11.pdf")
	contains "the packet has the Procedures section" "Procedures" "$TXT"
	contains "with the procedure's date and text" "$PDAY marmot-proc-marker-96 excision" \
		"$(printf '%s\n' "$TXT" | tr -s ' ')"
	contains "the one in error says so" "[entered in error]" "$(printf '%s\n' "$TXT" | grep stoat-proc-marker-97)"
	lacks "no other section went" "Allergies" "$TXT"
fi
expect_exit "a request that does not ask for procedures" 0 tech roi new "$M" --requester "G" --purpose "p" \
	--authority treatment --asks discharge
R12=$(echo "$OUT" | tail -1)
expect_exit "select them anyway" 0 tech roi select "$R12" procedures
expect_exit "validation fails" 1 tech roi validate "$R12"
contains "it names the section" "the procedures section was not asked for" "$OUT"

# ---- nothing in the clear ----------------------------------------------------------------
check "the requester is not in the database file" sh -c "! grep -aq 'Perpetua Quill' '$DB'"
check "nor the purpose" sh -c "! grep -aq 'litigation hold 2026-44' '$DB'"
check "nor the reason" sh -c "! grep -aq 'off-site storage' '$DB'"
check "the history is append-only" sh -c "! sqlite3 '$DB' 'DELETE FROM roi_events' 2>/dev/null"
expect_exit "audit verify" 0 as admin "$DB" audit verify
