#!/bin/sh
# folio — `import hl7 FILE... [--ack-dir DIR]` (issue 8): every file of
# ../shared/testdata/hl7v2 is imported or rejected (exit 0 or 1, never a
# crash), each message acknowledged (one .ack per message, one for a file
# with none) and every AE/AR acknowledgement says why; then, with messages
# written here: an A01 registers a chart findable by name and admits it, a
# rerun is "already applied", an A08 changes a demographic, an A03 (HAPI's)
# discharges, an A11 cancels, a bad DOB or an unusable attending changes
# nothing (not half-applied), an ambiguous match is refused, mirth's A40
# imported by a technician queues a verified duplicate pair (no merge), one
# imported by a supervisor merges (undone after) unless the preview finds a
# conflict (then it queues, naming it), linuxforhealth's multi-line
# ORU files one result whose report keeps its lines, A05 then A01 admits the
# pre-admission, A02/A12 move the patient, an A03 closes a visit, a numeric
# OBX keeps LOINC, units, range and flag, a reused control id with other
# content is refused, node-hl7-complete's bad phone (an SIU) is rejected by
# type and a bad phone in an ADT refused naming PID-13, python-hl7's bad
# batches are rejected "before any MSH"; the front desk and a physician
# exit 3; under the sanitizers no report in any output.
. "$(dirname "$0")/../lib.sh"

DATA="$(cd "$(dirname "$0")/../../.." && pwd)/shared/testdata/hl7v2"
if [ ! -d "$DATA" ]; then echo "SKIP hl7: ../shared/testdata/hl7v2 not found"; exit 0; fi

DB="$T/h.db"
demo_db "$DB" 60
imp() { as tech "$DB" import hl7 "$@"; }
# mrn_of "LAST,FIRST": the MRN the front desk finds
mrn_of() { as desk "$DB" patient find "$1" 2>/dev/null | grep -o '[0-9]\{8\}' | head -n 1; }

# ---- every file of the test data ----------------------------------------
total=0 bad_exit="" acks_ok=1 reasons_ok=1 files=0
find "$DATA" -type f | LC_ALL=C sort >"$T/files"
while IFS= read -r f; do
	files=$((files + 1))
	ad="$T/ack/$files"  # not $d: as() sets d
	mkdir -p "$ad"
	imp "$f" --ack-dir "$ad" >"$T/o" 2>"$T/e"
	rc=$?
	cat "$T/o" "$T/e" >>"$T/all-output"
	[ "$rc" -le 1 ] || bad_exit="$bad_exit ${f#"$DATA"/}=$rc"
	# read N messages -> N acks; a file with none -> 1 ack
	n=$(sed -n "s|^$f: \([0-9]*\) message.*|\1|p" "$T/e" | head -n 1)
	[ -n "$n" ] || n=0
	want=$n
	[ "$n" -gt 0 ] || want=1
	got=$(find "$ad" -name '*.ack' | wc -l)
	[ "$got" -eq "$want" ] || { acks_ok=0; echo "  ${f#"$DATA"/}: $got acks for $n messages"; }
	for a in "$ad"/*.ack; do
		[ -f "$a" ] || continue
		# MSA|code|control|text: AE and AR carry a text
		msa=$(tr '\r' '\n' <"$a" | grep '^MSA|')
		case "$msa" in
		"MSA|AA|"*) ;;
		"MSA|AE|"*"|"?* | "MSA|AR|"*"|"?*) ;;
		*) reasons_ok=0; echo "  ${f#"$DATA"/}: $(basename "$a") has no reason: $msa" ;;
		esac
	done
	total=$((total + want))
done <"$T/files"
check "all $files test-data files end 0 or 1 (never a crash)" [ -z "$bad_exit" ]
[ -z "$bad_exit" ] || echo "  exits:$bad_exit"
check "every message of the test data is acknowledged ($total)" [ "$acks_ok" = 1 ]
check "every AE/AR acknowledgement says why" [ "$reasons_ok" = 1 ]
check "the test data holds HL7 messages" [ "$total" -gt 100 ]

# the summary's totals per file: messages read and the four outcomes
imp "$DATA/hapi-hl7v2/uuencoded.txt" "$DATA/ruby-hl7/empty.hl7" >"$T/o" 2>"$T/e"
e=$(cat "$T/e")
contains "a file that is not HL7: no HL7 message" "uuencoded.txt: AR no HL7 message in the file" "$e"
contains "an empty file: no HL7 message" "empty.hl7: AR no HL7 message in the file" "$e"
contains "a summary in total" "total: 2 messages: 0 applied, 0 already applied, 0 refused (AE), 2 rejected (AR)" "$e"
runs=$(sqlite3 "$DB" "SELECT count(*) FROM import_runs WHERE kind = 'hl7' AND finished_at IS NOT NULL")
check "an import_runs row per run" [ "$runs" -eq $((files + 1)) ]
last=$(sqlite3 "$DB" "SELECT rows_read || ' ' || rows_imported || ' ' || rows_skipped || ' ' || summary FROM import_runs ORDER BY id DESC LIMIT 1")
contains "import_runs: counts and reasons" "2 0 2 AR 2 no HL7 message in the file" "$last"

# python-hl7's bad batches
expect_exit "python-hl7 bad batch: exit 1" 1 imp "$DATA/python-hl7/sample_bad_batch1.hl7"
contains "a bad batch is rejected: before any MSH" "AR line" "$OUT"
contains "a bad batch names why" "before any MSH" "$OUT"

# node-hl7-complete's bad phone is an SIU^S12 (scheduling): rejected as a
# type folio does not process, before its phone is read
expect_exit "bad phone: rejected" 1 imp "$DATA/node-hl7-complete/invalid/misc/bad-phone-example.hl7"
contains "bad phone: AR, its type named" "AR message type SIU^S12 is not processed by folio" "$OUT"

# ---- messages written here, into a fresh database ----------------------
# (the test data reuses control ids across files: what ran above must not
# decide what runs below)
DB="$T/h2.db"
demo_db "$DB" 60
CR=$(printf '\r')
msg() { # msg FILE SEGMENT... : one message, segments ended by CR
	f=$1; shift
	: >"$f"
	for s in "$@"; do printf '%s\r' "$s" >>"$f"; done
}
# seg NAME N=VALUE...: a segment with each value at its field number
seg() {
	name=$1; shift
	printf '%s\n' "$@" | awk -v n="$name" '{ i = $0; sub(/=.*/, "", i); x = $0; sub(/^[0-9]+=/, "", x)
		v[i + 0] = x; if (i + 0 > m) m = i + 0 }
		END { s = n; for (k = 1; k <= m; k++) s = s "|" v[k]; print s }'
}
MSH='MSH|^~\&|ADT1|GOOD HEALTH|FOLIO|FOLIO|202601050800||'

# an A01 with an attending that is not a physician, then a bad DOB: nothing is made
msg "$T/a01bad.hl7" "${MSH}ADT^A01|BAD1|P|2.5" "EVN|A01|202601050800" \
	"PID|1||HX9001^^^GH^MR||Zybrowski^Quentin^^^^^L||19700315|M" "$(seg PV1 2=I 3=W1^101^1 7=desk^Desk 10=MED)"
expect_exit "A01 with an unusable attending: refused" 1 imp "$T/a01bad.hl7" --ack-dir "$T"
contains "A01 refused: the attending named" "PV1-7 (attending)" "$OUT"
msg "$T/a01dob.hl7" "${MSH}ADT^A01|BAD2|P|2.5" "PID|1||HX9001^^^GH^MR||Zybrowski^Quentin||19701345|M" \
	"$(seg PV1 2=I 3=W1^101^1 7=doctor^Doctor 10=MED)"
expect_exit "A01 with a bad DOB: refused" 1 imp "$T/a01dob.hl7"
contains "bad DOB: AE naming PID-7" "AE PID-7 Date of birth" "$OUT"
lacks "bad DOB: the value is not echoed" "19701345" "$OUT"
expect_exit "nothing half-applied: no chart made" 4 as desk "$DB" patient find "Zybrowski,Quentin"
ack=$(tr '\r' '\n' <"$T/a01bad.1.ack")
contains "an AE acknowledgement" "MSA|AE|BAD1|PV1-7" "$ack"

# a good A01: a chart findable by name, admitted
msg "$T/a01.hl7" "${MSH}ADT^A01|GOOD1|P|2.5" "EVN|A01|202601050800" \
	"PID|1||HX9001^^^GH^MR||Zybrowski^Quentin^^^^^L||19700315|M|||12 Elm St^^Springfield^IL^62701||(217)555-0100" \
	"$(seg PV1 2=I 3=W1^101^1 7=doctor^Doctor 10=MED 19=V100^^^GH 44=202601050800)" \
	"DG1|1||E11.9^Type 2 diabetes mellitus without complications^I10" "AL1|1|DA|^Penicillin|SV|Hives"
expect_exit "A01: applied" 0 imp "$T/a01.hl7" --ack-dir "$T"
contains "A01: registered a new chart" "registered a new chart" "$(tr '\r' '\n' <"$T/a01.1.ack")"
expect_exit "A01: the patient is found by name" 0 as desk "$DB" patient find "Zybrowski,Quentin"
contains "A01: one chart" "Zybrowski" "$OUT"
MRN=$(printf '%s\n' "$OUT" | grep -o '[0-9]\{8\}' | head -n 1)
check "A01: an MRN" [ -n "$MRN" ]
expect_exit "A01: the phone kept" 0 as tech "$DB" patient show "$MRN"
contains "A01: the phone" "555-0100" "$OUT"
expect_exit "A01: encounter list" 0 as tech "$DB" encounter list "$MRN"
contains "A01: admitted" "admitted" "$OUT"
expect_exit "DG1 kept as a problem" 0 as tech "$DB" problem list "$MRN"
contains "DG1: the ICD-10 code kept" "E11.9" "$OUT"
expect_exit "AL1 kept as an allergy" 0 as tech "$DB" allergy list "$MRN"
contains "AL1: the allergen" "Penicillin" "$OUT"

# the same file again: nothing new
expect_exit "rerun: applied nothing new" 0 imp "$T/a01.hl7"
contains "rerun: already applied" "1 already applied" "$OUT"
expect_exit "rerun: still one encounter" 0 as tech "$DB" encounter list "$MRN"
check "rerun: one encounter only" [ "$(printf '%s\n' "$OUT" | grep -c 'inpatient')" = 1 ]

# another message for the same person under a new identifier but an
# exact name/DOB/sex: the duplicate guard finds the chart (never twice)
msg "$T/a08.hl7" "${MSH}ADT^A08|UPD1|P|2.5" "EVN|A08|202601050900" \
	"PID|1||HX9001^^^GH^MR||Zybrowski^Quentin||19700315|M|||12 Elm St^^Shelbyville^IL^62565||\"\"" \
	"$(seg PV1 2=I 3=W1^101^1)"
expect_exit "A08: applied" 0 imp "$T/a08.hl7"
expect_exit "A08: patient show" 0 as tech "$DB" patient show "$MRN"
contains "A08: the city changed" "Shelbyville" "$OUT"
lacks "A08: \"\" deleted the phone" "555-0100" "$OUT"
contains "A08: an absent field is kept (the address)" "12 Elm St" "$OUT"

# an ambiguous match is refused, never guessed nor registered twice
msg "$T/dup.hl7" "${MSH}ADT^A04|DUP1|P|2.5" "PID|1||ZZ777^^^OTHER||Zybrowski^Quentinn||19700315|M" "$(seg PV1 2=O 3=CLINIC)"
expect_exit "a near match: refused" 1 imp "$T/dup.hl7"
contains "a near match: possible duplicate" "possible duplicate of an existing chart: review it" "$OUT"

# HAPI's A03 discharges its patient: admitted first by an A01 written here
# with the same identifier and visit number
msg "$T/pre03.hl7" "MSH|^~\\&|IRIS|SANTER|AMB_R|SANTER|200803031510||ADT^A01|PRE03|P|2.5" \
	"PID|||5520255^^^PK^PK||ZZZ^ZZZ||19830824|F" \
	"$(seg PV1 2=I '3=6402DH^^^^^^^^MED. 1 - ONCOLOGIA' 7=13936^TEST^TEST 19=2008003369 44=200803031508)"
expect_exit "A01 before HAPI's A03: applied" 0 imp "$T/pre03.hl7" --attending doctor
expect_exit "HAPI's A03: applied" 0 imp "$DATA/hapi-hl7v2/adt_a03.txt"
M03=$(mrn_of "ZZZ,ZZZ")
expect_exit "A03: encounter list" 0 as tech "$DB" encounter list "$M03"
contains "A03: discharged" "discharged" "$OUT"

# A13 cancels the discharge, A11 then cancels the admission
msg "$T/a13.hl7" "MSH|^~\\&|IRIS|SANTER|AMB_R|SANTER|200803051600||ADT^A13|C13|P|2.5" \
	"PID|||5520255^^^PK^PK||ZZZ^ZZZ||19830824|F" "$(seg PV1 2=I 3=6402DH 19=2008003369)"
expect_exit "A13: applied" 0 imp "$T/a13.hl7"
expect_exit "A13: encounter list" 0 as tech "$DB" encounter list "$M03"
contains "A13: admitted again" "admitted" "$OUT"
msg "$T/a11.hl7" "MSH|^~\\&|IRIS|SANTER|AMB_R|SANTER|200803051610||ADT^A11|C11|P|2.5" \
	"PID|||5520255^^^PK^PK||ZZZ^ZZZ||19830824|F" "$(seg PV1 2=I 3=6402DH 19=2008003369)"
expect_exit "A11: applied" 0 imp "$T/a11.hl7"
expect_exit "A11: encounter list" 0 as tech "$DB" encounter list "$M03"
contains "A11: cancelled" "cancelled" "$OUT"

# an A02 moves the admitted patient; A12 moves them back
msg "$T/a02.hl7" "${MSH}ADT^A02|TR1|P|2.5" "PID|1||HX9001^^^GH^MR" "$(seg PV1 2=I 3=W2^202^2 6=W1^101^1)"
expect_exit "A02: applied" 0 imp "$T/a02.hl7"
msg "$T/a12.hl7" "${MSH}ADT^A12|TR2|P|2.5" "PID|1||HX9001^^^GH^MR" "$(seg PV1 2=I 3=W1^101^1 6=W2^202^2)"
expect_exit "A12: applied" 0 imp "$T/a12.hl7"
ENC=$(as tech "$DB" encounter list "$MRN" 2>/dev/null | grep inpatient | grep -o '^[^0-9]*[0-9]*' | grep -o '[0-9]*$' | head -n 1)
expect_exit "A02/A12: encounter show" 0 as tech "$DB" encounter show "$ENC"
contains "A02: room 202 in the history" "202" "$OUT"

# mirth's A40: both charts registered here under the sender's identifiers,
# then the A40 queues a verified pair for the supervisor (no merge)
msg "$T/m1.hl7" "MSH|^~\\&|SENDING_APPLICATION|SENDING_FACILITY|R|R|20110613120000||ADT^A04|M40A|P|2.3" \
	"PID|1||1765431||McTavish^Henry^J||19700101|M" "$(seg PV1 2=O 3=CLINIC)"
msg "$T/m2.hl7" "MSH|^~\\&|SENDING_APPLICATION|SENDING_FACILITY|R|R|20110613120100||ADT^A04|M40B|P|2.3" \
	"PID|1||1765475||MacTavish^Harry||19700110|M" "$(seg PV1 2=O 3=CLINIC)"
expect_exit "A40: its two charts registered" 0 imp "$T/m1.hl7" "$T/m2.hl7"
expect_exit "mirth A40: applied" 0 imp "$DATA/mirth-connect/filereader/nonbatch/nested/07.hl7" --ack-dir "$T"
contains "A40: merge queued for approval" "merge queued for approval" "$(tr '\r' '\n' <"$T/07.1.ack")"
expect_exit "A40: the pair is listed" 0 as super "$DB" dup list --status duplicate
contains "A40: a verified duplicate pair" "duplicate" "$OUT"
expect_exit "A40: both charts still there" 0 as desk "$DB" patient find "McTavish,Henry"
check "A40 by a technician: no merge" [ "$(as super "$DB" merge list 2>/dev/null | wc -l)" -eq 1 ]

# an A40 imported by a supervisor (merge.approve) merges, through the merge
# engine, in the message's transaction: MRG-1's chart into PID-3's
msg "$T/s1.hl7" "${MSH}ADT^A04|S40A|P|2.5" "PID|1||SV7001^^^GH^MR||Quillfeather^Ottoline||19610412|F" \
	"$(seg PV1 2=O 3=CLINIC)"
msg "$T/s2.hl7" "${MSH}ADT^A04|S40B|P|2.5" "PID|1||SV7002^^^GH^MR||Ormsby^Lavinia||19580704|F" \
	"$(seg PV1 2=O 3=CLINIC)"
expect_exit "supervisor A40: its two charts registered" 0 imp "$T/s1.hl7" "$T/s2.hl7"
SURV=$(mrn_of "Quillfeather,Ottoline"); LOSE=$(mrn_of "Ormsby,Lavinia")
check "supervisor A40: two charts" [ -n "$SURV" ] && [ -n "$LOSE" ] && [ "$SURV" != "$LOSE" ]
msg "$T/s40.hl7" "${MSH}ADT^A40|S40C|P|2.5" "EVN|A40|202601050800" \
	"PID|1||SV7001^^^GH^MR||Quillfeather^Ottoline||19610412|F" "MRG|SV7002^^^GH^MR"
expect_exit "supervisor A40: applied" 0 as super "$DB" import hl7 "$T/s40.hl7" --ack-dir "$T"
contains "supervisor A40: the ack says merged" "merged: MRG-1's chart into PID-3's" "$(tr '\r' '\n' <"$T/s40.1.ack")"
lacks "supervisor A40: the ack names no one" "Orms" "$(cat "$T/s40.1.ack")"
expect_exit "supervisor A40: merge list" 0 as super "$DB" merge list
contains "supervisor A40: the merge is listed, survivor then loser" "$SURV	$LOSE" "$OUT"
check "supervisor A40: the loser leaves the name lookup" [ -z "$(mrn_of "Ormsby,Lavinia")" ]
expect_exit "supervisor A40: the loser's MRN opens the survivor" 0 as tech "$DB" encounter list "$LOSE"
check "supervisor A40: both visits on the surviving chart" \
	[ "$(printf '%s\n' "$OUT" | grep -c outpatient)" -eq 2 ]
expect_exit "supervisor A40: audited as a merge" 0 as super "$DB" audit show --action merge.approve
contains "supervisor A40: the audit row names the message and the survivor" "$SURV	hl7	s40#1" "$OUT"
expect_exit "supervisor A40: audit verify" 0 as super "$DB" audit verify
expect_exit "supervisor A40: the merge undoes" 0 as super "$DB" merge undo \
	"$(as super "$DB" merge list 2>/dev/null | awk -v s="$SURV" '$0 ~ s { print $1; exit }')"
check "supervisor A40: undone, the loser is found again" [ "$(mrn_of "Ormsby,Lavinia")" = "$LOSE" ]

# a supervisor's A40 that the merge preview stops (both charts admitted):
# the verified pair is queued with the conflict, nothing merged
msg "$T/c1.hl7" "${MSH}ADT^A01|C40A|P|2.5" "EVN|A01|202601050800" \
	"PID|1||CF8001^^^GH^MR||Brackenridge^Perpetua||19500101|F" "$(seg PV1 2=I 3=W1^101^1 7=doctor 10=MED)"
msg "$T/c2.hl7" "${MSH}ADT^A01|C40B|P|2.5" "EVN|A01|202601050800" \
	"PID|1||CF8002^^^GH^MR||Brakenridge^Perpetua||19500110|F" "$(seg PV1 2=I 3=W1^102^1 7=doctor 10=MED)"
expect_exit "conflicting A40: both admitted" 0 imp "$T/c1.hl7" "$T/c2.hl7"
msg "$T/c40.hl7" "${MSH}ADT^A40|C40C|P|2.5" "EVN|A40|202601050800" \
	"PID|1||CF8001^^^GH^MR||Brackenridge^Perpetua||19500101|F" "MRG|CF8002^^^GH^MR"
expect_exit "conflicting A40: acknowledged" 0 as super "$DB" import hl7 "$T/c40.hl7" --ack-dir "$T"
contains "conflicting A40: queued with its conflict" "merge queued for approval: " "$(tr '\r' '\n' <"$T/c40.1.ack")"
check "conflicting A40: both charts still found" [ -n "$(mrn_of "Brakenridge,Perpetua")" ] && \
	[ -n "$(mrn_of "Brackenridge,Perpetua")" ]

# linuxforhealth's multi-line ORU: one result; its report keeps the lines
expect_exit "multi-line ORU: applied" 0 imp "$DATA/linuxforhealth-hl7v2-fhir/ORU-multiline-short.hl7" \
	--attending doctor --ack-dir "$T"
contains "multi-line ORU: one result filed" "1 result filed" "$(tr '\r' '\n' <"$T/ORU-multiline-short.1.ack")"
MO=$(mrn_of "Patient,Autogenerated")
expect_exit "multi-line ORU: result list" 0 as tech "$DB" result list "$MO"
contains "multi-line ORU: the result points at its report" "report: document" "$OUT"
check "multi-line ORU: one result" [ "$(printf '%s\n' "$OUT" | grep -c 'report: document')" = 1 ]
DOC=$(printf '%s\n' "$OUT" | grep -o 'report: document [0-9]*' | grep -o '[0-9]*$' | head -n 1)
expect_exit "multi-line ORU: the report" 0 as doctor "$DB" note show "$DOC"
contains "multi-line ORU: its first line" "Emergency Department" "$OUT"
contains "multi-line ORU: a later line" "ED Encounter Arrival Date" "$OUT"
check "multi-line ORU: several lines" [ "$(printf '%s\n' "$OUT" | grep -c -e 'Emergency Department' -e 'ED Encounter Arrival')" -ge 2 ]

# A05 pre-admits; the A01 of the same visit number admits that encounter
msg "$T/a05.hl7" "${MSH}ADT^A05|PRE1|P|2.5" "PID|1||PA55^^^GH||Preadmit^Petra||19650202|F" \
	"$(seg PV1 2=P 3=W3^301^1 7=doctor 19=V555 44=202601040900)"
msg "$T/a05a01.hl7" "${MSH}ADT^A01|PRE2|P|2.5" "PID|1||PA55^^^GH||Preadmit^Petra||19650202|F" \
	"$(seg PV1 2=I 3=W3^301^1 7=doctor 19=V555 44=202601050900)"
expect_exit "A05: applied" 0 imp "$T/a05.hl7"
MP=$(mrn_of "Preadmit,Petra")
expect_exit "A05: encounter list" 0 as tech "$DB" encounter list "$MP"
contains "A05: pre-admitted" "pre-admitted" "$OUT"
expect_exit "A01 after A05: applied" 0 imp "$T/a05a01.hl7"
expect_exit "A01 after A05: encounter list" 0 as tech "$DB" encounter list "$MP"
check "A01 after A05: the same encounter, admitted" [ "$(printf '%s\n' "$OUT" | grep -c inpatient)" = 1 ]
contains "A01 after A05: admitted" "	admitted	" "$OUT"

# A04 registers a visit; an A03 closes it; an ORU files a numeric result
# with its LOINC code, units, range and flag on that patient
msg "$T/a04.hl7" "${MSH}ADT^A04|VIS1|P|2.5" "PID|1||OP44^^^GH||Outpatient^Otto||19550505|M" \
	"$(seg PV1 2=O 3=CARDIO 19=V444 44=202601050930)"
msg "$T/oru.hl7" "MSH|^~\\&|LAB|GOOD HEALTH|FOLIO|FOLIO|202601051100||ORU^R01|LAB1|P|2.5.1" \
	"PID|1||OP44^^^GH||Outpatient^Otto||19550505|M" "$(seg PV1 2=O 19=V444)" \
	"$(seg OBR 1=1 '4=4548-4^Hemoglobin A1c^LN' 7=202601051000 22=202601051045)" \
	"$(seg OBX 1=1 2=NM '3=4548-4^Hemoglobin A1c^LN' 5=7.2 6=% 7=4.0-5.6 8=H 11=F)"
msg "$T/a03v.hl7" "${MSH}ADT^A03|VIS2|P|2.5" "PID|1||OP44^^^GH" "$(seg PV1 2=O 19=V444)" "EVN|A03|202601051200"
expect_exit "A04: applied" 0 imp "$T/a04.hl7"
expect_exit "ORU: applied" 0 imp "$T/oru.hl7"
MV=$(mrn_of "Outpatient,Otto")
expect_exit "ORU: result list" 0 as tech "$DB" result list "$MV"
contains "ORU: test, LOINC, value, units, range, flag" "Hemoglobin A1c	4548-4	7.2	%	4.0-5.6	H" "$OUT"
expect_exit "A03 of a visit: applied" 0 imp "$T/a03v.hl7"
expect_exit "A03 of a visit: encounter list" 0 as tech "$DB" encounter list "$MV"
contains "A03 of a visit: closed" "closed" "$OUT"

# the same control id with other content is refused, not taken as a resend
sed 's/7\.2/9.9/' "$T/oru.hl7" >"$T/oru2.hl7"
expect_exit "a reused control id: refused" 1 imp "$T/oru2.hl7"
contains "a reused control id: why" "control id was used before by a different message" "$OUT"

# an unsupported type: AR with the type named
expect_exit "SIU: rejected" 1 imp "$DATA/node-hl7-complete/valid/corepoint-health/siu-example.hl7"
contains "SIU: not processed" "AR message type SIU^S14 is not processed by folio" "$OUT"

# a bad phone in an ADT: refused, naming the field (never the value)
msg "$T/phone.hl7" "${MSH}ADT^A04|PH1|P|2.5" "PID|1||PH77^^^GH||Phonebad^Paula||19800101|F|||||555-CALL-NOW" \
	"$(seg PV1 2=O 3=CLINIC)"
expect_exit "bad phone in an ADT: refused" 1 imp "$T/phone.hl7"
contains "bad phone: AE naming PID-13" "AE PID-13 Home phone" "$OUT"
lacks "bad phone: the value is not echoed" "CALL-NOW" "$OUT"
expect_exit "bad phone: no chart made" 4 as desk "$DB" patient find "Phonebad,Paula"

# roles: only technicians and supervisors import
expect_exit "front desk: denied" 3 as desk "$DB" import hl7 "$T/a01.hl7"
expect_exit "physician: denied" 3 as doctor "$DB" import hl7 "$T/a01.hl7"
expect_exit "no file: usage" 2 imp
expect_exit "a missing file: usage" 2 imp "$T/nope.hl7"

# no patient name from the messages in plain text in the database
check "no HL7 name in plain text in the database" sh -c "! grep -aq -e Zybrowski -e McTavish '$DB'"

# under `make test` the binary is sanitized: a report is a failure even when
# the exit code (1) looks like a rejected file
check "no sanitizer report (ASan, LSan, UBSan)" sh -c "! grep -q -e 'Sanitizer' -e 'runtime error' '$T/all-output'"
