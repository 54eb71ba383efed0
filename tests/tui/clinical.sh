#!/bin/sh
# folio interface: the clinical lists of the chart.  A technician opens the
# vitals of a demo chart (a trend of the last sets), adds a set through the
# form in US units (an implausible blood pressure is asked again), sees it
# converted, with its BMI, at the head of the trend; the command line agrees.
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
