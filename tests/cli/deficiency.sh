#!/bin/sh
# folio — completeness review from the command line (issue 6): an inpatient
# admitted and discharged 31 days ago with an unsigned discharge summary is
# delinquent in `queue --delinquent` with the summary's deficiency on its
# author, and leaves the queue the moment the summary is signed; the rules
# and settings are the supervisor's; a closed deficiency is reopened or
# changed only by a supervisor, audited; reminders reach the physician;
# the rate; `check`; bad input changes nothing.
. "$(dirname "$0")/../lib.sh"

DB="$T/d.db"
demo_db "$DB" 0
tech() { as tech "$DB" "$@"; }
doc() { as doctor "$DB" "$@"; }
super() { as super "$DB" "$@"; }
signing() { FOLIO_SIGNATURE_CODE=demo-doctor-sign as doctor "$DB" "$@"; }
# def_id MRN TYPE: the open deficiency of that type on the chart.
def_id() { tech check "$1" --closed 2>/dev/null | awk -F'\t' -v t="$2" '$4 == t { print $1; exit }'; }

M=$(tech patient add --last Delinquent --first Dora --dob 1961-04-05 --sex F --phone 555-201-7788 \
	--address "4 Elm St" 2>/dev/null | tail -1)
check "a patient to admit" test -n "$M"

# ---- done-when 1 --------------------------------------------------------
ENC=$(tech encounter admit "$M" --attending doctor --service medicine --at "T-35@09:00" 2>/dev/null)
check "admitted 35 days ago" test -n "$ENC"
expect_exit "check right after the admission" 0 tech check "$M"
contains "the admission asks for an H&P" "	hp	incomplete	doctor	" "$OUT"
HP=$(printf 'History and physical\n' | doc note new "$M" --type hp --author doctor --encounter "$ENC" 2>/dev/null)
expect_exit "the doctor signs the H&P" 0 signing note sign "$HP"
expect_exit "discharged 31 days ago" 0 tech encounter discharge "$ENC" --status 01 --at "T-31@00:01"
expect_exit "check after the discharge" 0 tech check "$M"
contains "no discharge summary yet" "discharge-summary	incomplete	doctor" "$OUT"
contains "the coding is wanted" "	coding	incomplete	(coder)" "$OUT"
lacks "the H&P is done" "	hp	" "$OUT"
DS=$(printf 'DISCHARGE SUMMARY\nzanzibar-course-91\n' |
	tech note new "$M" --type discharge --author doctor --encounter "$ENC" 2>/dev/null)
check "the technician transcribes the summary" test -n "$DS"
CODING=$(def_id "$M" coding)
expect_exit "the technician completes the coding deficiency by hand" 0 \
	tech deficiency complete "$CODING" --note "coded on the abstract"
expect_exit "check: only the summary is open" 0 tech check "$M"
check "one open deficiency left" test "$(printf '%s\n' "$OUT" | sed 1d | wc -l)" -eq 1
contains "the summary moved to transcribed" "discharge-summary	transcribed	doctor" "$OUT"

expect_exit "queue --delinquent" 0 super queue --delinquent
LINE=$(printf '%s\n' "$OUT" | grep "^$M	")
contains "the chart is delinquent in the queue" "$M	$ENC	discharge-summary	doctor	transcribed	" "$LINE"
contains "marked delinquent" "	yes	" "$LINE"
contains "the header names the columns" "mrn	encounter	type	responsible	status	days_overdue	delinquent	location" "$OUT"
OVER=$(printf '%s\n' "$LINE" | cut -f6)
check "days overdue counted from discharge + 14 days (17)" test "$OVER" = 17
expect_exit "queue --physician doctor" 0 super queue --physician doctor
contains "the author's queue holds it" "$M	$ENC	discharge-summary" "$OUT"
expect_exit "queue --physician super" 0 super queue --physician super
lacks "another physician's queue does not" "$M	" "$OUT"
expect_exit "queue --type hp" 0 super queue --type hp
lacks "a type filter keeps other types out" "discharge-summary" "$OUT"
expect_exit "the technician reads the queue too" 0 tech queue --service medicine
contains "by service" "$M	$ENC" "$OUT"
expect_exit "a physician has no queue" 3 doc queue

expect_exit "the doctor signs the summary" 0 signing note sign "$DS"
expect_exit "queue right after the signature" 0 super queue
lacks "the chart left the queue at once" "$M	" "$OUT"
expect_exit "queue --delinquent right after" 0 super queue --delinquent
lacks "and the delinquent list" "$M	" "$OUT"
DSDEF=$(def_id "$M" discharge-summary)
expect_exit "deficiency show" 0 tech deficiency show "$DSDEF"
contains "signed, by the signer" "doctor	status	transcribed	signed" "$OUT"
contains "created at the discharge by the technician" "tech	created		incomplete	doctor" "$OUT"

# ---- closed deficiencies: the supervisor's ---------------------------------
expect_exit "a technician may not reopen" 3 tech deficiency reopen "$DSDEF" --why "too short"
expect_exit "a technician may not add a note to a closed one" 3 tech deficiency note "$DSDEF" --text "late"
expect_exit "a reopening says why" 2 super deficiency reopen "$DSDEF"
expect_exit "the supervisor reopens it" 0 super deficiency reopen "$DSDEF" --why "no discharge medications"
expect_exit "queue after the reopening" 0 super queue --delinquent
contains "back in the queue, delinquent" "$M	$ENC	discharge-summary	doctor	incomplete" "$OUT"
# one delinquent chart, one discharge in the last three full months (T-31
# always falls in them): 1 / (1/3) = 300 %, over the 50 % limit
expect_exit "queue --rate" 0 super queue --rate
contains "the rate's columns" "rate_pct	delinquent	avg_monthly_discharges	limit_pct	over	discharges	months" "$OUT"
contains "the rate" "300.0	1	0.33	50	yes	1	3	" "$(printf '%s\n' "$OUT" | sed -n 2p)"
expect_exit "audit of the reopenings" 0 super audit show --action deficiency.reopen
contains "the technician's attempt is audited as denied" "tech	technician	batch	deficiency.reopen	denied	$M	deficiency	$DSDEF" "$OUT"
contains "the supervisor's reopening is audited" "super	supervisor	batch	deficiency.reopen	ok	$M	deficiency	$DSDEF" "$OUT"
expect_exit "audit of the technician's completion" 0 super audit show --action deficiency.edit --patient "$M"
contains "the hand completion is audited" "tech	technician	batch	deficiency.edit	ok	$M	deficiency	$CODING" "$OUT"
check "the reason is sealed in the file" sh -c "! grep -aq 'no discharge medications' '$DB'"

# ---- assign, note, remind, the inbox ---------------------------------------------
expect_exit "assign to a front-desk user is refused" 2 tech deficiency assign "$DSDEF" --to desk
expect_exit "assign to no one known is refused" 2 tech deficiency assign "$DSDEF" --to nobody
expect_exit "assign to the supervisor" 0 tech deficiency assign "$DSDEF" --to super
expect_exit "check keeps the assignment" 0 tech check "$M"
contains "assigned by hand stays" "discharge-summary	incomplete	super" "$OUT"
expect_exit "back to the author" 0 tech deficiency assign "$DSDEF" --to doctor
expect_exit "a note" 0 tech deficiency note "$DSDEF" --text "called the office"
expect_exit "a reminder" 0 super deficiency remind "$DSDEF" --note "please add the medications"
expect_exit "the doctor's reminders" 0 doc deficiency reminders
contains "the reminder reached the doctor" "super	$DSDEF	$M	$ENC	discharge-summary	open	please add the medications" "$OUT"
expect_exit "the doctor's inbox" 0 doc deficiency inbox
contains "the deficiency is in the inbox" "$DSDEF	$M	$ENC	discharge-summary	incomplete	doctor" "$OUT"
expect_exit "a physician reads only their own inbox" 3 doc deficiency inbox --user super
expect_exit "the supervisor reads the doctor's" 0 super deficiency reminders --user doctor
contains "the supervisor sees it too" "please add the medications" "$OUT"
expect_exit "the history" 0 super deficiency show "$DSDEF"
contains "the note is kept" "tech	note	incomplete	incomplete		called the office" "$OUT"
contains "the assignment is kept" "tech	assign	incomplete	incomplete	super" "$OUT"
check "notes are sealed in the file" sh -c "! grep -aq 'called the office' '$DB'"

# ---- complete, review ---------------------------------------------------------
expect_exit "review of an open one is refused" 2 tech deficiency review "$DSDEF"
expect_exit "complete by hand" 0 tech deficiency complete "$DSDEF" --note "medications added on paper"
expect_exit "review after completion" 0 tech deficiency review "$DSDEF"
expect_exit "check --closed" 0 tech check "$M" --closed
contains "reviewed" "$DSDEF	$M	$ENC	discharge-summary	reviewed" "$OUT"
expect_exit "no reminders for a closed one" 2 super deficiency remind "$DSDEF"

# ---- rules and settings ------------------------------------------------------------
expect_exit "the rules" 0 tech deficiency rules
contains "the default H&P rule" "hp	History and physical	inpatient	admission	author	1	yes	yes" "$OUT"
contains "no summary after a short stay" "discharge-summary	Discharge summary signed	inpatient	discharge	author	14	no	yes" "$OUT"
expect_exit "a technician may not change a rule" 3 tech deficiency rule set discharge-summary days 30
expect_exit "a bad number of days" 2 super deficiency rule set discharge-summary days 400
expect_exit "an unknown rule" 4 super deficiency rule set nosuch days 3
expect_exit "an unknown field" 2 super deficiency rule set hp colour blue
expect_exit "the supervisor gives summaries 30 days" 0 super deficiency rule set discharge-summary days 30
expect_exit "and hands vitals to a physician" 0 super deficiency rule set vitals responsible doctor
expect_exit "the rules again" 0 super deficiency rules
contains "the days changed" "discharge-summary	Discharge summary signed	inpatient	discharge	author	30	no	yes" "$OUT"
contains "the person changed" "vitals	Vitals taken at the visit	visit	discharge	doctor	1" "$OUT"
expect_exit "audit of the rule change" 0 super audit show --action deficiency.rules
contains "audited" "super	supervisor	batch	deficiency.rules	ok" "$OUT"
expect_exit "the site settings" 0 super config list
contains "30 days to delinquency" "delinquent_days	30" "$OUT"
expect_exit "an out-of-range setting" 2 as admin "$DB" config set delinquent_days 0
expect_exit "a supervisor may not change site settings" 3 super config set delinquent_days 45

# ---- short stays, cancellations -------------------------------------------------
S=$(tech patient add --last Shortstay --first Sam --dob 1970-01-01 --sex M --phone 555-201-9900 \
	--address "9 Oak St" 2>/dev/null | tail -1)
SE=$(tech encounter admit "$S" --attending doctor --at "T-3@08:00" 2>/dev/null)
expect_exit "a one-day stay" 0 tech encounter discharge "$SE" --status 01 --at "T-2@08:00"
expect_exit "check the short stay" 0 tech check "$S"
lacks "no summary wanted after a short stay" "discharge-summary" "$OUT"
contains "an H&P still is" "	hp	incomplete" "$OUT"
expect_exit "the discharge is cancelled" 0 tech encounter cancel "$SE" --why "discharged in error"
expect_exit "check after the cancel" 0 tech check "$S" --closed
contains "discharge rules withdrawn" "	coding	withdrawn" "$OUT"
contains "the H&P stays open while admitted" "	hp	incomplete" "$OUT"

# ---- the rate, check --all -------------------------------------------------------------
expect_exit "--rate takes no filters" 2 super queue --rate --physician doctor
expect_exit "check --all" 0 tech check --all
contains "every chart checked" "$S	" "$OUT"

# ---- bad input ---------------------------------------------------------------------
expect_exit "check needs an MRN or --all" 2 tech check
expect_exit "a malformed MRN" 2 tech check 12345
expect_exit "a deficiency number is a number" 2 tech deficiency assign x --to doctor
expect_exit "no such deficiency" 4 tech deficiency assign 99999 --to doctor
expect_exit "assign needs --to" 2 tech deficiency assign "$DSDEF"
expect_exit "an unknown subcommand" 2 tech deficiency frobnicate
expect_exit "an unknown option" 2 super queue --colour red
expect_exit "the front desk has no queue" 3 as desk "$DB" queue
