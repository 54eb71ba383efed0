#!/bin/sh
# folio — physician queries from the command line (issue 6): the rules of a
# compliant query (indicators cited, "Other" and "Clinically undetermined"
# offered, yes/no only where allowed, no payment talk, a physician, sane
# dates), refused with exit 2 and nothing stored; an answer filed as a
# signed addendum that `note verify` checks, then closed; withdrawal;
# escalation and overdue worked out when read; roles kept out (exit 3);
# nothing of the query stored in clear; the demo's queries.
. "$(dirname "$0")/../lib.sh"

DB="$T/q.db"
demo_db "$DB" 30
tech() { as tech "$DB" "$@"; }
doc() { as doctor "$DB" "$@"; }
super() { as super "$DB" "$@"; }
desk() { as desk "$DB" "$@"; }
coded() { u=$1 code=$2; shift 2; FOLIO_SIGNATURE_CODE=$code FOLIO_PASSWORD=$(demo_password "$u") \
	"$FOLIO" --db "$DB" --user "$u" "$@"; }
sign() { coded doctor demo-doctor-sign "$@"; }
rows() { sqlite3 "$DB" "SELECT count(*) FROM queries"; }
field() { tech query show "$1" 2>/dev/null | awk -F '	' -v k="$2" '$1 == k { print $2 }'; }

# ---- the demo's queries (done-when 6) ------------------------------------
expect_exit "the demo has queries" 0 super query list --status all
contains "an open multiple-choice query for the doctor" "multiple-choice	open	doctor	tech" "$OUT"
contains "an overdue query is escalated" "open	escalated	doctor" "$OUT"
contains "one is answered" "yes-no	answered	doctor" "$OUT"
expect_exit "the overdue list" 0 super query list --overdue
check "the overdue list holds the escalated one" sh -c "echo '$OUT' | sed -n 2p | grep -q escalated"

# ---- an admission with a signed discharge summary ------------------------
MRN=$(tech patient add --last Querytest --first Ada --dob 1950-02-03 --sex F 2>/dev/null | tail -1)
ENC=$(tech encounter admit "$MRN" --attending doctor --service medicine --at "T-3@09:00" 2>/dev/null)
tech encounter discharge "$ENC" --status 01 --at "T-1@10:00" >/dev/null 2>&1
DS=$(printf 'DISCHARGE SUMMARY\nHospital course: treated for pneumonia\n' |
	doc note new "$MRN" --type discharge --author doctor --encounter "$ENC" 2>/dev/null)
sign note sign "$DS" >/dev/null 2>&1
check "a discharged admission with a signed discharge summary" test -n "$MRN" -a -n "$ENC" -a -n "$DS"
IND1="Sodium 128 mmol/L (L) on day 1 zebra-indicator-41"
IND2="Confusion noted by nursing on day 1"
Q="What condition do the sodium results represent? zebra-question-77"
BEFORE=$(rows)

# ---- refusals (exit 2, nothing stored) -----------------------------------
expect_exit "multiple choice without Clinically undetermined is refused" 2 tech query new "$ENC" --to doctor \
	--format multiple-choice --question "$Q" --indicator "$IND1" --option Hyponatremia --option "SIADH" --option Other
contains "it names the missing option" '"Clinically undetermined" is missing' "$OUT"
expect_exit "multiple choice without Other is refused" 2 tech query new "$ENC" --to doctor \
	--format multiple-choice --question "$Q" --indicator "$IND1" --option Hyponatremia --option "SIADH" \
	--option "Clinically undetermined"
contains "it names Other" '"Other" is missing' "$OUT"
expect_exit "one clinical option is not a choice" 2 tech query new "$ENC" --to doctor --format multiple-choice \
	--question "$Q" --indicator "$IND1" --option Hyponatremia --option Other --option "Clinically undetermined"
expect_exit "yes/no for a new diagnosis is refused" 2 tech query new "$ENC" --to doctor --format yes-no \
	--question "Does the patient have hyponatremia?" --indicator "$IND1"
contains "it says when yes/no is allowed" "never for a new diagnosis" "$OUT"
expect_exit "an unknown yes/no reason is refused" 2 tech query new "$ENC" --to doctor --format yes-no \
	--yes-no-reason hunch --question "$Q" --indicator "$IND1"
expect_exit "an open-ended query takes no options" 2 tech query new "$ENC" --to doctor --format open \
	--question "$Q" --indicator "$IND1" --option Hyponatremia
expect_exit "a query without indicators is refused" 2 tech query new "$ENC" --to doctor --format open --question "$Q"
contains "it says to cite the record" "clinical indicators" "$OUT"
expect_exit "a query that talks of payment is refused" 2 tech query new "$ENC" --to doctor --format open \
	--question "Documenting SIADH would raise the DRG weight; please add it" --indicator "$IND1"
contains "it says why" "never mentions payment" "$OUT"
expect_exit "a query to a non-physician is refused" 2 tech query new "$ENC" --to super --format open \
	--question "$Q" --indicator "$IND1"
expect_exit "a query to nobody is refused" 2 tech query new "$ENC" --to nobody --format open --question "$Q" \
	--indicator "$IND1"
expect_exit "a due date in the past is refused" 2 tech query new "$ENC" --to doctor --format open --question "$Q" \
	--indicator "$IND1" --due T-1
expect_exit "an escalation before the due date is refused" 2 tech query new "$ENC" --to doctor --format open \
	--question "$Q" --indicator "$IND1" --due T+5 --escalate T+2
expect_exit "an unknown format is refused" 2 tech query new "$ENC" --to doctor --format essay --question "$Q" \
	--indicator "$IND1"
expect_exit "a missing encounter is not found" 4 tech query new 99999 --to doctor --format open --question "$Q" \
	--indicator "$IND1"
check "nothing was stored by the refusals" test "$(rows)" = "$BEFORE"

# ---- roles ---------------------------------------------------------------
expect_exit "the front desk cannot raise a query" 3 desk query new "$ENC" --to doctor --format open \
	--question "$Q" --indicator "$IND1"
expect_exit "a physician does not raise queries" 3 doc query new "$ENC" --to doctor --format open \
	--question "$Q" --indicator "$IND1"
expect_exit "the front desk cannot list queries" 3 desk query list

# ---- a multiple-choice query, answered and closed (done-when 3) -----------
QID=$(tech query new "$ENC" --to doctor --format multiple-choice --question "$Q" --indicator "$IND1" \
	--indicator "$IND2" --option Hyponatremia --option "SIADH" --option other --option "clinically undetermined" \
	--due T+2 2>"$T/err")
check "the query is raised ($(cat "$T/err"))" sh -c "echo '$QID' | grep -Eq '^[0-9]+$'"
expect_exit "the coder reads it back" 0 tech query show "$QID"
contains "the question" "question	$Q" "$OUT"
contains "the indicators" "indicator	$IND1" "$OUT"
contains "Other, in its usual spelling" "option_3	Other" "$OUT"
contains "Clinically undetermined" "option_4	Clinically undetermined" "$OUT"
contains "status open" "status	open" "$OUT"
contains "due as asked" "due	$(date -u -d '+2 days' +%Y-%m-%d)" "$OUT"
contains "escalation from the site default (7 days)" "escalate	$(date -u -d '+7 days' +%Y-%m-%d)" "$OUT"
expect_exit "the physician sees it as theirs" 0 doc query list --mine
contains "in the physician's list" "$QID	$MRN	$ENC	multiple-choice	open" "$OUT"
expect_exit "the front desk cannot read it" 3 desk query show "$QID"
expect_exit "a technician cannot answer" 3 coded tech demo-doctor-sign query answer "$QID" --option 1
FOLIO_NEW_PASSWORD=second-doctor-pass as admin "$DB" user add doc2 --role physician >/dev/null 2>&1
expect_exit "another physician cannot answer it" 3 env FOLIO_SIGNATURE_CODE=x FOLIO_PASSWORD=second-doctor-pass \
	"$FOLIO" --db "$DB" --user doc2 query answer "$QID" --option 1
contains "it says whose it is" "for doctor to answer" "$OUT"
expect_exit "an option out of range is refused" 2 sign query answer "$QID" --option 9
expect_exit "Other needs words" 2 sign query answer "$QID" --option 3
DOCS=$(sqlite3 "$DB" "SELECT count(*) FROM documents")
expect_exit "a wrong signature code answers nothing" 3 coded doctor wrong-code query answer "$QID" --option 1
check "no addendum was left behind" test "$(sqlite3 "$DB" "SELECT count(*) FROM documents")" = "$DOCS"
check "and the query is still open" test "$(field "$QID" status)" = open
expect_exit "the physician answers with the signature code" 0 sign query answer "$QID" --option 1 \
	--comment "zebra-comment-93 corrected by day 3"
ADD=$(printf %s "$OUT" | tail -1)
check "the answer's document is printed" sh -c "echo '$ADD' | grep -Eq '^[0-9]+$'"
check "the query keeps the addendum" test "$(field "$QID" document)" = "$ADD"
check "the query is answered" test "$(field "$QID" status)" = answered
expect_exit "the discharge summary shows the addendum" 0 tech note show "$DS"
contains "a signed addendum by the doctor" "==== addendum $ADD (completed, doctor, signed" "$OUT"
contains "it says what it answers" "RESPONSE TO DOCUMENTATION QUERY $QID" "$OUT"
contains "with the indicators" "- $IND1" "$OUT"
contains "and the answer" "Answer: Hyponatremia" "$OUT"
contains "and the comment" "Comment: zebra-comment-93" "$OUT"
expect_exit "every signature verifies" 0 super note verify
expect_exit "answering twice is refused" 2 sign query answer "$QID" --option 2
expect_exit "the answer is audited" 0 super audit show --action query.answer --patient "$MRN"
contains "as the doctor's" "doctor" "$OUT"
expect_exit "the coder closes the answered query" 0 tech query close "$QID"
check "the query is closed" test "$(field "$QID" status)" = closed
check "by the coder" test "$(field "$QID" ended_by)" = tech
expect_exit "closing twice is refused" 2 tech query close "$QID"

# ---- open-ended and yes/no on a visit with no document --------------------
VIS=$(tech encounter visit "$MRN" --clinic Clinic --attending doctor 2>/dev/null)
YN=$(tech query new "$VIS" --to doctor --format yes-no --yes-no-reason poa --question "Was the confusion present on arrival?" \
	--indicator "$IND2" 2>/dev/null)
check "a yes/no present-on-admission query" sh -c "echo '$YN' | grep -Eq '^[0-9]+$'"
check "it offers Yes, No, Other and Clinically undetermined" \
	test "$(tech query show "$YN" 2>/dev/null | grep -c '^option_')" = 4
check "its reason is kept" test "$(field "$YN" yes_no_reason)" = poa
OPEN=$(tech query new "$VIS" --to doctor --format open --question "Please describe the mental status on arrival" \
	--indicator "$IND2" 2>/dev/null)
expect_exit "an open-ended query is answered in words, not by number" 2 sign query answer "$OPEN" --option 1
expect_exit "an open-ended answer" 0 sign query answer "$OPEN" --text "zebra-answer-55 acute delirium"
NOTE=$(printf %s "$OUT" | tail -1)
expect_exit "with no document on the visit, the answer is a new progress note" 0 tech note show "$NOTE"
contains "a progress note" "type	progress" "$OUT"
contains "signed" "status	completed" "$OUT"
contains "on the visit" "encounter	$VIS" "$OUT"
contains "with the words" "Answer: zebra-answer-55 acute delirium" "$OUT"

# ---- withdrawal --------------------------------------------------------------
expect_exit "a withdrawal needs a reason" 2 tech query withdraw "$YN"
expect_exit "the coder withdraws a query" 0 tech query withdraw "$YN" --why "zebra-reason-12 answered elsewhere"
check "it is withdrawn" test "$(field "$YN" status)" = withdrawn
check "the reason is kept" test "$(field "$YN" withdraw_reason)" = "zebra-reason-12 answered elsewhere"
expect_exit "a withdrawn query is not answered" 2 sign query answer "$YN" --option 1
expect_exit "nor closed" 2 tech query close "$YN"
expect_exit "an answered query is not withdrawn" 2 tech query withdraw "$OPEN" --why "too late"

# ---- escalation and overdue, worked out when read ----------------------------
ESC=$(tech query new "$ENC" --to doctor --format open --question "Please clarify the sodium trend" \
	--indicator "$IND1" 2>/dev/null)
check "a fresh query is open and not overdue" test "$(field "$ESC" status):$(field "$ESC" days_overdue)" = "open:0"
# Time passes: raised ten days ago, due eight days ago, escalated three days ago.
sqlite3 "$DB" "UPDATE queries SET due_on = date('now', '-8 days'), escalate_on = date('now', '-3 days') WHERE id = $ESC"
check "read now, it is escalated" test "$(field "$ESC" status)" = escalated
check "eight days overdue" test "$(field "$ESC" days_overdue)" = 8
expect_exit "the supervisor's overdue list" 0 super query list --overdue
contains "holds it" "$ESC	$MRN	$ENC	open	escalated" "$OUT"
expect_exit "the escalated filter" 0 tech query list --status escalated
contains "finds it" "$ESC	$MRN" "$OUT"
check "reading wrote nothing: it is stored open" \
	test "$(sqlite3 "$DB" "SELECT status FROM queries WHERE id = $ESC")" = open
expect_exit "an escalated query is still answered" 0 sign query answer "$ESC" --text "Hyponatremia from thiazide"
check "then it is answered, not overdue" test "$(field "$ESC" status):$(field "$ESC" days_overdue)" = "answered:0"
expect_exit "a bad status filter is refused" 2 tech query list --status lost

# ---- nothing in clear ----------------------------------------------------------
for marker in zebra-question-77 zebra-indicator-41 zebra-comment-93 zebra-answer-55 zebra-reason-12; do
	check "'$marker' is not in the file" sh -c "! grep -aq '$marker' '$DB'"
done
check "no message ever quotes the query" sh -c "! grep '^folio:' '$T/all-output' | grep -q zebra"
