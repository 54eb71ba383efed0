#!/bin/sh
# folio interface: the clinical lists of the chart.  A technician opens the
# vitals of a demo chart (a trend of the last sets), adds a set through the
# form in US units (an implausible blood pressure is asked again), sees it
# converted, with its BMI, at the head of the trend; the command line agrees.
# Then C on the chart (in its help and key line) opens the procedures: one
# is added through the form (a code that is not digits is asked again),
# listed completed, and marked entered in error; the command line agrees.
. "$(dirname "$0")/../lib.sh"

D="$T/d.db"
demo_db "$D" 8
M=$(as tech "$D" patient find "smith,john" 2>/dev/null | sed -n 2p | cut -f1)
check "the demo has John Smith" test -n "$M"

tm_start 80 24 "$FOLIO --db $D"
sign_in tech
tm_wait "Find a patient" 10
tm_keys 1
tm_wait "Select PATIENT NAME:" 5
tm_keys "$M" Enter
wait_for "the patient opens" "O Open chart" 10
tm_keys o
wait_for "the chart shows the latest vitals" "Latest vitals: " 10
contains "the chart's key line offers C" "V A P M R C I" "$(tm_screen)"
contains "and the allergy banner" "ALLERGIES: LATEX (moderate), PENICILLIN (severe)" "$(tm_screen)"
tm_keys v
wait_for "the vitals trend" "Blood pressure mmHg" 5
contains "both unit systems" "Weight lb" "$(tm_screen)"
tm_keys a
wait_for "the add form" "Taken: NOW//" 5
tm_keys Enter 154lb Enter 69in Enter
wait_for "pounds are stored as kilograms" "69.9 kg (154.1 lb)" 5
tm_keys 500/20 Enter
sleep 0.5
lacks "a BP of 500/20 is not taken" "500/20 mmHg" "$(tm_screen)"
tm_keys C-u 120/80 Enter 72 Enter 98.6F Enter Enter Enter Enter
wait_for "Fahrenheit is stored as Celsius" "37.0 C (98.6 F)" 5
wait_for "the form asks before saving" "Save? Yes//" 5
tm_keys Enter
wait_for "the new set heads the trend with its BMI" "22.7" 5
expect_exit "the command line lists it" 0 as tech "$D" vitals list "$M"
contains "BMI 22.7 from 154 lb and 69 in" "22.7" "$OUT"
contains "BP as entered" "120/80" "$OUT"

# ---- procedures ------------------------------------------------------------
tm_keys Escape
wait_for "back on the chart" "Latest vitals: " 5
tm_keys '?'
wait_for "the chart's help names the procedures key" "C  procedures" 5
popup_close
tm_keys c
wait_for "C opens the procedures" "Procedures: MRN $M" 5
contains "none recorded yet" "Nothing recorded." "$(tm_screen)"
contains "the action bar offers E in error" "E In error" "$(tm_screen)"
tm_keys a
wait_for "the add form asks what was done" "Procedure:" 5
tm_keys "Laparoscopic appendectomy" Enter
wait_for "then the code" "Code:" 5
tm_keys "80146-002" Enter
wait_for "a code with a dash is refused" "a code of digits only" 5
tm_keys C-u 80146002 Enter
wait_for "then the code system" "Code system:" 5
tm_keys Enter
wait_for "then the date" "Date:" 5
tm_keys 2026-03-14T09:30 Enter
wait_for "then the reason" "Reason:" 5
tm_keys "acute appendicitis" Enter
wait_for "the form asks before saving" "Save? Yes//" 5
tm_keys Enter
wait_for "it is added" "Added (item" 5
s=$(tm_screen)
contains "it is listed with its text (cut to the column)" "Laparoscopic append" "$s"
contains "its code and the date it was done, whole at 80 columns" "80146002     2026-03-14T09:30" "$s"
contains "completed" "completed" "$s"
expect_exit "the command line lists the procedure" 0 as tech "$D" procedure list "$M"
contains "with the reason typed in the form" "acute appendicitis" "$OUT"
contains "and the date" "2026-03-14T09:30" "$OUT"
tm_keys e
wait_for "E asks to confirm" "In error: Laparoscopic appendectomy?" 5
tm_keys y Enter
wait_for "it is marked" "entered-in-error." 5
contains "the list says in error" "in error" "$(tm_screen | grep 'Laparoscopic')"
expect_exit "the command line has it in error" 0 as tech "$D" procedure list "$M"
contains "status entered-in-error" "entered-in-error" "$OUT"
tm_keys Escape
wait_for "back on the chart again" "Latest vitals: " 5
