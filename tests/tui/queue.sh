#!/bin/sh
# folio interface: the supervisor's incomplete-chart queue (issue 6,
# done-when 1 and 5).  Two delinquent charts, one per physician; the
# supervisor opens the queue (the rate on screen), filters to one
# physician, sees per-physician counts, opens the delinquent chart, comes
# back and sends the physician a reminder; the command line and then the
# physician's own inbox show it.  After the physician signs the summary the
# chart is gone from the queue.
. "$(dirname "$0")/../lib.sh"

D="$T/d.db"
demo_db "$D" 0
FOLIO_NEW_PASSWORD=drwho-pass-0001 as admin "$D" user add drwho --role physician >/dev/null 2>&1 ||
	fail "a second physician"

# delinquent LAST AUTHOR FIRST DOB PHONE: a chart admitted 36 and discharged 31 days ago
# with its H&P signed, its coding done and a discharge summary by AUTHOR
# transcribed, not signed.  Prints "MRN DS".
delinquent() {
	m=$(as tech "$D" patient add --last "$1" --first "$3" --dob "$4" --sex F --phone "$5" \
		--address "2 Elm St" 2>/dev/null | tail -1)
	e=$(as tech "$D" encounter admit "$m" --attending doctor --service surgery --at "T-36@09:00" 2>/dev/null)
	hp=$(printf 'H&P\n' | as doctor "$D" note new "$m" --type hp --author doctor --encounter "$e" 2>/dev/null)
	FOLIO_SIGNATURE_CODE=demo-doctor-sign as doctor "$D" note sign "$hp" >/dev/null 2>&1
	as tech "$D" encounter discharge "$e" --status 01 --at "T-31@00:01" >/dev/null 2>&1
	ds=$(printf 'DISCHARGE SUMMARY\n' |
		as tech "$D" note new "$m" --type discharge --author "$2" --encounter "$e" 2>/dev/null)
	c=$(as tech "$D" check "$m" 2>/dev/null | awk -F'\t' '$4 == "coding" { print $1 }')
	as tech "$D" deficiency complete "$c" --note "coded" >/dev/null 2>&1
	echo "$m $ds"
}
set -- $(delinquent Queuedoc doctor Ann 1958-03-04 555-201-4455)
M1=$1 DS1=$2
set -- $(delinquent Queuewho drwho Bea 1966-07-08 555-301-6677)
M2=$1
check "two delinquent charts" test -n "$M1" -a -n "$DS1" -a -n "$M2" -a "$M1" != "$M2"

tm_start 80 24 "$FOLIO --db $D"
sign_in super
wait_for "the supervisor's menu" "Incomplete charts" 10
tm_menu_open "Incomplete charts"
wait_for "the queue opens" "folio — Incomplete charts" 10
s=$(tm_screen)
contains "the rate against its limit" "(limit 50%, OVER): 2 delinquent" "$s"
contains "the first chart is listed" "$M1" "$s"
contains "the second chart is listed" "$M2" "$s"
contains "the action bar" "O Open  A Assign  N Note  R Remind" "$s"
contains "paper-chart column" "Paper chart" "$s"
tm_keys '?'
wait_for "help" "send the responsible person a reminder"
popup_close

tm_keys p
wait_for "the physician prompt" "Physician (Enter for all)"
tm_keys doctor Enter
wait_for "filtered to the doctor" "Physician doctor"
s=$(tm_screen)
contains "the doctor's chart stays" "$M1 " "$s"
lacks "the other physician's chart is gone" "$M2 " "$s"
contains "delinquent, assigned to the author" "discharge-summary doctor    transcribed" "$s"
tm_keys c
wait_for "per-physician counts" "Deficiencies per physician"
contains "the doctor's count" "doctor" "$(tm_screen)"
popup_close

tm_keys Enter
wait_for "the chart opens from the queue" "Queuedoc,Ann" 10
contains "it is the delinquent chart" "MRN $M1" "$(tm_screen)"
tm_keys Escape
wait_for "back in the queue" "folio — Incomplete charts" 10
tm_keys r
wait_for "the reminder note prompt" "Reminder note"
tm_keys 'Summary overdue, please sign' Enter
wait_for "the reminder is sent" "reminder sent"
tm_keys h
wait_for "the history opens" "Press any key"
wait_for "the history shows the reminder with its note" '"Summary overdue, please sign"'
contains "sent by the supervisor to the author" "super     remind   transcribed -> doctor" "$(tm_screen)"
popup_close
tm_keys Escape
wait_for "back at the menu" "HIM supervisor menu" 10

R=$(as doctor "$D" deficiency reminders 2>/dev/null)
contains "the command line shows the doctor's reminder" "super	" "$R"
contains "about the summary, with the note" "$M1	" "$(printf '%s\n' "$R" | grep 'Summary overdue, please sign')"
R2=$(as drwho "$D" deficiency reminders --user drwho 2>/dev/null </dev/null)
lacks "the other physician got none" "Summary overdue" "$R2"

# ---- the physician's inbox ---------------------------------------------------------------
tm_keys Escape
wait_for "sign out asked" "Sign out?"
tm_keys y Enter
sign_in doctor
wait_for "the doctor's menu" "Inbox" 10
tm_menu_open "Inbox"
wait_for "the inbox opens" "folio — Inbox" 10
contains "the inbox counts the reminder" "1 reminder" "$(tm_screen)"
tm_keys Escape
wait_for "back at the doctor's menu" "Physician menu" 10
tm_keys Escape
wait_for "sign out asked again" "Sign out?"
tm_keys y Enter

# ---- the technician: the same queue, no reopening ----------------------------------------
sign_in tech
wait_for "the technician's menu" "Incomplete charts" 10
tm_menu_open "Incomplete charts"
wait_for "the technician's queue" "folio — Incomplete charts" 10
contains "reopening is not the technician's" "(E Reopen)" "$(tm_screen)"
tm_keys e
wait_for "and says so" "Your role may not reopen"
tm_keys q

# ---- signing takes it out of the queue at once --------------------------------------
FOLIO_SIGNATURE_CODE=demo-doctor-sign as doctor "$D" note sign "$DS1" >/dev/null 2>&1 || fail "sign the summary"
Q=$(as super "$D" queue 2>/dev/null)
lacks "the signed chart left the queue" "$M1	" "$Q"
contains "the other is still there" "$M2	" "$Q"
