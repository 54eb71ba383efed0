# folio — the writers of tests/reliability/crash.sh: one loop per kind of
# write (registration, a note saved and signed, an HL7 import, coding).
# Each folio command runs under `timeout -s KILL` with a random deadline,
# so a SIGKILL lands wherever the command happens to be: parsing, Argon2,
# inside a transaction, in the commit.  A write is written down as
# confirmed only after its command exited 0; the harness later proves each
# one is there.  Sourced by crash.sh (FOLIO, DB, W set); not a test itself.
#
#   $W/KIND.kills      one line per command that the deadline killed
#   $W/KIND.confirmed  one line per write folio reported as done
#   $W/KIND.err        every command's stderr (sanitizer reports show here)
#   $W/KIND.failed     one line per command that failed on its own
#   $W/KIND.runs       one line per command run
#   $W/stop            present: the writers finish their command and exit

# rnd N: a random integer in 0..N-1
rnd() { od -An -N4 -tu4 /dev/urandom | awk -v n="$1" '{ print $1 % n }'; }

# rwords N: N random words of 8 lowercase letters, the first capitalised
# (names the duplicate guard will not match with one another)
rwords() {
	od -An -v -N$(($1 * 8)) -tu1 /dev/urandom | awk '{ for (i = 1; i <= NF; i++) { s = s sprintf("%c", 97 + $i % 26)
		if (length(s) == 8) { print toupper(substr(s, 1, 1)) substr(s, 2); s = "" } } }'
}

# killable KIND KEY OUT CMD...: runs CMD with stdout in OUT.  Two runs in three,
# chosen at random, get a deadline of 1..D ms, D being how long the
# last finished run of KEY took (so the kills spread over the whole command
# however loaded the machine is; CRASH_MAX_MS until one has finished), and
# are SIGKILLed there if still running.  Returns CMD's status (124 or 137
# when killed).
killable() {
	k=$1 key=$2 est="$W/$2.ms" o=$3
	shift 3
	[ -s "$est" ] || echo "${CRASH_MAX_MS:-300}" >"$est"
	if [ "$(rnd 3)" = 0 ]; then limit=600; else
		ms=$(($(rnd "$(cat "$est")") + 1))
		limit="$((ms / 1000)).$(printf %03d $((ms % 1000)))"
	fi
	echo >>"$W/$k.runs"
	t0=$(date +%s%N)
	timeout -s KILL "$limit" "$@" >"$o" 2>"$o.err"
	rc=$?
	cat "$o.err" >>"$W/$k.err"
	case $rc in
	124 | 137) echo "$limit" >>"$W/$k.kills" ;;
	0) echo $((($(date +%s%N) - t0) / 1000000 + 1)) >"$est" ;;
	*) echo "$key exit $rc: $(tr '\n' ' ' <"$o.err" | head -c 300)" >>"$W/$k.failed" ;;
	esac
	return $rc
}

# Registration by the front desk: the MRN printed is the confirmation.
writer_patient() {
	while [ ! -e "$W/stop" ]; do
		set -- $(rwords 2)
		dob="19$(($(rnd 80) + 20))-0$(($(rnd 9) + 1))-1$(rnd 10)"
		if killable patient patient-add "$W/patient.out" env FOLIO_PASSWORD=demo-desk-pass "$FOLIO" --db "$DB" \
			--user desk patient add --last "$1" --first "$2" --dob "$dob" --sex F; then
			mrn=$(grep -E '^[0-9]{8}$' "$W/patient.out" | head -n 1)
			[ -n "$mrn" ] && echo "$mrn $1 $2" >>"$W/patient.confirmed"
		fi
	done
}

# A progress note: filed, saved with new text, signed (Argon2 on the
# signature code).  Lines: "new ID MRN TAG", "edit ID TAG", "sign ID TAG".
writer_note() {
	pool=$1 n=0
	while [ ! -e "$W/stop" ]; do
		n=$((n + 1)) tag="crashnote-$(rwords 1)-$n"
		mrn=$(echo "$pool" | tr ' ' '\n' | sed -n "$(($(rnd 4) + 1))p")
		printf 'Progress: %s draft\n' "$tag" >"$W/note.draft"
		printf 'Progress: %s final, plan unchanged\n' "$tag" >"$W/note.final"
		killable note note-new "$W/note.out" env FOLIO_PASSWORD=demo-doctor-pass "$FOLIO" --db "$DB" --user doctor \
			note new "$mrn" --type progress --author doctor --file "$W/note.draft" || continue
		id=$(grep -E '^[0-9]+$' "$W/note.out" | head -n 1)
		[ -n "$id" ] || continue
		echo "new $id $mrn $tag" >>"$W/note.confirmed"
		killable note note-edit "$W/note.out" env FOLIO_PASSWORD=demo-doctor-pass "$FOLIO" --db "$DB" --user doctor \
			note edit "$id" --file "$W/note.final" && echo "edit $id $tag" >>"$W/note.confirmed"
		killable note note-sign "$W/note.out" env FOLIO_PASSWORD=demo-doctor-pass FOLIO_SIGNATURE_CODE=demo-doctor-sign \
			"$FOLIO" --db "$DB" --user doctor note sign "$id" && echo "sign $id $tag" >>"$W/note.confirmed"
	done
}

# An HL7 file of three ADT^A04 registrations with fresh names and control
# ids.  Line: "LAST1 LAST2 LAST3" once the import exited 0.
writer_import() {
	n=0
	while [ ! -e "$W/stop" ]; do
		n=$((n + 1))
		names=$(rwords 5 | tr '\n' ' ')
		set -- $names
		first=$4 run=$5 # run: control ids new across rounds of writers
		: >"$W/import.hl7"
		k=0
		for last in "$1" "$2" "$3"; do
			k=$((k + 1))
			printf 'MSH|^~\\&|CRASH|GOOD HEALTH|FOLIO|FOLIO|202601050800||ADT^A04|CR%s-%s-%s|P|2.5\rEVN|A04|202601050800\rPID|1||CR%s%s%s^^^GH^MR||%s^%s^^^^^L||1971021%s|F\rPV1|1|O\r' \
				"$run" "$n" "$k" "$run" "$n" "$k" "$last" "$first" "$k" >>"$W/import.hl7"
		done
		killable import import-hl7 "$W/import.out" env FOLIO_PASSWORD=demo-tech-pass "$FOLIO" --db "$DB" --user tech \
			import hl7 "$W/import.hl7" && echo "$1 $2 $3 $first" >>"$W/import.confirmed"
	done
}

# An outpatient visit, then its coding.  Lines: "visit ENC MRN" and
# "coding ENC PDX SDX" (codes as folio shows them, without the dot).
writer_coding() {
	pool=$1 n=0
	while [ ! -e "$W/stop" ]; do
		n=$((n + 1))
		mrn=$(echo "$pool" | tr ' ' '\n' | sed -n "$(($(rnd 4) + 1))p")
		case $((n % 3)) in
		0) pdx=A41.9 sdx=N17.9 ;;
		1) pdx=J18.9 sdx=E11.9 ;;
		*) pdx=I21.4 sdx=I10 ;;
		esac
		killable coding visit "$W/coding.out" env FOLIO_PASSWORD=demo-tech-pass "$FOLIO" --db "$DB" --user tech \
			encounter visit "$mrn" --kind outpatient --attending doctor || continue
		enc=$(grep -E '^[0-9]+$' "$W/coding.out" | head -n 1)
		[ -n "$enc" ] || continue
		echo "visit $enc $mrn" >>"$W/coding.confirmed"
		killable coding coding-set "$W/coding.out" env FOLIO_PASSWORD=demo-tech-pass "$FOLIO" --db "$DB" --user tech \
			coding set "$enc" --pdx "$pdx" --sdx "$sdx:Y" &&
			echo "coding $enc $(echo "$pdx" | tr -d .) $(echo "$sdx" | tr -d .)" >>"$W/coding.confirmed"
	done
}
