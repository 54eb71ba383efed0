#!/bin/sh
# folio — the chart from the command line (issue 4): admission, transfer and
# discharge with their refusals; documents from transcription to signature;
# signed text never changes; addenda, amendments, retraction and refiling;
# note verify catches an altered document; two editors of one note; the
# front desk kept out; sensitive notes under their own key.
. "$(dirname "$0")/../lib.sh"

DB="$T/c.db"
demo_db "$DB" 30
tech() { as tech "$DB" "$@"; }
doc() { as doctor "$DB" "$@"; }
super() { as super "$DB" "$@"; }
desk() { as desk "$DB" "$@"; }
# coded USER CODE ARGS...: runs as USER with CODE as the signature code
# (both the one to set and the one to sign with).
coded() { u=$1 code=$2; shift 2; FOLIO_SIGNATURE_CODE=$code FOLIO_NEW_SIGNATURE_CODE=$code \
	FOLIO_PASSWORD=$(demo_password "$u") "$FOLIO" --db "$DB" --user "$u" "$@"; }
first_mrn() { as tech "$DB" patient find "$1" 2>/dev/null | sed -n 2p | cut -f1; }

MRN=$(first_mrn "smi,j")
OTHER=$(first_mrn "munoz")
check "demo patients are found" test -n "$MRN" -a -n "$OTHER"

# ---- admission, transfer, discharge ----------------------------------
ENC=$(tech encounter admit "$MRN" --attending doctor --at "T-2@09:00" --service medicine --room 4B --bed 2 2>"$T/err")
check "admit prints the encounter number" sh -c "echo '$ENC' | grep -Eq '^[0-9]+$'"
expect_exit "a second admission while admitted is refused" 2 tech encounter admit "$MRN" --attending doctor
contains "it says why" "already has an open admission" "$OUT"
expect_exit "the attending must be a physician" 2 tech encounter admit "$OTHER" --attending tech
expect_exit "a transfer names where to" 2 tech encounter transfer "$ENC"
expect_exit "transfer to 5C" 0 tech encounter transfer "$ENC" --room 5C --at "T-1@10:00"
expect_exit "a transfer before the admission is refused" 2 tech encounter transfer "$ENC" --room 6 --at "T-3@10:00"
expect_exit "an unknown discharge status is refused" 2 tech encounter discharge "$ENC" --status 99
expect_exit "a discharge before the admission is refused" 2 tech encounter discharge "$ENC" --status 01 --at "T-3@08:00"
contains "it says why" "before the admission" "$OUT"
expect_exit "a discharge in the future is refused" 2 tech encounter discharge "$ENC" --status 01 --at "T+2@08:00"
expect_exit "a bad time is refused" 2 tech encounter discharge "$ENC" --status 01 --at "yesterday-ish"
PRE=$(tech encounter admit "$OTHER" --attending doctor --pre)
expect_exit "a pre-admitted patient is not discharged" 2 tech encounter discharge "$PRE" --status 01
contains "it says the patient was never admitted" "pre-admitted" "$OUT"
expect_exit "cancel needs a reason" 2 tech encounter cancel "$PRE"
expect_exit "cancel the pre-admission" 0 tech encounter cancel "$PRE" --why "wrong patient scheduled"

# ---- documents: H&P, transcription, signing ---------------------------
HP=$(printf 'Chief complaint: chest pain\nPlan: observe overnight\n' |
	doc note new "$MRN" --type hp --author doctor --encounter "$ENC")
check "the physician files an H&P" sh -c "echo '$HP' | grep -Eq '^[0-9]+$'"
DS=$(printf 'DISCHARGE SUMMARY\nHospital course: uneventful; zanzibar-marker-77\n' |
	tech note new "$MRN" --type discharge --author doctor --encounter "$ENC")
check "the technician transcribes a discharge summary" sh -c "echo '$DS' | grep -Eq '^[0-9]+$'"
expect_exit "show the transcription" 0 tech note show "$DS"
contains "transcribed for the author: unverified" "status	unverified" "$OUT"
contains "typed by the technician" "entered_by	tech" "$OUT"
expect_exit "a document with an unknown author is refused" 2 sh -c "echo x | FOLIO_PASSWORD=demo-tech-pass '$FOLIO' --db '$DB' --user tech note new '$MRN' --type hp --author nobody"
expect_exit "a document for a non-physician author is refused" 2 sh -c "echo x | FOLIO_PASSWORD=demo-tech-pass '$FOLIO' --db '$DB' --user tech note new '$MRN' --type hp --author super"
expect_exit "an unknown type is refused" 2 sh -c "echo x | FOLIO_PASSWORD=demo-tech-pass '$FOLIO' --db '$DB' --user tech note new '$MRN' --type poem --author doctor"

expect_exit "a wrong signature code does not sign" 3 coded doctor whatever note sign "$DS"
expect_exit "a signature code that is the password is refused" 2 coded doctor demo-doctor-pass user sigcode
expect_exit "a short signature code is refused" 2 coded doctor abc user sigcode
expect_exit "the physician sets a signature code" 0 coded doctor sig-code-41 user sigcode
expect_exit "a technician has no signature code to set" 3 coded tech sig-code-42 user sigcode
expect_exit "the password does not sign" 3 coded doctor demo-doctor-pass note sign "$DS"
expect_exit "a technician cannot sign" 3 coded tech sig-code-41 note sign "$DS"
expect_exit "the author signs with the signature code" 0 coded doctor sig-code-41 note sign "$DS"
contains "signed with no cosigner: completed" "completed" "$OUT"
BEFORE=$(tech note show "$DS")
expect_exit "editing a signed note fails" 2 sh -c "echo 'tampered text' | FOLIO_PASSWORD=demo-doctor-pass '$FOLIO' --db '$DB' --user doctor note edit '$DS'"
contains "it says to write an addendum" "addendum" "$OUT"
check "the signed note is unchanged" test "$BEFORE" = "$(tech note show "$DS")"
expect_exit "signing twice is refused" 2 coded doctor sig-code-41 note sign "$DS"
expect_exit "a signer with no signature code is told how to set one" 3 sh -c "echo x | FOLIO_SIGNATURE_CODE=whatever FOLIO_PASSWORD=demo-super-pass '$FOLIO' --db '$DB' --user super note amend '$DS'"
contains "the message names the command" "user sigcode" "$OUT"

ADD=$(echo "Addendum: potassium 4.1 on recheck" | tech note addend "$DS")
check "the technician writes an addendum for the author" sh -c "echo '$ADD' | grep -Eq '^[0-9]+$'"
expect_exit "the author signs the addendum" 0 coded doctor sig-code-41 note sign "$ADD"
expect_exit "show the note" 0 tech note show "$DS"
contains "the addendum shows with it" "Addendum: potassium 4.1 on recheck" "$OUT"
contains "the original text is still there" "zanzibar-marker-77" "$OUT"
expect_exit "an addendum to an unsigned note is refused" 2 sh -c "echo more | FOLIO_PASSWORD=demo-tech-pass '$FOLIO' --db '$DB' --user tech note addend '$HP'"

# cosignature: a resident's note waits for the attending
RES=$(echo "Progress: resident note" | doc note new "$MRN" --type progress --author doctor --cosigner doctor 2>&1)
contains "the cosigner is someone else" "other than the author" "$RES"
FOLIO_NEW_PASSWORD=attending-pass-2026 as admin "$DB" user add attending --role physician >/dev/null 2>&1
RN=$(echo "Progress: resident note, plan discussed with attending" |
	doc note new "$MRN" --type progress --author doctor --cosigner attending)
expect_exit "the resident signs" 0 coded doctor sig-code-41 note sign "$RN"
contains "it waits for the cosigner" "uncosigned" "$OUT"
expect_exit "the author cannot cosign" 3 coded doctor sig-code-41 note sign "$RN"
FOLIO_NEW_SIGNATURE_CODE=attend-code-9 FOLIO_PASSWORD=attending-pass-2026 "$FOLIO" --db "$DB" --user attending user sigcode >/dev/null 2>&1
expect_exit "the attending cosigns" 0 env FOLIO_SIGNATURE_CODE=attend-code-9 FOLIO_PASSWORD=attending-pass-2026 "$FOLIO" --db "$DB" --user attending note sign "$RN"
contains "then it is completed" "completed" "$OUT"
expect_exit "show the cosigned note" 0 tech note show "$RN"
contains "the cosigner is recorded" "cosigned_by	attending" "$OUT"

# ---- verification ----------------------------------------------------
expect_exit "note verify passes" 0 super note verify
contains "it counts the signatures" "signatures verified" "$OUT"
lacks "none failed" "failed the check" "$OUT"
cp "$DB" "$T/before-tamper.db"
sqlite3 "$DB" "UPDATE documents SET body = CAST(substr(body, 1, 40) || x'00' || substr(body, 42) AS BLOB) WHERE id = $DS"
expect_exit "after the ciphertext is changed, note verify fails" 1 super note verify
contains "it names the altered document" "$DS	$MRN	its text does not decrypt" "$OUT"
cp "$T/before-tamper.db" "$DB"
sqlite3 "$DB" "UPDATE documents SET author = 'super' WHERE id = $ADD"
expect_exit "a changed author is caught" 1 super note verify
contains "it names the addendum" "$ADD	$MRN	the signature does not match" "$OUT"
cp "$T/before-tamper.db" "$DB"
sqlite3 "$DB" "UPDATE documents SET status = 'completed' WHERE id = $HP"
expect_exit "a note marked signed without a signature is caught" 1 super note verify
contains "it names it" "$HP	$MRN	it is marked signed but has no signature" "$OUT"
cp "$T/before-tamper.db" "$DB"
check "signature rows cannot be deleted" sh -c "! sqlite3 '$DB' 'DELETE FROM signatures' 2>/dev/null"

# ---- amendment, retraction, refiling ----------------------------------
NEWV=$(echo "DISCHARGE SUMMARY (amended): course uneventful" | coded doctor sig-code-41 note amend "$DS")
check "an amendment makes a new version" sh -c "echo '$NEWV' | grep -Eq '^[0-9]+$'"
expect_exit "the old version is kept as amended" 0 tech note show "$DS"
contains "status amended" "status	amended" "$OUT"
expect_exit "the chart lists the current version only" 0 tech note list "$MRN"
lacks "no amended version" "	amended	" "$OUT"
expect_exit "a technician cannot amend" 3 sh -c "echo x | FOLIO_SIGNATURE_CODE=sig-code-41 FOLIO_PASSWORD=demo-tech-pass '$FOLIO' --db '$DB' --user tech note amend '$NEWV'"
WRONG=$(echo "Progress note for the wrong patient" | doc note new "$OTHER" --type progress --author doctor)
expect_exit "retract needs a reason" 2 super note retract "$WRONG"
expect_exit "the supervisor retracts a misfiled note" 0 super note retract "$WRONG" --why "filed to the wrong patient"
expect_exit "the retracted note is hidden from the chart" 0 tech note list "$OTHER"
lacks "not listed" "Progress" "$(echo "$OUT" | grep "^$WRONG	")"
expect_exit "but kept (list --all)" 0 tech note list "$OTHER" --all
contains "listed as retracted" "retracted" "$OUT"
expect_exit "only the one who retracted it refiles it" 3 doc note refile "$WRONG" --to "$MRN"
COPY=$(super note refile "$WRONG" --to "$MRN")
check "refiled to the right chart" sh -c "echo '$COPY' | grep -Eq '^[0-9]+$'"
expect_exit "the copy needs signing again" 0 tech note show "$COPY"
contains "unsigned" "status	unsigned" "$OUT"
contains "it names its origin" "refiled_from	$WRONG" "$OUT"

# ---- two editors of one note ------------------------------------------
N=$(echo "first text" | doc note new "$MRN" --type progress --author doctor)
V=$(tech note show "$N" | awk -F'\t' '$1 == "row_version" { print $2 }')
( echo "text of editor A" | doc note edit "$N" --version "$V" >"$T/a.out" 2>&1; echo $? >"$T/a.rc" ) &
( echo "text of editor B" | tech note edit "$N" --version "$V" >"$T/b.out" 2>&1; echo $? >"$T/b.rc" ) &
wait
RCS="$(cat "$T/a.rc") $(cat "$T/b.rc")"
check "one save wins, the other is refused (exits $RCS)" sh -c "[ '$RCS' = '0 1' ] || [ '$RCS' = '1 0' ]"
if [ "$(cat "$T/a.rc")" = 0 ]; then WON="A" LOST="B" LOSER=tech LOSTOUT="$T/b.out"; else WON="B" LOST="A" LOSER=doctor LOSTOUT="$T/a.out"; fi
contains "the refusal is clear" "changed by someone else" "$(cat "$LOSTOUT")"
contains "it says the text is kept" "kept as draft" "$(cat "$LOSTOUT")"
expect_exit "the note has the winner's text" 0 tech note show "$N"
contains "winner's text saved" "text of editor $WON" "$OUT"
expect_exit "the loser's text is kept as a draft" 0 as "$LOSER" "$DB" note show "$N" --draft
contains "draft text" "text of editor $LOST" "$OUT"

# ---- the front desk and sensitive notes --------------------------------
PSY=$(echo "Psychotherapy session: private-marker-93" | doc note new "$MRN" --type psychotherapy --author doctor)
expect_exit "the front desk cannot read a document" 3 desk note show "$HP"
expect_exit "the front desk cannot list documents" 3 desk note list "$MRN"
expect_exit "the front desk cannot list encounters" 3 desk encounter list "$MRN"
expect_exit "the front desk cannot admit" 3 desk encounter admit "$OTHER" --attending doctor
expect_exit "the front desk cannot write a note" 3 sh -c "echo x | FOLIO_PASSWORD=demo-desk-pass '$FOLIO' --db '$DB' --user desk note new '$MRN' --type hp --author doctor"
expect_exit "the denials are audited" 0 super audit show --user desk --action chart.view
contains "a denied chart read is in the log" "denied" "$OUT"
expect_exit "the technician cannot read a psychotherapy note" 3 tech note show "$PSY"
contains "the key is not theirs" "does not hold its key" "$OUT"
lacks "no text shown" "private-marker-93" "$OUT"
expect_exit "the physician reads it" 0 doc note show "$PSY"
contains "the physician sees the text" "private-marker-93" "$OUT"
expect_exit "the technician's verify says what it could not check" 0 tech note verify
expect_exit "the supervisor reads it" 0 super note show "$PSY"

# ---- no plaintext in the file ----------------------------------------
for marker in zanzibar-marker-77 private-marker-93 "potassium 4.1" "text of editor" "wrong patient scheduled" \
	"filed to the wrong patient"; do
	check "'$marker' is not in the database file" sh -c "! grep -aq '$marker' '$DB'"
done
