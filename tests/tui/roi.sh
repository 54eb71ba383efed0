#!/bin/sh
# folio interface: release of information (issue 7, done-when 6).  The
# technician opens "Release of information", logs a subpoena for a patient
# (N, the patient prompt, the form), selects the discharge summary and one
# section with Space, validates (no problems) and releases (R) to a file:
# the message names the pages, the ledger entry and the file, the packet
# holds the discharge summary and not the H&P, and `folio disclosures`
# has the entry.  A request under an expired authorization is refused with
# the reason and writes no file.  The chart's O lists the patient's
# requests.  The supervisor then sees the subpoena in the disclosures
# report.
. "$(dirname "$0")/../lib.sh"

D="$T/roi.db"
demo_db "$D" 30
coded() { u=$1; shift; FOLIO_SIGNATURE_CODE=sig-code-77 FOLIO_NEW_SIGNATURE_CODE=sig-code-77 \
	FOLIO_PASSWORD=$(demo_password "$u") "$FOLIO" --db "$D" --user "$u" "$@"; }
M=$(as tech "$D" patient add --last Releaseworth --first Rhoda --dob 1971-05-06 --sex F 2>/dev/null | tail -1)
ENC=$(as tech "$D" encounter admit "$M" --attending doctor --at "T-20@09:00" --service medicine 2>/dev/null)
as tech "$D" encounter discharge "$ENC" --status 01 --at "T-15@10:00" >/dev/null 2>&1 || fail "discharge"
coded doctor user sigcode >/dev/null 2>&1 || fail "signature code"
HP=$(printf 'HISTORY AND PHYSICAL\nquokka-in-marker-41 chest pain\n' |
	as doctor "$D" note new "$M" --type hp --author doctor --encounter "$ENC" 2>/dev/null)
DS=$(printf 'DISCHARGE SUMMARY\nwallaby-out-marker-52 went home\n' |
	as doctor "$D" note new "$M" --type discharge --author doctor --encounter "$ENC" 2>/dev/null)
for d in $HP $DS; do coded doctor note sign "$d" >/dev/null 2>&1 || fail "sign $d"; done
check "a patient with a signed H&P and discharge summary" test -n "$M" -a -n "$HP" -a -n "$DS"
# An old authorization, expired ten days ago, for the refusal path.
EXP=$(as tech "$D" roi new "$M" --requester "Acme Life" --purpose underwriting --authority authorization \
	--signed T-200 --auth-expires T-10 --asks discharge 2>/dev/null | tail -1)
as tech "$D" roi select "$EXP" "$DS" >/dev/null 2>&1 || fail "select for the expired request"
check "a request under an expired authorization" test -n "$EXP"
# A request for continuing care, to be sent sealed.
SEAL=$(as tech "$D" roi new "$M" --requester "Dr Heron" --purpose "continuing care" --authority treatment \
	--asks discharge 2>/dev/null | tail -1)
as tech "$D" roi select "$SEAL" "$DS" >/dev/null 2>&1 || fail "select for the sealed request"

# has_line ERE TEXT: some line of TEXT matches.
has_line() { printf '%s\n' "$2" | grep -Eq -- "$1"; }
# wait_line ERE: polls (at most 5 s) until a line of the screen matches.
wait_line() {
	i=0
	while [ "$i" -lt 25 ]; do
		has_line "$1" "$(tm_screen)" && return 0
		sleep 0.2; i=$((i + 1))
	done
	return 1
}
# ended: waits (at most 10 s) until folio in session t has exited.
ended() {
	i=0
	while [ "$i" -lt 50 ]; do
		[ "$(tm list-panes -t t -F '#{pane_dead}' 2>/dev/null)" = 1 ] && return 0
		sleep 0.2; i=$((i + 1))
	done
	return 1
}
# row_of TEXT: the list number of the first row showing TEXT.
row_of() { tm_screen | grep -F -- "$1" | sed -n 's/^ *\([0-9][0-9]*\) .*/\1/p' | head -1; }

# ---- the technician logs, selects, validates, releases ----------------------
tm_start 80 24 "cd $T && $FOLIO --db $D"
sign_in tech
wait_for "the technician's menu" "Release of information" 10
tm_menu_open "Release of information"
wait_for "the worklist" "Worklist:" 10
s=$(tm_screen)
contains "the worklist's columns" "Received   Due" "$s"
contains "the expired request is on it" "Acme Life" "$s"
contains "the action bar" "N New" "$s"
tm_keys '?'
wait_for "the worklist's help" "log a new request"
popup_close
tm_keys N
wait_for "N asks the patient" "Select PATIENT NAME:" 5
tm_keys 'RELEASEWORTH,R' Enter
wait_for "the form asks the authority" "Authority:" 10
tm_keys '?'
wait_for "? lists the seven authorities" "continuing treatment by another provider"
popup_close
tm_keys rumour Enter
wait_for "an unknown authority is refused" "is not an authority" 5
tm_keys subpoena Enter
wait_for "then the requester" "Requester:" 5
tm_keys Enter
wait_for "an empty requester is refused" "Requester is required" 5
tm_keys 'Perpetua Quill' Enter
wait_for "organisation" "Organisation:" 5
tm_keys 'Quill and Sons LLP' Enter
wait_for "address" "Address:" 5
tm_keys Enter
wait_for "purpose" "Purpose:" 5
tm_keys 'litigation hold 2026-44' Enter
wait_for "received, today by default" "Received: T//" 5
tm_keys Enter
wait_for "the authorization's signature" "Authorization signed:" 5
tm_keys T Enter
wait_for "its expiry" "Authorization expires:" 5
tm_keys Enter
wait_for "what is asked for, all by default" "Asks for: all//" 5
tm_keys '?'
wait_for "? lists the types and sections" "Sections: demographics"
popup_close
tm_keys Enter
wait_for "dates of service from" "Dates of service from:" 5
tm_keys T-30 Enter
wait_for "dates of service to" "Dates of service to:" 5
tm_keys Enter
wait_for "restricted categories" "Restricted categories named:" 5
tm_keys Enter
wait_for "one end of the dates is refused by the core" "Not logged: " 10
wait_for "the form asks again" "Change what was refused" 5
wait_for "the answers are kept: the authority" "Authority: subpoena//" 5
tm_keys Enter
wait_for "the requester kept" "Requester: Perpetua Quill" 5
tm_keys Enter Enter Enter Enter
wait_for "the received date kept" "Received: $(date -u +%Y-%m-%d)//" 5
tm_keys Enter Enter Enter Enter
wait_for "the date refused is offered" "Dates of service from: $(date -u -d '30 days ago' +%Y-%m-%d)//" 5
tm_keys @ Enter
wait_for "dates of service to" "Dates of service to:" 5
tm_keys Enter
wait_for "restricted categories" "Restricted categories named:" 5
tm_keys Enter
wait_for "the request screen appears" "Release of information: request" 10
s=$(tm_screen)
contains "logged, with its due date" "logged, due $(date -u -d '+30 days' +%Y-%m-%d)" "$s"
R1=$(echo "$s" | sed -n 's/.*Request \([0-9][0-9]*\) logged.*/\1/p' | head -1)
check "the request number ($R1)" test -n "$R1"
contains "the heading names the requester" "Requester: Perpetua Quill" "$s"
contains "and the authority" "Authority: subpoena   Signed $(date -u +%Y-%m-%d)" "$s"
contains "the patient" "Releaseworth,Rhoda" "$s"
contains "the discharge summary is a candidate" "Discharge summary" "$s"
contains "a section is a row" "Allergies" "$s"
ROW=$(row_of "Discharge summary")
tm_keys "$ROW" Space
wait_for "Space selects the discharge summary" "[x] $DS" 5
ROW=$(row_of "Demographics")
check "the demographics row ($ROW)" test -n "$ROW"
tm_keys "$ROW" Space
check "Space selects the section" wait_line "^ *$ROW \[x\] +Demographics"
check "the H&P is not selected" has_line "^ *[0-9]+ \[ \] $HP " "$(tm_screen)"
tm_keys V
wait_for "V: no problems" "No problems: ready to release" 10
popup_close
wait_for "the status is pending" "Status: valid, waiting for release" 5
touch "$T/taken.pdf"
tm_keys R
wait_for "R asks the file, roi-N.pdf by default" "Write the packet to: roi-$R1.pdf//" 5
tm_keys "$T/taken.pdf" Enter
wait_for "an existing file asks to replace it" "exists: replace it? No//" 5
tm_keys Enter
sleep 0.3
check "not replaced: still empty" test ! -s "$T/taken.pdf"
tm_keys R
wait_for "R again" "Write the packet to:" 5
tm_keys Enter
wait_for "asks about sealing" "Seal it with a password for electronic delivery? No//" 5
tm_keys Enter
wait_for "released" "Released: " 20
s=$(tm_screen)
check "the message names pages, ledger entry and file" \
	has_line "Released: [0-9]+ pages?, ledger entry [0-9]+ — roi-$R1.pdf" "$s"
contains "all was asked, two items sent: partial" "roi-$R1.pdf (partial)" "$s"
contains "the heading says so" "Status: partially released" "$s"
check "the packet exists" test -s "$T/roi-$R1.pdf"
check "its staged copy is gone (placed, not copied)" sh -c "! ls -A '$T' | grep -q '\.tmp-'"
check "it is a PDF" sh -c "head -c 5 '$T/roi-$R1.pdf' | grep -q '%PDF-'"
if command -v pdftotext >/dev/null 2>&1; then
	TXT=$(pdftotext -layout "$T/roi-$R1.pdf" - 2>/dev/null)
	contains "the discharge summary is in the packet" "wallaby-out-marker-52" "$TXT"
	lacks "the H&P is not" "quokka-in-marker-41" "$TXT"
	contains "the demographics section is" "Releaseworth" "$TXT"
else
	echo "skipped: pdftotext not found (poppler-utils): packet text checks"
fi
OUT=$(as tech "$D" disclosures "$M" 2>&1)
contains "the ledger has the release" "Perpetua Quill" "$OUT"
contains "as a subpoena" "subpoena" "$OUT"
tm_keys Space
wait_for "a released request does not change" "Not changed:" 5
tm_keys R
wait_for "nor is it released again" "is partial: it no longer changes" 5
tm_keys H
wait_for "H shows the history" "Request history" 5
popup_close

# ---- the refusal: an expired authorization ------------------------------------
tm_keys Escape
wait_for "back to the worklist" "Worklist:" 5
lacks "the released request left the open worklist" "Perpetua Quill" "$(tm_screen)"
ROW=$(row_of "Acme Life")
tm_keys "$ROW" Enter
wait_for "the expired request opens" "Requester: Acme Life" 10
tm_keys V
wait_for "V lists the problem" "expired on $(date -u -d '10 days ago' +%Y-%m-%d)" 10
popup_close
tm_keys R
wait_for "R asks the file" "Write the packet to: roi-$EXP.pdf//" 5
tm_keys Enter
wait_for "asks about sealing" "Seal it with a password" 5
tm_keys Enter
wait_for "the release is refused with the reason" "Not released: " 10
contains "it says expired" "expired" "$(tm_screen)"
check "no packet was written" test ! -e "$T/roi-$EXP.pdf"
check "no staged file left behind" sh -c "! ls -A '$T' | grep -q '^\.\?roi-$EXP'"
check "the ledger still has one entry" test "$(as tech "$D" disclosures "$M" 2>/dev/null | wc -l)" -eq 2
tm_keys Escape
wait_for "back to the worklist" "Worklist:" 5

# ---- a sealed packet ------------------------------------------------------------
ROW=$(row_of "Dr Heron")
tm_keys "$ROW" Enter
wait_for "the treatment request opens" "Requester: Dr Heron" 10
tm_keys R
wait_for "R asks the file" "Write the packet to: roi-$SEAL.pdf//" 5
tm_keys "heron.sealed" Enter
wait_for "asks about sealing" "Seal it with a password" 5
tm_keys y Enter
wait_for "asks the packet's password" "Password for the packet:" 5
tm_keys short Enter
wait_for "a short password is refused" "at least 8 characters" 5
tm_keys heron-pass-99 Enter
wait_for "asks it again" "The same password again:" 5
lacks "the password is not echoed" "heron-pass" "$(tm_screen)"
tm_keys heron-pass-99 Enter
wait_for "released sealed" "Released: " 20
contains "to the file named" "heron.sealed" "$(tm_screen)"
check "the sealed packet exists" test -s "$T/heron.sealed"
check "it is not a readable PDF" sh -c "! head -c 5 '$T/heron.sealed' | grep -q '%PDF'"
expect_exit "the recipient opens it with the password" 0 env FOLIO_PACKET_PASSWORD=heron-pass-99 \
	"$FOLIO" unseal "$T/heron.sealed" --out "$T/heron.pdf"
check "it was a PDF inside" sh -c "head -c 5 '$T/heron.pdf' | grep -q '%PDF-'"
tm_keys Escape
wait_for "back to the worklist" "Worklist:" 5
tm_keys A
wait_for "A shows closed requests too" "Perpetua Qu" 5
tm_keys Escape
wait_for "back to the menu" "Find a patient" 5

# ---- the chart's O ---------------------------------------------------------------
tm_menu_open "Find a patient"
tm_wait "Select PATIENT NAME:" 5 || fail "lookup: $(tm_screen)"
tm_keys 'RELEASEWORTH,R' Enter
wait_for "the patient opens" "O Open chart" 10
tm_keys o
wait_for "the chart" "Documents (D)" 10
contains "the chart's action bar names O" "O roi" "$(tm_screen)"
tm_keys O
wait_for "O lists the patient's requests" "the patient's requests" 10
s=$(tm_screen)
contains "the released one" "Perpetua Qu" "$s"
contains "the expired one" "Acme Life" "$s"
tm_keys q
check "q leaves folio" ended

# ---- the supervisor's disclosures report ---------------------------------------------
tm_restart 80 24 "$FOLIO --db $D"
sign_in super
wait_for "the supervisor's menu" "Reports" 10
tm_menu_open Reports
wait_for "the list of reports" "Disclosures by purpose" 10
tm_keys 7
wait_for "asks From" "From:" 5
tm_keys T-30 Enter
wait_for "asks To" "To:" 5
tm_keys T Enter
wait_for "the disclosures report shows the subpoena" "subpoena" 10
check "one subpoena this month" has_line "$(date -u +%Y-%m) +subpoena +1( |\$)" "$(tm_screen)"
tm_keys q
check "q leaves folio" ended
