#!/bin/sh
# folio interface: physician queries and the inbox (issue 6).  A technician
# raises a query from the encounters screen (U), picking indicators from the
# chart; the supervisor sends the doctor a reminder about a deficiency
# (command line); the doctor opens the Inbox, sees both queries and the
# reminder, answers one query with an option and the signature code, and
# sees it leave the list; the command line shows the signed addendum.
. "$(dirname "$0")/../lib.sh"

D="$T/d.db"
demo_db "$D" 0
M=$(as tech "$D" patient add --last Inboxby --first Ida --dob 1952-06-07 --sex F 2>/dev/null | tail -1)
ENC=$(as tech "$D" encounter admit "$M" --attending doctor --service medicine --at "T-2@09:00" 2>/dev/null)
as tech "$D" encounter discharge "$ENC" --status 01 --at "T-1@10:00" >/dev/null 2>&1
as tech "$D" result add "$M" --test Sodium --value 128 --units mmol/L --flag L --encounter "$ENC" >/dev/null 2>&1
DS=$(printf 'DISCHARGE SUMMARY\nHospital course: confusion on day one, improved\n' |
	as doctor "$D" note new "$M" --type discharge --author doctor --encounter "$ENC" 2>/dev/null)
FOLIO_SIGNATURE_CODE=demo-doctor-sign as doctor "$D" note sign "$DS" >/dev/null 2>&1
Q=$(as tech "$D" query new "$ENC" --to doctor --format multiple-choice \
	--question "What do the sodium results represent on this admission?" \
	--indicator "Sodium 128 mmol/L (L) on day 1" --option Hyponatremia --option "Dehydration" \
	--option Other --option "Clinically undetermined" 2>/dev/null)
check "a discharged admission with a signed summary and a query" test -n "$M" -a -n "$ENC" -a -n "$DS" -a -n "$Q"

# menu_item LABEL: the number of a menu item on the screen.
menu_item() { tm_screen | sed -n "s/^ *\([0-9][0-9]*\)  $1 *\$/\1/p" | head -1; }
# inbox_row TEXT: the number of the inbox line holding TEXT.
inbox_row() { tm_screen | grep -F -- "$1" | sed -n 's/^ *\([0-9][0-9]*\)  .*/\1/p' | head -1; }

# ---- the technician raises a query from the encounters screen -------------
tm_start 80 24 "$FOLIO --db $D"
sign_in tech
tm_wait "Find a patient" 10 || fail "tech menu: $(tm_screen)"
tm_keys 1
tm_wait "Select PATIENT NAME:" 5
tm_keys 'INBOXBY,I' Enter
wait_for "the technician opens the patient" "O Open chart" 10
tm_keys o
wait_for "the chart" "Encounters (E)" 10
tm_keys e
wait_for "the encounters screen offers a query" "U query" 5
tm_keys u
wait_for "the indicator picker lists the result" "Sodium: 128 mmol/L (L)" 10
contains "and the discharge summary's lines" "Discharge summary $DS: Hospital course" "$(tm_screen)"
tm_keys n
wait_for "nothing picked: it says a query cites the record" "Pick at least one indicator" 5
tm_keys Space
wait_for "the first line is picked" "1 of at most 20 indicators picked" 5
tm_keys n
wait_for "the form asks the format" "Format: open//" 5
tm_keys 3 Enter
wait_for "yes/no asks why it is allowed" "Yes/no because:" 5
tm_keys poa Enter
tm_wait "Question:" 5
tm_keys 'Was the low sodium present on admission?' Enter
wait_for "the physician defaults to the attending" "To physician: doctor//" 5
tm_keys Enter
tm_wait "Due:" 5
tm_keys Enter
tm_wait "Escalate on:" 5
tm_keys Enter
wait_for "it asks before sending" "Send the query?" 5
tm_keys Enter
wait_for "the query is sent" "sent to doctor." 10
Q2=$(tm_screen | sed -n 's/.*Query \([0-9][0-9]*\) sent to doctor.*/\1/p')
expect_exit "the command line shows the interface's query" 0 as tech "$D" query show "$Q2"
contains "yes/no" "format	yes-no" "$OUT"
contains "present on admission" "yes_no_reason	poa" "$OUT"
contains "the picked indicator" "Sodium: 128 mmol/L (L)" "$OUT"
contains "Yes, No, Other, Clinically undetermined" "option_4	Clinically undetermined" "$OUT"

# ---- the supervisor reminds the doctor of a deficiency -----------------------
DEF=$(as super "$D" deficiency inbox --user doctor 2>/dev/null | sed -n 2p | cut -f1)
expect_exit "the supervisor sends the doctor a reminder" 0 as super "$D" deficiency remind "$DEF" \
	--note "please sign zebra-remind"

# ---- the doctor's inbox --------------------------------------------------------
tm_restart 80 24 "$FOLIO --db $D"
sign_in doctor
tm_wait "Inbox" 10 || fail "doctor menu: $(tm_screen)"
tm_keys "$(menu_item Inbox)"
wait_for "the doctor's inbox opens" "Inbox of doctor:" 10
s=$(tm_screen)
contains "two queries to answer" "2 queries to answer" "$s"
contains "the technician's query" "Query $Q (choice) from tech" "$s"
contains "the one raised in the interface" "Query $Q2 (yes/no) from tech" "$s"
contains "the reminder" "Reminder from super" "$s"
tm_keys "$(inbox_row "Query $Q ")" Enter
wait_for "the query opens for an answer" "Answer (option number):" 10
s=$(tm_screen)
contains "it names the patient" "Inboxby,Ida   MRN $M" "$s"
contains "it shows the indicators" "Sodium 128 mmol/L (L) on day 1" "$s"
contains "and the question" "What do the sodium results represent" "$s"
contains "and the options" "4. Clinically undetermined" "$s"
tm_keys 7 Enter
wait_for "a number out of range is refused" "Type a number from 1 to 4" 5
tm_keys 1 Enter
wait_for "a comment is offered" "Comment (optional):" 5
tm_keys 'corrected with fluids' Enter
wait_for "the signature code is asked" "Signature code:" 5
tm_keys demo-doctor-sign Enter
wait_for "the answer is filed, signed" "answered: signed addendum" 10
lacks "the code never shows" "demo-doctor-sign" "$(tm_screen)"
tm_wait_gone "Query $Q (choice)" 5
s=$(tm_screen)
lacks "the answered query left the list" "Query $Q (choice)" "$s"
contains "one query is left" "1 query to answer" "$s"
contains "the other query stays" "Query $Q2 (yes/no)" "$s"
ADD=$(echo "$s" | sed -n 's/.*signed addendum \([0-9][0-9]*\) filed.*/\1/p')
expect_exit "the command line shows the query answered" 0 as tech "$D" query show "$Q"
contains "answered" "status	answered" "$OUT"
contains "with the addendum" "document	$ADD" "$OUT"
expect_exit "the discharge summary carries the signed answer" 0 as tech "$D" note show "$DS"
contains "signed by the doctor" "==== addendum $ADD (completed, doctor, signed" "$OUT"
contains "with the answer" "Answer: Hyponatremia" "$OUT"
contains "and the comment" "Comment: corrected with fluids" "$OUT"
expect_exit "every signature verifies" 0 as super "$D" note verify
tm_keys q
tm_wait_gone "Inbox" 10

# ---- the supervisor reads the doctor's inbox --------------------------------------
tm_restart 80 24 "$FOLIO --db $D"
sign_in super
tm_wait "Inbox" 10 || fail "super menu: $(tm_screen)"
tm_keys "$(menu_item Inbox)" Enter
wait_for "the supervisor is asked whose inbox" "Whose inbox" 5
tm_keys doctor Enter
wait_for "the doctor's inbox, for the supervisor" "Inbox of doctor:" 10
tm_keys "$(inbox_row "Reminder from super")" v
wait_for "V shows the reminder with its note" "please sign zebra-remind" 5
popup_close
tm_keys "$(inbox_row "Query $Q2 ")" Enter
wait_for "a supervisor reads but does not answer" "is for doctor to answer" 10
check "the reminder's note is not in the file" sh -c "! grep -aq 'zebra-remind' '$D'"
