#!/bin/sh
# folio — paper chart tracking from the command line (issue 6, done-when 4):
# charge-out and check-in with their refusals, requests and the pull list
# (a charge-out to the requester fulfils one), the overdue list, the
# missing flag that a technician may set but not clear (exit 3, audited)
# and a supervisor clears, several volumes, the history, and `chart MRN`
# still listing encounters.
. "$(dirname "$0")/../lib.sh"

DB="$T/t.db"
demo_db "$DB" 40
tech() { as tech "$DB" "$@"; }
doc() { as doctor "$DB" "$@"; }
super() { as super "$DB" "$@"; }
desk() { as desk "$DB" "$@"; }
mrn_of() { as tech "$DB" patient find "$1" 2>/dev/null | sed -n 2p | cut -f1; }
moves() { tech chart history "$1" 2>/dev/null | tail -n +2 | wc -l; }

M=$(tech patient add --last Foldersen --first Flo --dob 1971-04-05 --sex F 2>/dev/null | tail -1)
HEART=$(mrn_of "o'brien")
JOHN=$(mrn_of "smith,john")
JANE=$(mrn_of "smith,jane")
check "a new patient and the demo's fixed ones" test -n "$M" -a -n "$HEART" -a -n "$JOHN" -a -n "$JANE"

# ---- the demo's paper charts ---------------------------------------------
expect_exit "the demo pull list" 0 tech chart pull-list
contains "pull list header" "request	mrn	needed	requester	requested	where" "$OUT"
contains "John Smith's chart is requested by the doctor" "$JOHN	$(date -u -d tomorrow +%Y-%m-%d 2>/dev/null || echo)" "$OUT"
expect_exit "the demo overdue list" 0 tech chart overdue
contains "O'Brien-Muñoz's volume 1 is overdue from the doctor" "$HEART	1	doctor" "$OUT"
expect_exit "where is Jane Smith's chart" 0 tech chart where "$JANE"
contains "it is missing" "$JANE	MISSING" "$OUT"

# ---- chart MRN is still the encounter list ---------------------------------
expect_exit "chart MRN lists encounters as before" 0 tech chart "$JOHN"
contains "encounter header" "encounter	kind	state" "$OUT"
expect_exit "an unknown subcommand is not an MRN" 2 tech chart lend "$M"

# ---- charge-out and check-in ---------------------------------------------
expect_exit "a new patient has no paper chart" 0 tech chart where "$M"
check "where is empty" test "$(echo "$OUT" | sed -n 2p | cut -f2)" = ""
expect_exit "charge-out names the borrower" 2 tech chart out "$M"
expect_exit "a bad due date is refused" 2 tech chart out "$M" --to doctor --due someday
expect_exit "a due date before today is refused" 2 tech chart out "$M" --to doctor --due T-2
expect_exit "an option the command does not take" 2 tech chart out "$M" --to doctor --why nothing
expect_exit "a bad MRN" 2 tech chart out 12345 --to doctor
expect_exit "an unknown patient" 4 tech chart out 99999997 --to doctor
check "the refusals wrote nothing" test "$(moves "$M")" -eq 0
expect_exit "charge out to the cardiology clinic" 0 tech chart out "$M" --to "Cardiology clinic" --due T+5
contains "it says where the chart is now" "Out: Cardiology clinic since" "$OUT"
expect_exit "where shows it out" 0 tech chart where "$M"
contains "out to the clinic" "Out: Cardiology clinic since $(date -u +%Y-%m-%d)" "$OUT"
expect_exit "volume 1 was made on the first charge-out" 0 tech chart volumes "$M"
contains "volume 1 at the File room, due in five days" "1	File room	out	Cardiology clinic" "$OUT"
n=$(moves "$M")
expect_exit "a chart that is out is not charged out again" 2 tech chart out "$M" --to doctor
contains "it says to whom it is out" "already out to Cardiology clinic" "$OUT"
check "the refusal changed nothing" test "$(moves "$M")" -eq "$n"
expect_exit "a physician does not move charts" 3 doc chart out "$M" --to doctor
expect_exit "nor does the front desk read where they are" 3 desk chart where "$M"
expect_exit "check it in" 0 tech chart in "$M"
expect_exit "checking in a chart that is in is refused" 2 tech chart in "$M"
contains "it says none is out" "is out" "$OUT"
expect_exit "back home" 0 tech chart where "$M"
contains "in the file room" "$M	File room" "$OUT"
expect_exit "a back-timed charge-out before the check-in is refused" 2 tech chart out "$M" --to doctor --at T-3@09:00
expect_exit "a charge-out in the future is refused" 2 tech chart out "$M" --to doctor --at T+1@09:00

# ---- requests and the pull list -----------------------------------------
R1=$(doc chart request "$M" --for T+1 --why "clinic visit wedgewood-marker" 2>/dev/null)
check "the physician requests the chart (request $R1)" sh -c "echo '$R1' | grep -Eq '^[0-9]+$'"
expect_exit "the same request twice is refused" 2 doc chart request "$M" --for T+1
expect_exit "a request for yesterday is refused" 2 doc chart request "$M" --for T-1
expect_exit "the front desk requests no charts" 3 desk chart request "$M"
expect_exit "the pull list" 0 tech chart pull-list
contains "the new request is on it, with where the chart is" "$R1	$M	" "$OUT"
contains "with the requester" "	doctor	" "$OUT"
lacks "the pull list shows no reasons" "wedgewood-marker" "$OUT"
first=$(echo "$OUT" | sed -n 2p | cut -f3)
last=$(echo "$OUT" | tail -1 | cut -f3)
check "earliest needed first ($first .. $last)" test "$first" \< "$last" -o "$first" = "$last"
expect_exit "the pull list for today leaves tomorrow's out" 0 tech chart pull-list --date T
lacks "not needed today" "$R1	$M" "$OUT"
expect_exit "a physician does not read the file room's pull list" 3 doc chart pull-list
expect_exit "charge out to the requester" 0 tech chart out "$M" --to doctor
expect_exit "the request is fulfilled" 0 tech chart pull-list
lacks "off the pull list" "$R1	$M" "$OUT"
expect_exit "the history" 0 tech chart history "$M"
contains "history header" "at	volume	kind	from	to	due	request	by	reason" "$OUT"
contains "the charge-out names the request it fulfilled" "	1	out	File room	doctor	" "$OUT"
contains "the request with its reason, opened for a reader" "clinic visit wedgewood-marker" "$OUT"
contains "the check-in" "	1	in	Cardiology clinic	File room	" "$OUT"
R2=$(doc chart request "$M" --for T+2 2>/dev/null)
expect_exit "the tech cancels the physician's request" 0 tech chart request "$M" --cancel "$R2"
expect_exit "a cancelled request is not cancelled again" 2 tech chart request "$M" --cancel "$R2"
expect_exit "an unknown request" 4 tech chart request "$M" --cancel 99999
expect_exit "check it in again" 0 tech chart in "$M"

# ---- missing, and only a supervisor clears it -----------------------------
expect_exit "missing needs a reason" 2 tech chart missing "$M"
expect_exit "mark it missing" 0 tech chart missing "$M" --why "not on the shelf at the audit"
expect_exit "where says MISSING" 0 tech chart where "$M"
contains "missing" "$M	MISSING" "$OUT"
expect_exit "it is not marked missing twice" 2 tech chart missing "$M" --why again
expect_exit "a missing chart is not charged out" 2 tech chart out "$M" --to doctor
contains "it says a supervisor must find it" "a supervisor marks it found" "$OUT"
expect_exit "a missing chart is not checked in" 2 tech chart in "$M"
expect_exit "a technician may not clear 'missing'" 3 tech chart found "$M"
contains "it says so" "chart.found: not permitted for the technician role" "$OUT"
expect_exit "the denial is audited" 0 super audit show --action chart.found --patient "$M"
contains "denied, as the technician" "denied" "$(echo "$OUT" | grep '	tech	')"
expect_exit "nor may a physician" 3 doc chart found "$M"
expect_exit "still missing" 0 tech chart where "$M"
contains "after the refusals" "MISSING" "$OUT"
expect_exit "the supervisor clears it" 0 super chart found "$M"
expect_exit "back home" 0 tech chart where "$M"
contains "found, in the file room" "$M	File room" "$OUT"
expect_exit "found twice is refused" 2 super chart found "$M"
expect_exit "the history keeps it all" 0 super chart history "$M"
contains "the missing flag with its reason" "missing	File room		" "$OUT"
contains "the reason is shown to the supervisor" "not on the shelf at the audit" "$OUT"
contains "found by the supervisor" "found		File room			super" "$OUT"
check "every movement kept: created, out, in, request, out, in, request, cancel, in... ($(moves "$M"))" \
	test "$(moves "$M")" -ge 10
SEALED=$(sqlite3 "$DB" "SELECT count(*) FROM chart_moves WHERE CAST(reason AS TEXT) LIKE '%shelf%' OR CAST(reason AS TEXT) LIKE '%wedgewood%'" 2>/dev/null)
check "reasons are sealed in the file ($SEALED plain)" test "$SEALED" = "0"

# ---- several volumes --------------------------------------------------------
V=$(tech chart volumes "$M" --add --home "File room B" 2>/dev/null)
check "a second volume ($V)" test "$V" = "2"
expect_exit "--home goes with --add" 2 tech chart volumes "$M" --home X
expect_exit "which volume? is asked, not guessed" 2 tech chart out "$M" --to doctor
contains "it says to name one" "name the volume" "$OUT"
expect_exit "charge out volume 2" 0 tech chart out "$M" --to doctor --volume 2
expect_exit "where lists both" 0 tech chart where "$M"
contains "both volumes" "Vol 1 File room; Vol 2 Out: doctor since" "$OUT"
expect_exit "no volume 3" 4 tech chart in "$M" --volume 3
expect_exit "a bad volume number" 2 tech chart in "$M" --volume two
expect_exit "the one that is out comes in" 0 tech chart in "$M"

# ---- overdue -----------------------------------------------------------------
O=$(tech patient add --last Overdale --dob 1950-01-01 2>/dev/null | tail -1)
expect_exit "a back-timed charge-out, due two days ago" 0 tech chart out "$O" --to "Ward 4B" --at T-5@10:00 --due T-2
expect_exit "the overdue list" 0 tech chart overdue
contains "overdue by two days" "$O	1	Ward 4B	" "$OUT"
contains "days over" "	2" "$(echo "$OUT" | grep "$O")"
expect_exit "where says overdue" 0 tech chart where "$O"
contains "(overdue)" "(overdue)" "$OUT"
expect_exit "a due date before it went out is refused" 2 tech chart out "$M" --to doctor --at T-5@10:00 --due T-6
expect_exit "the due default is a site setting" 0 as admin "$DB" config set chart_due_days 10
expect_exit "out with the site's period" 0 tech chart out "$M" --to doctor --volume 1
expect_exit "volumes" 0 tech chart volumes "$M"
contains "due in ten days" "$(date -u -d '+10 days' +%Y-%m-%d 2>/dev/null)" "$OUT"

# ---- a restricted record asks for a reason first -------------------------
RM=$(tech patient add --last Sealedfold --dob 1966-06-06 2>/dev/null | tail -1)
tech patient restrict "$RM" >/dev/null 2>&1
expect_exit "a restricted record's chart is not moved without a reason" 3 tech chart out "$RM" --to doctor
expect_exit "with --reason it is" 0 tech chart out "$RM" --to doctor --reason "file room audit of restricted charts"

expect_exit "usage" 2 tech chart out
expect_exit "the audit log of the chart" 0 super audit show --patient "$M" --limit 500
lacks "reasons stay out of the audit log" "wedgewood-marker" "$OUT"
lacks "the missing reason too" "not on the shelf" "$OUT"
